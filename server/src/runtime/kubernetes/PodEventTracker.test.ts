import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { SandboxEvent } from '../SandboxDriver.js';
import { PodEventTracker } from './PodEventTracker.js';
import { sandboxInfoOf } from './podState.js';

const pod = (name: string, state: 'pending' | 'running' | 'oom' | 'exit3'): V1Pod => ({
  metadata: {
    name,
    labels: { 'atrium.instance': 'i1', 'atrium.space': 'h-abc', 'atrium.sandbox': 'true' },
    annotations: { 'atrium.labels/atrium.space': 'alice/sentiment', 'atrium.labels/atrium.instance': 'i1' },
  },
  status: {
    phase: state === 'pending' ? 'Pending' : state === 'running' ? 'Running' : 'Failed',
    containerStatuses:
      state === 'pending'
        ? []
        : [
            {
              name: 'sandbox',
              image: 'x',
              imageID: 'x',
              ready: state === 'running',
              restartCount: 0,
              state:
                state === 'running'
                  ? { running: {} }
                  : {
                      terminated: {
                        exitCode: state === 'oom' ? 137 : 3,
                        reason: state === 'oom' ? 'OOMKilled' : 'Error',
                      },
                    },
            },
          ],
  },
});

const track = () => {
  const events: SandboxEvent[] = [];
  const tracker = new PodEventTracker((e) => events.push(e));
  return { events, tracker, actions: () => events.map((e) => `${e.id}:${e.action}:${e.exitCode}`) };
};

describe('pod states as sandbox events', () => {
  it('reports start once, then oom and die with the exit code of a container the OOM killer ended', () => {
    const { tracker, actions, events } = track();
    tracker.update(pod('a', 'pending'));
    tracker.update(pod('a', 'running'));
    tracker.update(pod('a', 'running'));
    tracker.update(pod('a', 'oom'));
    tracker.update(pod('a', 'oom'));
    expect(actions()).toEqual(['a:start:null', 'a:oom:137', 'a:die:137']);
    expect(events[0]?.labels).toEqual({ 'atrium.instance': 'i1', 'atrium.space': 'alice/sentiment' });
    expect(sandboxInfoOf(pod('a', 'oom'))).toMatchObject({ running: false, exitCode: 137, oomKilled: true });
  });

  it('reports a pod that started and ended between two looks, and its deletion', () => {
    const { tracker, actions } = track();
    tracker.update(pod('b', 'exit3'));
    tracker.remove(pod('b', 'exit3'));
    expect(actions()).toEqual(['b:start:3', 'b:die:3', 'b:destroy:3']);
  });

  it('says a pod the kubelet ended at its deadline reached its time limit', () => {
    const ended = pod('e', 'exit3');
    expect(sandboxInfoOf(ended).timeLimitReached).toBe(false);
    ended.status = { phase: 'Failed', reason: 'DeadlineExceeded', containerStatuses: [] };
    expect(sandboxInfoOf(ended)).toMatchObject({ running: false, timeLimitReached: true });
  });

  it('after a relist, reports as destroyed what went while nobody watched, and nothing twice', () => {
    const { tracker, actions } = track();
    tracker.update(pod('c', 'running'));
    tracker.update(pod('d', 'running'));
    tracker.resync([pod('d', 'exit3')]);
    expect(actions()).toEqual(['c:start:null', 'd:start:null', 'c:destroy:null', 'd:die:3']);
  });
});

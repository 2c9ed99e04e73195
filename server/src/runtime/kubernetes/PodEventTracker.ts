import type { V1Pod } from '@kubernetes/client-node';
import type { SandboxEvent } from '../SandboxDriver.js';
import { sandboxInfoOf } from './podState.js';

/** What was last seen of a pod, so a repeated update or a relist after a drop reports nothing twice. */
interface Seen {
  started: boolean;
  died: boolean;
}

/**
 * Turns pod states (from a list or a watch) into Docker-like lifecycle events: `start` when the container
 * runs, `oom` then `die` when it ends (with its exit code), `destroy` when the pod is gone. Fed the full
 * list after every reconnection, it reports what happened while the watch was down.
 */
export class PodEventTracker {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly emit: (event: SandboxEvent) => void) {}

  /** A pod as it is now (ADDED or MODIFIED, or one item of a list). */
  update(pod: V1Pod): void {
    const info = sandboxInfoOf(pod);
    if (!info.id) return;
    const seen = this.seen.get(info.id) ?? { started: false, died: false };
    this.seen.set(info.id, seen);
    const event = (action: string): SandboxEvent => ({
      id: info.id,
      action,
      exitCode: info.exitCode,
      labels: info.labels,
    });
    const ended =
      !info.running &&
      (info.exitCode !== null || pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded');
    if ((info.running || ended) && !seen.started && (info.running || pod.status?.containerStatuses?.length)) {
      seen.started = true;
      this.emit(event('start'));
    }
    if (ended && !seen.died) {
      seen.died = true;
      if (info.oomKilled) this.emit(event('oom'));
      this.emit(event('die'));
    }
  }

  /** A pod deleted. */
  remove(pod: V1Pod): void {
    const info = sandboxInfoOf(pod);
    if (!this.seen.has(info.id)) this.seen.set(info.id, { started: true, died: true });
    this.update(pod);
    this.seen.delete(info.id);
    this.emit({ id: info.id, action: 'destroy', exitCode: info.exitCode, labels: info.labels });
  }

  /** After a relist: every pod known before and absent now was deleted while nobody watched. */
  resync(pods: V1Pod[]): void {
    const present = new Set(pods.map((p) => p.metadata?.name));
    for (const id of [...this.seen.keys()])
      if (!present.has(id)) {
        this.seen.delete(id);
        this.emit({ id, action: 'destroy', exitCode: null, labels: {} });
      }
    for (const pod of pods) this.update(pod);
  }
}

import { describe, expect, it } from 'vitest';
import { type CallState, type CallStatusEvent, nextCallState } from './callState';

/** Folds status events as DemoApp does, and lists the phases shown. */
function shown(events: CallStatusEvent[]): string[] {
  let state: CallState = { phase: 'queued' };
  const seen = [state.phase === 'queued' && state.position !== undefined ? 'queued@' : state.phase];
  for (const e of events) {
    const next = nextCallState(state, e, String, () => 1.5);
    if (next === state) continue;
    state = next;
    const label =
      state.phase === 'queued' && state.position !== undefined ? `queued@${state.position}` : state.phase;
    if (seen.at(-1) !== label) seen.push(label);
  }
  return seen;
}

describe("a demo call's status line", () => {
  it("goes from the queue to running and never says 'In queue' after 'Running'", () => {
    // What @gradio/client emits for a call that waits behind another one, then a late estimate.
    expect(
      shown([
        { stage: 'pending' },
        { stage: 'pending', position: 1, size: 2 },
        { stage: 'pending', position: 0, size: 1 },
        { stage: 'pending', position: 0, original_msg: 'process_starts' },
        { stage: 'pending', position: 0, size: 0 },
        { stage: 'generating' },
        { stage: 'pending', position: 3 },
        { stage: 'complete', duration: 0.25 },
      ]),
    ).toEqual(['queued', 'queued@1', 'queued@0', 'running', 'streaming', 'done']);
  });

  it('keeps the end of a call: nothing after done or failed changes it', () => {
    const done = nextCallState({ phase: 'running' }, { stage: 'complete' }, String, () => 2);
    expect(done).toEqual({ phase: 'done', seconds: 2 });
    expect(nextCallState(done, { stage: 'generating' }, String, () => 0)).toBe(done);
    const failed = nextCallState({ phase: 'queued' }, { stage: 'error', message: 'boom' }, String, () => 0);
    expect(failed).toEqual({ phase: 'failed', message: 'boom' });
    expect(nextCallState(failed, { stage: 'pending', position: 0 }, String, () => 0)).toBe(failed);
  });
});

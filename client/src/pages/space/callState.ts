/** Where one call is: waiting in the queue (with its position), running, streaming, done or failed. */
export type CallState =
  | { phase: 'idle' }
  | { phase: 'queued'; position?: number; size?: number }
  | { phase: 'running' }
  | { phase: 'streaming' }
  | { phase: 'done'; seconds?: number }
  | { phase: 'failed'; message: string };

/** The part of a `@gradio/client` status event the page reads. */
export interface CallStatusEvent {
  stage: string;
  position?: number | null;
  size?: number | null;
  /** `process_starts` marks the moment the app takes the call (the client says it as a "pending" stage). */
  original_msg?: string;
  message?: unknown;
  duration?: number | null;
}

/** Phases a call only moves forward through: once the app has it, it is never "in queue" again. */
const ORDER: Record<CallState['phase'], number> = {
  idle: 0,
  queued: 1,
  running: 2,
  streaming: 3,
  done: 4,
  failed: 4,
};

/**
 * The call's next state for one status event. `@gradio/client` reports everything before the
 * result as "pending": the submit itself (no position), each queue estimate (a position) and the
 * start (`process_starts`); a later estimate never sends a running call back to the queue.
 */
export function nextCallState(
  current: CallState,
  event: CallStatusEvent,
  messageOf: (m: unknown) => string,
  elapsedS: () => number,
): CallState {
  const next = fromEvent(event, messageOf, elapsedS);
  if (!next) return current;
  // Done and failed end the call; the others only move forward.
  if (ORDER[current.phase] === 4) return current;
  if (next.phase === 'queued' && ORDER[current.phase] > ORDER.queued) return current;
  return next;
}

function fromEvent(
  event: CallStatusEvent,
  messageOf: (m: unknown) => string,
  elapsedS: () => number,
): CallState | undefined {
  switch (event.stage) {
    case 'pending':
      if (event.original_msg === 'process_starts') return { phase: 'running' };
      return event.position === undefined || event.position === null
        ? { phase: 'queued' }
        : { phase: 'queued', position: event.position, size: event.size ?? undefined };
    case 'generating':
    case 'streaming':
      return { phase: 'streaming' };
    case 'error':
      return { phase: 'failed', message: messageOf(event.message) };
    case 'complete':
      return { phase: 'done', seconds: event.duration ?? elapsedS() };
    default:
      return undefined;
  }
}

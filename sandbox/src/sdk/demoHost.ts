import type { DemoHostReply, DemoHostRequest } from '@atrium/protocol';
import type { Demo } from './demo.js';
import { DemoError } from './errors.js';

/**
 * App mode's message handler, transport-agnostic: answers describe/call/cancel requests for one
 * demo with description/partial/result/error replies (protocol/src/demo.ts). The runner feeds it
 * lines from its control channel; a test can feed it directly.
 */
/** A thrown value's message, never throwing: an app can throw anything (an object whose toString throws). */
function messageOf(err: unknown): string {
  try {
    return err instanceof Error ? String(err.message) : String(err);
  } catch {
    return 'The function threw a value that cannot be shown as text';
  }
}

export function createDemoHost(
  demo: Demo,
  send: (reply: DemoHostReply) => void,
  /** Hears the function's own errors (not bad input or cancels), e.g. to log their stack. */
  onFunctionError?: (err: unknown) => void,
) {
  const calls = new Map<string, AbortController>();
  return function handle(request: DemoHostRequest): void {
    switch (request.type) {
      case 'describe':
        send({ type: 'description', id: request.id, demo: demo.description });
        return;
      case 'cancel':
        calls.get(request.id)?.abort();
        return;
      case 'call': {
        if (request.apiName !== demo.description.apiName) {
          send({
            type: 'error',
            id: request.id,
            message: `No endpoint named "/${request.apiName}"`,
            kind: 'input',
          });
          return;
        }
        const controller = new AbortController();
        calls.set(request.id, controller);
        demo
          .call(request.inputs, {
            signal: controller.signal,
            onPartial: (outputs) => send({ type: 'partial', id: request.id, outputs }),
          })
          .then(
            (result) =>
              send({
                type: 'result',
                id: request.id,
                outputs: result.outputs,
                durationMs: result.durationMs,
              }),
            (err: unknown) => {
              const kind = err instanceof DemoError ? err.kind : 'function';
              // The reply first: whatever hearing the error does, the caller is answered.
              send({ type: 'error', id: request.id, message: messageOf(err), kind });
              // What the function itself threw, with its own stack, rather than the SDK's wrapper.
              if (kind === 'function')
                try {
                  onFunctionError?.(err instanceof DemoError && err.cause ? err.cause : err);
                } catch {
                  // Logging an error must not end the app.
                }
            },
          )
          .finally(() => calls.delete(request.id));
        return;
      }
    }
  };
}

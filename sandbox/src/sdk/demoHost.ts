import type { DemoHostReply, DemoHostRequest } from '@atrium/protocol';
import type { Demo } from './demo.js';
import { DemoError } from './errors.js';

/**
 * App mode's message handler, transport-agnostic: answers describe/call/cancel requests for one
 * demo with description/partial/result/error replies (protocol/src/demo.ts). The runner feeds it
 * lines from its control channel; a test can feed it directly.
 */
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
              // What the function itself threw, with its own stack, rather than the SDK's wrapper.
              if (kind === 'function')
                onFunctionError?.(err instanceof DemoError && err.cause ? err.cause : err);
              send({
                type: 'error',
                id: request.id,
                message: err instanceof Error ? err.message : String(err),
                kind,
              });
            },
          )
          .finally(() => calls.delete(request.id));
        return;
      }
    }
  };
}

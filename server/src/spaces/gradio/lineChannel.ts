import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { DemoHostReply } from '@atrium/protocol';
import type { DemoHostChannel } from './DemoHostBackend.js';

/**
 * App mode over any pair of byte streams, one JSON message per line: a child process's stdio or a
 * sandbox's control channel (runtime's SandboxChannel: input, output, ended). Lines that are not
 * JSON replies (an app printing to stdout) are skipped.
 */
export function lineChannel(input: Writable, output: Readable, ended: Promise<string>): DemoHostChannel {
  const lines = createInterface({ input: output });
  return {
    send: (request) => {
      if (input.writable) input.write(`${JSON.stringify(request)}\n`);
    },
    onReply: (listener) =>
      lines.on('line', (line) => {
        let reply: DemoHostReply;
        try {
          reply = JSON.parse(line) as DemoHostReply;
        } catch {
          return;
        }
        if (reply && typeof reply === 'object' && typeof reply.id === 'string') listener(reply);
      }),
    onClose: (listener) => {
      void ended.then(listener);
    },
  };
}

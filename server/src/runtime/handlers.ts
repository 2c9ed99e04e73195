import type { KernelMessage } from '@atrium/protocol';
import type { RequestHandler } from 'express';
import { requireUser, requireWriter } from '../auth/Identity.js';
import { closeEventStream, openEventStream } from '../http/eventStream.js';
import { validate } from '../http/validate.js';
import type { Services } from '../services.js';
import {
  completeCode,
  executeCode,
  findOwnedKernel,
  inspectCode,
  interruptKernel,
  listKernels,
  restartKernel,
  startKernel,
  stopKernel,
} from './commands.js';
import { CompleteBody, ExecuteBody, InspectBody, ListKernelsQuery, StartKernelBody } from './schema.js';

const param = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('/') : (v ?? ''));

/** HTTP handlers for kernels: validate, call a command, answer (execute answers an SSE stream). */
export function kernelHandlers({ runtime, liveAccess }: Services) {
  return {
    start: (async (req, res) => {
      const user = requireWriter(req.identity);
      const body = validate(StartKernelBody, req.body ?? {});
      res.status(201).json(await startKernel(runtime, user, body));
    }) satisfies RequestHandler,

    list: (async (req, res) => {
      const query = validate(ListKernelsQuery, req.query, 'query');
      res.json(listKernels(runtime, requireUser(req.identity), query.all === '1'));
    }) satisfies RequestHandler,

    get: (async (req, res) => {
      res.json(
        runtime.kernels.view(findOwnedKernel(runtime, requireUser(req.identity), param(req.params.id))),
      );
    }) satisfies RequestHandler,

    stop: (async (req, res) => {
      await stopKernel(runtime, requireWriter(req.identity), param(req.params.id));
      res.status(204).end();
    }) satisfies RequestHandler,

    interrupt: (async (req, res) => {
      await interruptKernel(runtime, requireWriter(req.identity), param(req.params.id));
      res.json({ status: 'ok' });
    }) satisfies RequestHandler,

    complete: (async (req, res) => {
      const body = validate(CompleteBody, req.body);
      res.json(await completeCode(runtime, requireWriter(req.identity), param(req.params.id), body));
    }) satisfies RequestHandler,

    inspect: (async (req, res) => {
      const body = validate(InspectBody, req.body);
      res.json(await inspectCode(runtime, requireWriter(req.identity), param(req.params.id), body));
    }) satisfies RequestHandler,

    restart: (async (req, res) => {
      res.json(await restartKernel(runtime, requireWriter(req.identity), param(req.params.id)));
    }) satisfies RequestHandler,

    /** Server-Sent Events: one event per Jupyter message (event name = msg_type), ending after the final idle. */
    execute: (async (req, res) => {
      const user = requireWriter(req.identity);
      const body = validate(ExecuteBody, req.body);
      const id = param(req.params.id);
      findOwnedKernel(runtime, user, id);
      const stream = openEventStream(res);
      const send = (msg: KernelMessage) =>
        stream({ event: msg.header.msg_type, id: msg.header.msg_id, data: msg });
      // Signing out or revoking the token ends the stream (the cell itself runs on in the user's kernel).
      const release = liveAccess.claim({
        identity: req.identity,
        need: 'write',
        lost: (code, reason) => closeEventStream(res, stream, code, reason),
      });
      res.once('close', release);
      try {
        await executeCode(runtime, user, id, body, send);
      } finally {
        release();
      }
      res.end();
    }) satisfies RequestHandler,
  };
}

import express, { type Request, type RequestHandler, type Response, Router } from 'express';
import { HttpError, notFound, payloadTooLarge } from '../../errors.js';
import { validate } from '../../http/validate.js';
import { type GradioApp, GradioInputError, GradioQueueFullError } from './GradioApp.js';
import { GRADIO_API_PREFIX } from './gradioConfig.js';
import { callBody, cancelBody, joinBody, sessionQuery } from './schema.js';
import { openSse } from './sse.js';

/** Finds the demo an app URL names (e.g. from the :owner/:name of the mount path). */
export type ResolveGradioApp = (req: Request) => GradioApp | undefined | Promise<GradioApp | undefined>;

/**
 * Keeps the caller's access to the app under watch while one of its streams is open: `lost` ends the
 * stream with the reason. Returns the function that stops watching.
 */
export type WatchGradioAccess = (req: Request, lost: (reason: string) => void) => Promise<() => void>;

const unwatched: WatchGradioAccess = async () => () => {};

const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** Gradio answers an input it cannot use with 422 {detail}; @gradio/client shows `detail`. */
function sendJoinError(res: Response, err: unknown): boolean {
  if (err instanceof GradioInputError) {
    res.status(422).json({ detail: err.message, error: err.message });
    return true;
  }
  if (err instanceof GradioQueueFullError) {
    res.status(503).json({ detail: err.message, error: err.message });
    return true;
  }
  return false;
}

/** The app URL as the caller sees it: what Gradio calls `root`. */
const rootOf = (req: Request) => `${req.protocol}://${req.get('host')}${req.baseUrl}`;

/**
 * Gradio's HTTP API for one demo, mounted under an app URL prefix given by the route table:
 * `config`, `gradio_api/{info,queue/join,queue/data,call/<api>,upload,file=…}` and the
 * same paths without `gradio_api/` that older clients use.
 */
export function gradioRouter(resolve: ResolveGradioApp, watch: WatchGradioAccess = unwatched): Router {
  const router = Router({ mergeParams: true });
  const json = express.json({ limit: '25mb' });
  const app = async (req: Request): Promise<GradioApp> => {
    const found = await resolve(req);
    if (!found) throw notFound('This Space has no running app', 'app_not_running');
    return found;
  };

  // Gradio apps are called from other origins (notebooks, other Spaces); cookies never cross.
  router.use((req, res, next) => {
    res.set('Access-Control-Allow-Origin', '*');
    if (req.method !== 'OPTIONS') return next();
    res.set({
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, x-gradio-user',
      'Access-Control-Max-Age': '86400',
    });
    res.status(204).end();
  });

  // Atrium's own description of the demo (components, examples, queue limit): the generated UI and
  // the "Use via API" panel (demoApiSnippets) read it.
  router.get('/demo', async (req, res) => {
    res.json((await app(req)).description);
  });

  router.get('/config', async (req, res) => {
    res.json((await app(req)).config(rootOf(req)));
  });

  for (const prefix of [GRADIO_API_PREFIX, '']) {
    router.get(`${prefix}/info`, async (req, res) => {
      res.json((await app(req)).info());
    });
    router.get(`${prefix}/app_id`, async (req, res) => {
      res.json({ app_id: (await app(req)).appId });
    });

    router.post(`${prefix}/queue/join`, json, async (req, res) => {
      const demo = await app(req);
      const body = validate(joinBody, req.body);
      try {
        res.json({ event_id: demo.join(body.session_hash, body.fn_index, body.data) });
      } catch (err) {
        if (!sendJoinError(res, err)) throw err;
      }
    });

    router.get(`${prefix}/queue/data`, async (req, res) => {
      const demo = await app(req);
      const { session_hash } = validate(sessionQuery, req.query, 'query');
      const { sink, closed } = openSse(res, () => [undefined, { msg: 'heartbeat' }]);
      demo.openSessionStream(session_hash, sink);
      const unwatch = await watch(req, (reason) => demo.endSession(session_hash, reason));
      void closed.then(() => {
        unwatch();
        demo.detachSessionStream(session_hash, sink);
      });
    });

    router.get(`${prefix}/heartbeat/:session`, async (req, res) => {
      const demo = await app(req);
      const { sink, closed } = openSse(res, () => [undefined, { msg: 'heartbeat' }]);
      sink.send(undefined, { msg: 'heartbeat' });
      const forget = demo.openHeartbeat(sink);
      const unwatch = await watch(req, () => sink.end());
      void closed.then(() => {
        unwatch();
        forget();
      });
    });

    router.post(`${prefix}/call/:api`, json, async (req, res) => {
      const demo = await app(req);
      const body = validate(callBody, req.body);
      try {
        res.json({ event_id: demo.startCall(String(req.params.api), body.data) });
      } catch (err) {
        if (!sendJoinError(res, err)) throw err;
      }
    });

    router.get(`${prefix}/call/:api/:eventId`, async (req, res) => {
      const demo = await app(req);
      const eventId = String(req.params.eventId);
      if (!demo.hasCall(String(req.params.api), eventId)) throw notFound('No such event', 'event_not_found');
      const { sink, closed } = openSse(res, () => ['heartbeat', null]);
      demo.openCallStream(String(req.params.api), eventId, sink);
      const unwatch = await watch(req, (reason) => demo.endCall(eventId, reason));
      void closed.then(() => {
        unwatch();
        demo.detachCallStream(eventId, sink);
      });
    });

    router.post(`${prefix}/cancel`, json, async (req, res) => {
      const { event_id } = validate(cancelBody, req.body);
      res.json({ success: (await app(req)).cancel(event_id) });
    });
    router.post(`${prefix}/reset`, json, (_req, res) => {
      res.json({ success: true });
    });

    router.post(`${prefix}/upload`, upload(app));
    router.get(new RegExp(`^${prefix}/file=(.+)$`), async (req, res) => {
      const path = decodeURIComponent(String((req.params as Record<string, string>)[0] ?? ''));
      const file = (await app(req)).uploads.get(path);
      if (!file) throw notFound('No such file', 'file_not_found');
      res.set({ 'Content-Type': file.mimeType, 'Cache-Control': 'private, max-age=3600' }).send(file.bytes);
    });
  }
  return router;
}

/** multipart/form-data with one or more `files` fields → the paths later calls name (Gradio's upload). */
function upload(app: (req: Request) => Promise<GradioApp>): RequestHandler {
  return async (req, res) => {
    const demo = await app(req);
    const type = req.get('content-type') ?? '';
    if (!type.startsWith('multipart/form-data')) throw unsupportedType();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_UPLOAD_BYTES) throw payloadTooLarge(`Uploads are limited to ${MAX_UPLOAD_BYTES} bytes`);
      chunks.push(chunk);
    }
    const form = await new globalThis.Response(Buffer.concat(chunks), {
      headers: { 'content-type': type },
    }).formData();
    const paths: string[] = [];
    // Whose quota the files count against: the account, or the address of an anonymous visitor.
    const holder = req.identity.user?.id ?? `address:${req.ip}`;
    for (const value of form.getAll('files')) {
      if (typeof value === 'string') continue;
      const bytes = Buffer.from(await value.arrayBuffer());
      paths.push(
        demo.uploads.put(bytes, value.type || 'application/octet-stream', value.name || 'file', holder),
      );
    }
    res.json(paths);
  };
}

const unsupportedType = () => new HttpError(415, 'Expected multipart/form-data', 'unsupported_media_type');

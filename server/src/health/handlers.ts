import type { RequestHandler } from 'express';
import type { Services } from '../services.js';

export function healthHandlers({ health }: Services) {
  return {
    /** 200 when every subsystem is fine, 503 otherwise; the body says which. */
    check: (async (_req, res) => {
      const report = await health.run();
      res.status(report.status === 'ok' ? 200 : 503).json(report);
    }) satisfies RequestHandler,
  };
}

/** The database answers a trivial query and reports its engine (and SQLite its journal mode). */
export function databaseCheck(services: Pick<Services, 'db'>) {
  return async () => {
    const started = performance.now();
    const facts = await services.db.check();
    return { ok: true, ...facts, latencyMs: Number((performance.now() - started).toFixed(2)) };
  };
}

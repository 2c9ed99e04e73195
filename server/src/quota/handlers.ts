import type { RequestHandler } from 'express';
import { requireUser } from '../auth/Identity.js';
import type { Services } from '../services.js';
import { storageReport } from './storageReport.js';

export function quotaHandlers(services: Services) {
  return {
    storage: (async (req, res) => {
      res.json(await storageReport(services, requireUser(req.identity)));
    }) satisfies RequestHandler,
  };
}

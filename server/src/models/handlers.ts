import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { validate } from '../http/validate.js';
import type { Services } from '../services.js';
import { describeModelCard } from './commands/describeModelCard.js';

const cardQuery = z.object({ rev: z.string().min(1).max(256).default('main') });

/** The origin clients reached this server at, for snippets that point transformers.js back here. */
const origin = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/** Model-card routes: the card of a model with its responsible-use warnings (see models/README.md). */
export function modelHandlers(services: Services): { card: RequestHandler } {
  return {
    card: async (req, res) => {
      const { rev } = validate(cardQuery, req.query, 'query');
      const owner = String(req.params.owner);
      const name = String(req.params.name);
      res.json(await describeModelCard(services, req.identity, owner, name, rev, origin(req)));
    },
  };
}

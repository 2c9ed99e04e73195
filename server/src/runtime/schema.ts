import { z } from 'zod';

/** POST /api/kernels: an optional reuse key (e.g. a notebook id) gives the same kernel back. */
export const StartKernelBody = z.object({ key: z.string().min(1).max(200).optional() }).strict();

/** POST /api/kernels/:id/execute */
export const ExecuteBody = z
  .object({
    code: z.string().max(1024 * 1024),
    language: z.enum(['javascript', 'typescript']).default('javascript'),
    timeout_s: z.number().int().positive().max(86_400).optional(),
  })
  .strict();

export const ListKernelsQuery = z.object({ all: z.enum(['0', '1']).optional() });

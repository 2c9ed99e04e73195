import { KERNEL_LANGUAGES } from '@atrium/protocol';
import { z } from 'zod';

/**
 * POST /api/kernels: an optional reuse key (e.g. a notebook id) gives the same kernel back; `python`
 * starts a Python kernel (ipykernel), javascript/typescript Atrium's Node runner (the default).
 */
export const StartKernelBody = z
  .object({ key: z.string().min(1).max(200).optional(), language: z.enum(KERNEL_LANGUAGES).optional() })
  .strict();

/** POST /api/kernels/:id/complete and …/inspect: the cell's code and the cursor (in characters). */
const cursorRequest = {
  code: z.string().max(1024 * 1024),
  cursor_pos: z
    .number()
    .int()
    .min(0)
    .max(1024 * 1024),
};
export const CompleteBody = z
  .object(cursorRequest)
  .strict()
  .refine((b) => b.cursor_pos <= b.code.length, { message: 'cursor_pos is past the end of code' });
export const InspectBody = z
  .object({ ...cursorRequest, detail_level: z.union([z.literal(0), z.literal(1)]).optional() })
  .strict()
  .refine((b) => b.cursor_pos <= b.code.length, { message: 'cursor_pos is past the end of code' });

/** POST /api/kernels/:id/execute */
export const ExecuteBody = z
  .object({
    code: z.string().max(1024 * 1024),
    language: z.enum(KERNEL_LANGUAGES).default('javascript'),
    timeout_s: z.number().int().positive().max(86_400).optional(),
  })
  .strict();

export const ListKernelsQuery = z.object({ all: z.enum(['0', '1']).optional() });

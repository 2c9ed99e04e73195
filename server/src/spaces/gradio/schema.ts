import { z } from 'zod';

/** queue/join body, as @gradio/client posts it. */
export const joinBody = z.object({
  data: z.array(z.unknown()),
  fn_index: z.number().int().optional(),
  session_hash: z.string().min(1).max(128),
  event_data: z.unknown().optional(),
  trigger_id: z.number().int().nullable().optional(),
});

/** call/<api> body: the inputs in order. */
export const callBody = z.object({ data: z.array(z.unknown()) });

export const sessionQuery = z.object({ session_hash: z.string().min(1).max(128) });

export const cancelBody = z.object({ event_id: z.string().min(1).max(128) });

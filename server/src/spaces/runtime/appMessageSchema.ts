import { type AppLoadReply, MODEL_ID_PATTERN } from '@atrium/protocol';
import { z } from 'zod';

/**
 * App mode's start-up messages from the runner (protocol/src/spaceRuntime.ts), checked before use:
 * the runner shares its process with the Space's own code, which can write anything on the channel.
 */
const id = z.string().min(1).max(128);

export const AppLoadReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('app_waiting'), id: z.literal('runner') }),
  z.object({ type: z.literal('app_loaded'), id, durationMs: z.number().finite().min(0) }),
  z.object({
    type: z.literal('app_load_error'),
    id,
    phase: z.enum(['build', 'run']),
    message: z.string().max(64 * 1024),
  }),
  z.object({ type: z.literal('model_request'), id, model_id: z.string().regex(MODEL_ID_PATTERN) }),
]) satisfies z.ZodType<AppLoadReply, unknown>;

/** The types above: a message of one of them that does not fit its shape is refused, not logged. */
export const APP_MESSAGE_TYPES = new Set(['app_waiting', 'app_loaded', 'app_load_error', 'model_request']);

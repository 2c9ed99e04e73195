import { z } from 'zod';

/** `POST /api/spaces/from-template`. */
export const FromTemplateBody = z.object({
  template: z.string().min(1).max(64),
  name: z.string(),
  organization: z.string().optional(),
  private: z.boolean().optional(),
});

/** Names that work as environment variables (the Hub's rule). */
const envKey = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,99}$/,
    'Keys are letters, digits and underscores, not starting with a digit',
  );

/** `POST /api/spaces/{id}/secrets` and `…/variables`. */
export const EnvEntryBody = z.object({
  key: envKey,
  value: z.string().max(64 * 1024),
  description: z.string().max(1000).optional(),
});

/** `DELETE /api/spaces/{id}/secrets` and `…/variables`. */
export const EnvKeyBody = z.object({ key: envKey });

/** `POST /api/spaces/{id}/sleeptime`: seconds of idleness before sleeping; -1 never sleeps (Hub). */
export const SleepTimeBody = z.object({
  seconds: z
    .number()
    .int()
    .refine((s) => s === -1 || (s >= 1 && s <= 30 * 24 * 3600), 'seconds: -1 or 1…2592000'),
});

/** What the Hub's `POST /api/spaces/{id}/duplicate` may carry besides `repository` and `private`. */
export const DuplicateSettingsBody = z.object({
  secrets: z.array(EnvEntryBody).max(100).optional(),
  variables: z.array(EnvEntryBody).max(100).optional(),
  sleepTimeSeconds: SleepTimeBody.shape.seconds.optional(),
  /** Atrium's: copy the source Space's secrets too (the duplicate dialog's choice; writers of the source only). */
  copySecrets: z.boolean().optional(),
});

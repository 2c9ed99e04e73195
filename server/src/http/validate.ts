import type { z } from 'zod';
import { badRequest } from '../errors.js';

/** Parses untrusted input with a zod schema; a mismatch becomes a 400 naming the offending field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  // A schema's message that names its own field ("Password must be…") is a sentence for people: as it is.
  const field = String(issue?.path.at(-1) ?? '');
  if (issue && field && issue.message.toLowerCase().startsWith(`${field.toLowerCase()} `))
    throw badRequest(issue.message, 'invalid_input');
  const where = issue && issue.path.length > 0 ? `${what}.${issue.path.join('.')}` : what;
  throw badRequest(`Invalid ${where}: ${issue?.message ?? 'invalid input'}`, 'invalid_input');
}

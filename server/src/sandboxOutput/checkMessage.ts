import type { z } from 'zod';

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Checks a parsed message with a schema; a mismatch names its first problem, short enough to log. */
export function checkMessage<S extends z.ZodType>(schema: S, value: unknown): Checked<z.infer<S>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const problem = issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid';
  return { ok: false, problem: problem.slice(0, 200) };
}

import { type RawBuilder, sql } from 'kysely';
import type { Engine } from './openDatabase.js';

/**
 * The few places the two engines spell SQL differently. Names compare without case on both: SQLite
 * through its NOCASE indexes, PostgreSQL through its lower(name) indexes (see the migrations).
 */
export function sameName(engine: Engine, column: string, value: string): RawBuilder<boolean> {
  return engine === 'sqlite'
    ? sql<boolean>`${sql.ref(column)} = ${value} COLLATE NOCASE`
    : sql<boolean>`lower(${sql.ref(column)}) = lower(${value})`;
}

/** `LIKE` without case (SQLite's LIKE already ignores ASCII case), `\` escaping. */
export function likeNoCase(
  engine: Engine,
  expression: RawBuilder<string>,
  pattern: string,
): RawBuilder<boolean> {
  return engine === 'sqlite'
    ? sql<boolean>`${expression} LIKE ${pattern} ESCAPE '\\'`
    : sql<boolean>`${expression} ILIKE ${pattern} ESCAPE '\\'`;
}

/** Escapes `%`, `_` and `\` for a LIKE pattern that matches `text` anywhere. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Rows larger than this many parameters are split (SQLite allows 32,766 per statement). */
export const MAX_PARAMETERS = 30_000;

/**
 * Splits rows so no statement carries more than MAX_PARAMETERS values (`columns` per row), nor more
 * than `maxRows` rows.
 */
export function chunks<T>(rows: readonly T[], columns: number, maxRows = Number.POSITIVE_INFINITY): T[][] {
  const size = Math.max(1, Math.min(maxRows, Math.floor(MAX_PARAMETERS / columns)));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Whether a write failed on a unique index (a name taken by a racing writer), on either engine. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

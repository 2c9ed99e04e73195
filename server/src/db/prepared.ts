import { createHash } from 'node:crypto';
import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { Database } from './openDatabase.js';

/** Stands for the i-th argument while a query is built once; never a value a caller could send. */
const PLACEHOLDER = '\u0000atrium-argument-';

/**
 * A query built and compiled once, run with new argument values each time. Kysely's builder costs
 * several times more than running a small SQLite query, so the hot paths (every authenticated
 * request) build theirs once, as the stores prepared their statements once before Kysely.
 * On PostgreSQL it runs as a named prepared statement, parsed and planned once per connection.
 * `build` must pass its arguments into the query as they are (values, not parts of the SQL).
 */
export function prepared<A extends unknown[], R>(
  db: Database,
  arity: A['length'],
  build: (...args: A) => Compilable<R>,
): (...args: A) => Promise<QueryResult<R>> {
  let compiled: CompiledQuery<R> | undefined;
  let slots: (number | undefined)[] = [];
  let name = '';
  return async (...args) => {
    if (!compiled) {
      const placeholders = Array.from({ length: arity }, (_, i) => `${PLACEHOLDER}${i}`) as unknown as A;
      // Checked before it is kept: a builder that drops an argument fails every call, not only the first.
      const built = build(...placeholders).compile();
      const found = built.parameters.map((v) =>
        typeof v === 'string' && v.startsWith(PLACEHOLDER) ? Number(v.slice(PLACEHOLDER.length)) : undefined,
      );
      if (found.filter((s) => s !== undefined).length < arity)
        throw new Error(`prepared query uses fewer than its ${arity} arguments: ${built.sql}`);
      slots = found;
      name = `atrium_${createHash('sha1').update(built.sql).digest('hex').slice(0, 16)}`;
      compiled = built;
    }
    const parameters = compiled.parameters.map((v, i) => {
      const slot = slots[i];
      return slot === undefined ? v : args[slot];
    });
    if (db.runNamed) return (await db.runNamed(name, compiled.sql, parameters)) as QueryResult<R>;
    return db.kysely.executeQuery({ ...compiled, parameters });
  };
}

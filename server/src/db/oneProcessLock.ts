import pg from 'pg';
import type { Logger } from '../logger.js';

/**
 * The advisory lock key every Atrium process takes on its PostgreSQL database ('Atrium' in ASCII).
 * Advisory locks are per database, so instances on other databases of one server do not meet.
 */
const ONE_PROCESS_LOCK_KEY = '71968391525741';

/** A second process was started on a database another process is serving. */
export class DatabaseInUse extends Error {}

/**
 * Holds a session-level advisory lock on a connection of its own for the process's life: one process
 * per PostgreSQL database is what Atrium supports today. Live documents, access changes (the
 * in-process bus, `auth/AccessEvents.ts`) and sandbox reconciliation are each kept in one process's
 * memory; a second process would serve rooms the first does not know of, and keep sockets open after
 * access to them was taken away. Throws `DatabaseInUse` when another process holds it.
 * Resolves to the function that releases it.
 */
export async function holdOneProcessLock(url: string, log: Logger): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url });
  let releasing = false;
  // Unhandled, a broken connection would end the process; the lock went with it, so say so loudly.
  client.on('error', (err) => {
    if (!releasing)
      log.error({ err }, 'lost the connection holding the one-process lock: restart this process');
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1::bigint) AS locked',
      [ONE_PROCESS_LOCK_KEY],
    );
    if (!rows[0]?.locked)
      throw new DatabaseInUse(
        'Another Atrium process is already serving this PostgreSQL database (ATRIUM_DATABASE_URL). ' +
          'Only one process per database is supported today: stop the other process first ' +
          '(see "Scaling out" in README.md).',
      );
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return async () => {
    if (releasing) return;
    releasing = true;
    // Ending the session releases the lock.
    await client.end().catch((err) => log.warn({ err }, 'closing the one-process lock connection failed'));
  };
}

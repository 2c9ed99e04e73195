import { startTestPostgres } from '@atrium/tests/src/harness/postgres.js';

/**
 * A PostgreSQL for measuring: the tests' own server (initdb in a temporary folder, unix socket), but
 * with PostgreSQL's durable defaults (fsync, full page writes, synchronous commit) left on.
 */
export const startDurablePostgres = () =>
  startTestPostgres({ settings: { fsync: 'on', full_page_writes: 'on' } });

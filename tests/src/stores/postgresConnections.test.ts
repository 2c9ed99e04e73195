import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrations } from '@atrium/server';
import { type Database, openDatabase } from '@atrium/server/db/openDatabase';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres, startTestPostgres, type TestPostgres } from '../harness/postgres.js';
import { waitFor } from '../harness/waitFor.js';

describe.skipIf(!hasPostgres())('PostgreSQL connections', () => {
  let server: TestPostgres;
  const open: Database[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-pg-conn-'));
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterEach(async () => {
    for (const db of open.splice(0)) await db.close();
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const connect = async (onConnectionError?: (err: Error) => void) => {
    const db = await openDatabase(
      { file: path.join(dir, 'unused.db'), url: await server.createDatabase(), onConnectionError },
      migrations,
    );
    open.push(db);
    return db;
  };

  it('survives a connection that breaks while a transaction holds it, and keeps serving', async () => {
    const broken: Error[] = [];
    const db = await connect((err) => broken.push(err));
    const admin = await openDatabase({ file: '', url: await server.createDatabase() }, []);
    open.push(admin);
    // Checked out by the transaction and between statements: no query of its own to fail, so the
    // break arrives as an 'error' event on the client (unheard, it would end the process).
    const outcome = db.kysely
      .transaction()
      .execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
        await sql`SELECT pg_terminate_backend(${rows[0]!.pid})`.execute(admin.kysely);
        await waitFor(() => broken.length > 0, {
          timeout: 30_000,
          what: 'the broken connection to be reported',
        });
        await sql`SELECT 1`.execute(trx);
        return 'committed';
      })
      .catch((err: Error) => `failed: ${err.message}`);
    expect(await outcome).toMatch(/^failed/);
    expect(broken.length).toBeGreaterThan(0);
    expect((await db.check()).engine).toBe('postgres');
    expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(db.kysely)).rows).toEqual([{ one: 1 }]);
  });

  it('runs every statement under a server-side time limit', async () => {
    const db = await connect();
    const { rows } = await sql<{ statement_timeout: string }>`SHOW statement_timeout`.execute(db.kysely);
    expect(rows[0]!.statement_timeout).toBe('30s');
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrations } from '@atrium/server';
import { type Database, type Engine, openDatabase } from '@atrium/server/db/openDatabase';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { hasPostgres, startTestPostgres, type TestPostgres } from '../harness/postgres.js';

export interface EngineContext {
  engine: Engine;
  /** This test's database, fresh and fully migrated. */
  db(): Database;
  /**
   * Another connection to the same database, as a second Atrium process would hold (PostgreSQL: a
   * second pool; SQLite, which Atrium serves from one process: the same handle).
   */
  second(): Promise<Database>;
}

const LABEL: Record<Engine, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/**
 * Runs a store's contract suite once per engine: on a SQLite file and on a real PostgreSQL server the
 * suite starts itself (skipped when PostgreSQL is not installed, unless ATRIUM_REQUIRE_POSTGRES=1).
 * Every test gets a new, migrated database.
 */
export function describeOnEngines(title: string, body: (ctx: EngineContext) => void): void {
  for (const engine of ['sqlite', 'postgres'] as const) {
    describe.skipIf(engine === 'postgres' && !hasPostgres())(`${title} (${LABEL[engine]})`, () => {
      let server: TestPostgres | undefined;
      let dir: string;
      let url: string | undefined;
      let db: Database | undefined;
      const extra: Database[] = [];
      beforeAll(async () => {
        if (engine === 'postgres') server = await startTestPostgres();
      });
      afterAll(async () => {
        await server?.stop();
      });
      beforeEach(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-store-'));
        url = await server?.createDatabase();
        db = await openDatabase({ file: path.join(dir, 'atrium.db'), url }, migrations);
      });
      afterEach(async () => {
        for (const d of extra.splice(0)) await d.close();
        await db?.close();
        fs.rmSync(dir, { recursive: true, force: true });
      });
      body({
        engine,
        db: () => {
          if (!db) throw new Error('no database outside a test');
          return db;
        },
        second: async () => {
          if (!db) throw new Error('no database outside a test');
          if (!url) return db;
          const other = await openDatabase({ file: '', url }, migrations);
          extra.push(other);
          return other;
        },
      });
    });
  }
}

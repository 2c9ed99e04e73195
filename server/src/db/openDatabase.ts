import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, type QueryResult, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { createPrivateFile, makeFilesPrivate } from '../atRest/privateFiles.js';
import { applyPostgresMigrations, applySqliteMigrations, type Migration } from './migrations.js';
import type { Tables } from './tables.js';

export type SqliteDatabase = Sqlite.Database;

export type Engine = 'sqlite' | 'postgres';

/** The server's database: one Kysely over SQLite (the default) or PostgreSQL, migrated on open. */
export interface Database {
  engine: Engine;
  kysely: Kysely<Tables>;
  /**
   * Runs a compiled query as a named server-side prepared statement where the engine has them
   * (PostgreSQL: parsed and planned once per connection); undefined on SQLite, whose statements the
   * driver already keeps prepared.
   */
  runNamed?: (name: string, sql: string, parameters: readonly unknown[]) => Promise<QueryResult<unknown>>;
  /** A trivial round trip, for /api/health: what the engine reports about itself. */
  check(): Promise<Record<string, unknown>>;
  /** Flushes (SQLite: the WAL into the main file) and closes. Idempotent. */
  close(): Promise<void>;
}

export interface DatabaseLocation {
  /** The SQLite file, used when `url` is unset. */
  file: string;
  /** `postgres://…` chooses PostgreSQL. */
  url?: string;
  /**
   * Told when a PostgreSQL connection breaks (a restart, a failover), idle or in use: the pool
   * replaces it, and a query running on it fails with the error.
   */
  onConnectionError?: (err: Error) => void;
}

/** Opens (creating if needed) the database and brings its schema up to date. */
export async function openDatabase(
  where: DatabaseLocation,
  migrations: readonly Migration[],
): Promise<Database> {
  return where.url
    ? openPostgres(where.url, migrations, where.onConnectionError)
    : openSqlite(where.file, migrations);
}

/** Opens the SQLite file in WAL mode, owner-only, and migrates it. */
export function openSqliteFile(file: string, migrations: readonly Migration[]): SqliteDatabase {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Owner-only (0600) before SQLite opens it: its WAL and shared-memory files take the same mode.
  createPrivateFile(file);
  makeFilesPrivate(`${file}-wal`, `${file}-shm`);
  const db = new Sqlite(file);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash may lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  applySqliteMigrations(db, migrations);
  return db;
}

/** Distinct SQL texts kept prepared; the stores issue a few hundred shapes. */
const STATEMENT_CACHE_SIZE = 1000;
/**
 * Longer texts are multi-row inserts and IN lists, a new text per row count and up to megabytes
 * each with their prepared form: prepared for the one run, never kept (their rows dwarf the cost).
 */
const MAX_CACHED_SQL_LENGTH = 2048;

/**
 * The handle Kysely drives, with each short SQL text prepared once and reused (as the stores did
 * before Kysely): preparing costs more than running a small query. Least recently used are dropped.
 */
function preparedOnce(raw: SqliteDatabase) {
  const statements = new Map<string, Sqlite.Statement>();
  return {
    close: () => raw.close(),
    prepare: (text: string) => {
      if (text.length > MAX_CACHED_SQL_LENGTH) return raw.prepare(text);
      let statement = statements.get(text);
      if (statement) statements.delete(text);
      else {
        statement = raw.prepare(text);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
      }
      statements.set(text, statement);
      return statement;
    },
  };
}

function openSqlite(file: string, migrations: readonly Migration[]): Database {
  const raw = openSqliteFile(file, migrations);
  const kysely = new Kysely<Tables>({ dialect: new SqliteDialect({ database: preparedOnce(raw) }) });
  let closed = false;
  return {
    engine: 'sqlite',
    kysely,
    check: async () => {
      await sql`SELECT 1`.execute(kysely);
      return { engine: 'sqlite', journalMode: raw.pragma('journal_mode', { simple: true }) };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      raw.pragma('wal_checkpoint(TRUNCATE)');
      // Kysely's SQLite driver closes the handle it was given.
      await kysely.destroy();
    },
  };
}

/** 64-bit integers and numerics (counts, sums, sizes, times in ms) arrive as JS numbers, as from SQLite. */
const INT8 = 20;
const NUMERIC = 1700;
const numberTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC
      ? Number
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Connections per process: enough for concurrent requests, few enough for several processes per server. */
const POOL_SIZE = 10;
/** A connection not made (or not free in the pool) by then fails the request instead of queuing forever. */
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * The server cancels any statement running longer (generous: the slowest store query takes well
 * under a second), so one hung query cannot hold a room, a request or shutdown forever. Migrations,
 * which may wait on another process's lock or rewrite a table, lift it for their transaction.
 */
const STATEMENT_TIMEOUT_MS = 30_000;

async function openPostgres(
  url: string,
  migrations: readonly Migration[],
  onConnectionError: (err: Error) => void = () => undefined,
): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    types: numberTypes,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
  });
  // Unhandled, a broken connection's 'error' would end the process. The pool listens on idle clients
  // only; a client checked out when its connection breaks emits on itself, so every client gets a
  // listener of its own (its running query still fails, and the pool discards it on release).
  pool.on('error', onConnectionError);
  pool.on('connect', (client) => client.on('error', onConnectionError));
  const kysely = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  try {
    await applyPostgresMigrations(kysely, migrations);
  } catch (err) {
    await kysely.destroy();
    throw err;
  }
  let closed = false;
  return {
    engine: 'postgres',
    kysely,
    runNamed: async (name, text, values) => {
      const result = await pool.query({ name, text, values: [...values] });
      return {
        rows: result.rows,
        numAffectedRows: result.rowCount === null ? undefined : BigInt(result.rowCount),
      };
    },
    check: async () => {
      await sql`SELECT 1`.execute(kysely);
      return { engine: 'postgres', connections: pool.totalCount, idle: pool.idleCount };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await kysely.destroy();
    },
  };
}

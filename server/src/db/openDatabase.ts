import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createPrivateFile, makeFilesPrivate } from '../atRest/privateFiles.js';
import { applyMigrations, type Migration } from './migrations.js';

export type SqliteDatabase = Database.Database;

/** Opens (creating if needed) the SQLite file in WAL mode and brings its schema up to date. */
export function openDatabase(file: string, migrations: readonly Migration[]): SqliteDatabase {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Owner-only (0600) before SQLite opens it: its WAL and shared-memory files take the same mode.
  createPrivateFile(file);
  makeFilesPrivate(`${file}-wal`, `${file}-shm`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash may lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  applyMigrations(db, migrations);
  return db;
}

/** Flushes the WAL into the main file and closes: used on graceful shutdown. */
export function closeDatabase(db: SqliteDatabase): void {
  if (!db.open) return;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

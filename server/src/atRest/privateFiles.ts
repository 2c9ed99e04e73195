import fs from 'node:fs';

/** Owner only: the data directory, the database files, the blob store's folders, the key file. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates a folder (and its parents) and makes it owner-only, whatever the umask or an earlier
 * version left it as: the data directory and the blob store's folders hold everyone's content.
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Makes existing files owner-only (read and write), skipping those that do not exist. */
export function makeFilesPrivate(...files: string[]): void {
  for (const file of files) {
    try {
      fs.chmodSync(file, PRIVATE_FILE_MODE);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

/** Creates a file owner-only if it does not exist yet (SQLite gives its WAL and shared-memory files the same mode). */
export function createPrivateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  makeFilesPrivate(file);
}

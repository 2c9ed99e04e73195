import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Makes a folder that any uid may list and enter (whatever the umask): sandboxes read as their own uid. */
export async function readableDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.chmod(dir, 0o755);
}

/**
 * Recreates `from`'s files under `to` as hard links (copies across mounts, where links cannot go),
 * built aside and renamed into place, so `to` appears whole or not at all; a `to` that appeared
 * meanwhile (another caller) is kept.
 */
export async function linkTree(from: string, to: string): Promise<void> {
  await readableDir(path.dirname(to));
  const staging = `${to}.tmp-${randomBytes(4).toString('hex')}`;
  await readableDir(staging);
  try {
    // Listed parents first, so every folder exists before its files are linked into it.
    for (const entry of await fs.readdir(from, { withFileTypes: true, recursive: true })) {
      const source = path.join(entry.parentPath, entry.name);
      const target = path.join(staging, path.relative(from, source));
      if (entry.isDirectory()) await readableDir(target);
      else if (entry.isFile()) await fs.link(source, target).catch(() => fs.copyFile(source, target));
    }
    await fs.rename(staging, to).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ensurePrivateDir, PRIVATE_DIR_MODE } from '../atRest/privateFiles.js';

/** Blob files are readable by all (sandboxes read model files through hard links); their folders are not. */
const BLOB_FILE_MODE = 0o644;

/** Why a streamed blob was refused; the partial file is already gone when this is thrown. */
export class BlobRejected extends Error {
  constructor(
    message: string,
    readonly reason: 'size_mismatch' | 'sha_mismatch' | 'too_large' | 'aborted',
  ) {
    super(message);
    this.name = 'BlobRejected';
  }
}

export interface StoredBlob {
  sha256: string;
  size: number;
}

/**
 * Content-addressed file store: `<root>/sha256/ab/cdef…`. Writes go to a temporary file and are
 * renamed into place only once the hash is known (and checked), so a reader never sees a partial
 * blob and a failed upload leaves nothing behind.
 */
export class BlobStore {
  private readonly madeDirs = new Set<string>();
  private readonly tmpDir: string;

  constructor(readonly root: string) {
    this.tmpDir = path.join(root, 'tmp');
    // Folders owner-only (other host users cannot walk to anyone's files); the files themselves stay
    // world-readable for the model cache's hard links, which sandboxes read as a non-root user.
    for (const dir of [root, this.tmpDir, path.join(root, 'sha256')]) ensurePrivateDir(dir);
    for (const shard of fs.readdirSync(path.join(root, 'sha256')))
      fs.chmodSync(path.join(root, 'sha256', shard), PRIVATE_DIR_MODE);
    // Temporary files surviving a crash are garbage by construction.
    for (const name of fs.readdirSync(this.tmpDir)) fs.rmSync(path.join(this.tmpDir, name), { force: true });
  }

  /** Where the blob with this sha256 lives (whether or not it exists). */
  pathOf(sha256: string): string {
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256.slice(2));
  }

  /** Marks an existing blob as just used (garbage collection spares young blobs); false when absent. */
  private touch(file: string): boolean {
    // existsSync first: a throw per new file would cost more than the write itself.
    if (!fs.existsSync(file)) return false;
    try {
      const now = new Date();
      fs.utimesSync(file, now, now);
      return true;
    } catch {
      return false;
    }
  }

  /** Like stat, and marks the blob as just used: call it before committing a reference to it. */
  async claim(sha256: string): Promise<{ size: number } | undefined> {
    const file = this.pathOf(sha256);
    return this.touch(file) ? this.stat(sha256) : undefined;
  }

  async stat(sha256: string): Promise<{ size: number } | undefined> {
    try {
      const s = await fs.promises.stat(this.pathOf(sha256));
      return { size: s.size };
    } catch {
      return undefined;
    }
  }

  private tmpPath() {
    return path.join(this.tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
  }

  private place(tmp: string, sha256: string) {
    const dest = this.pathOf(sha256);
    const dir = path.dirname(dest);
    if (!this.madeDirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
      this.madeDirs.add(dir);
    }
    fs.chmodSync(tmp, BLOB_FILE_MODE);
    fs.renameSync(tmp, dest);
  }

  /**
   * Deletes stored blobs not in `keep` whose files are older than `graceMs` (younger ones may belong
   * to an upload whose commit has not arrived yet). Returns what it removed.
   */
  async sweep(keep: Set<string>, graceMs: number): Promise<{ blobs: number; bytes: number }> {
    const base = path.join(this.root, 'sha256');
    const cutoff = Date.now() - graceMs;
    let blobs = 0;
    let bytes = 0;
    const shards = await fs.promises.readdir(base).catch(() => [] as string[]);
    for (const shard of shards) {
      for (const rest of await fs.promises.readdir(path.join(base, shard))) {
        if (keep.has(shard + rest)) continue;
        const file = path.join(base, shard, rest);
        // Check and delete synchronously, so no reuse (which refreshes the mtime) can slip in between.
        let stat: fs.Stats;
        try {
          stat = fs.statSync(file);
        } catch {
          continue;
        }
        if (stat.mtimeMs > cutoff) continue;
        fs.rmSync(file, { force: true });
        blobs++;
        bytes += stat.size;
      }
    }
    return { blobs, bytes };
  }

  /** Health: the store can still write (disk not full, not read-only). */
  async check(): Promise<{ ok: boolean; root: string; error?: string }> {
    const probe = this.tmpPath();
    try {
      await fs.promises.writeFile(probe, 'ok');
      await fs.promises.rm(probe);
      return { ok: true, root: this.root };
    } catch (err) {
      return { ok: false, root: this.root, error: (err as Error).message };
    }
  }

  /**
   * Stores a small buffer. Synchronous on purpose: for files of a few kilobytes a thread-pool round
   * trip per file costs more than the write (a 1,000-file commit stays well under the 2 s budget).
   */
  putBuffer(content: Buffer): StoredBlob {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const dest = this.pathOf(sha256);
    if (!this.touch(dest)) {
      const tmp = this.tmpPath();
      fs.writeFileSync(tmp, content);
      this.place(tmp, sha256);
    }
    return { sha256, size: content.length };
  }

  /**
   * Streams a blob to disk while hashing it, never holding it whole in memory. With `expect`, the
   * byte count and sha256 must match or the blob is refused and its partial file removed.
   */
  async putStream(
    source: Readable,
    expect: { sha256?: string; size?: number; maxSize?: number } = {},
  ): Promise<StoredBlob> {
    const tmp = this.tmpPath();
    const hash = createHash('sha256');
    let size = 0;
    const limit = expect.size ?? expect.maxSize ?? Number.POSITIVE_INFINITY;
    try {
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            if (size > limit) {
              throw new BlobRejected(
                expect.size !== undefined
                  ? `Received more than the declared ${expect.size} bytes`
                  : 'Upload is too large',
                expect.size !== undefined ? 'size_mismatch' : 'too_large',
              );
            }
            hash.update(chunk);
            yield chunk;
          }
        },
        fs.createWriteStream(tmp),
      );
      if (expect.size !== undefined && size !== expect.size) {
        throw new BlobRejected(`Received ${size} bytes but ${expect.size} were declared`, 'size_mismatch');
      }
      const sha256 = hash.digest('hex');
      if (expect.sha256 !== undefined && sha256 !== expect.sha256) {
        throw new BlobRejected(
          `Content sha256 ${sha256} does not match the declared ${expect.sha256}`,
          'sha_mismatch',
        );
      }
      this.place(tmp, sha256);
      return { sha256, size };
    } catch (err) {
      await fs.promises.rm(tmp, { force: true });
      if (err instanceof BlobRejected) throw err;
      if (
        (err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' ||
        (err as Error).message === 'aborted'
      ) {
        throw new BlobRejected('The upload ended before all bytes arrived', 'aborted');
      }
      throw err;
    }
  }
}

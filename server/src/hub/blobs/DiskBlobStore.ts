import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ensurePrivateDir, PRIVATE_DIR_MODE } from '../../atRest/privateFiles.js';
import type { BlobExpectation, BlobHealth, BlobStore, ByteRange, StoredBlob } from './BlobStore.js';
import { asRejection, sha256Of, verifyingStream } from './verifyingStream.js';

/** Blob files are readable by all (sandboxes read model files through hard links); their folders are not. */
const BLOB_FILE_MODE = 0o644;

/**
 * Content-addressed file store: `<root>/sha256/ab/cdef…`. Writes go to a temporary file and are
 * renamed into place only once the hash is known (and checked), so a reader never sees a partial
 * blob and a failed upload leaves nothing behind.
 */
export class DiskBlobStore implements BlobStore {
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

  localFile(sha256: string): string {
    return this.pathOf(sha256);
  }

  /** Blobs are already on this machine: Atrium serves them itself. */
  async downloadUrl(): Promise<undefined> {
    return undefined;
  }

  close(): void {}

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

  async read(sha256: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(sha256);
    // Opened before returning, so a missing blob rejects here rather than erroring mid-response.
    const handle = await fs.promises.open(file, 'r');
    // 1 MiB reads: a sixteenth of the default's syscalls and chunk hand-offs for big model files.
    return handle.createReadStream({ ...range, highWaterMark: 1024 * 1024 });
  }

  async readBuffer(sha256: string): Promise<Buffer> {
    return fs.promises.readFile(this.pathOf(sha256));
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
  async sweep(keep: ReadonlySet<string>, graceMs: number): Promise<{ blobs: number; bytes: number }> {
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
  async check(): Promise<BlobHealth> {
    const probe = this.tmpPath();
    try {
      await fs.promises.writeFile(probe, 'ok');
      await fs.promises.rm(probe);
      return { ok: true, location: this.root };
    } catch (err) {
      return { ok: false, location: this.root, error: (err as Error).message };
    }
  }

  /**
   * Stores a small buffer. Synchronous inside on purpose: for files of a few kilobytes a thread-pool
   * round trip per file costs more than the write (a 1,000-file commit stays well under 2 s).
   */
  async put(content: Buffer): Promise<StoredBlob> {
    const sha256 = sha256Of(content);
    const dest = this.pathOf(sha256);
    if (!this.touch(dest)) {
      const tmp = this.tmpPath();
      fs.writeFileSync(tmp, content);
      this.place(tmp, sha256);
    }
    return { sha256, size: content.length };
  }

  /**
   * Streams a blob to disk while hashing it. With `expect`, the byte count and sha256 must match or
   * the blob is refused and its partial file removed.
   */
  async putStream(source: Readable, expect: BlobExpectation = {}): Promise<StoredBlob> {
    const tmp = this.tmpPath();
    const verify = verifyingStream(expect);
    const sink = fs.createWriteStream(tmp);
    try {
      await pipeline(source, verify.step, sink);
      const stored = verify.result();
      this.place(tmp, stored.sha256);
      return stored;
    } catch (err) {
      // A source that breaks off at once fails the pipeline while the file is still being opened; the
      // open then creates it after a removal (seen in CI: a partial file left behind). Remove it once
      // the sink has closed.
      if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
      await fs.promises.rm(tmp, { force: true });
      throw asRejection(err);
    }
  }
}

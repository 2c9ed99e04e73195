import { createWriteStream, mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { splitRepoId } from '../hub/access.js';
import { BlobRejected } from '../hub/blobs/BlobStore.js';
import { verifyingStream } from '../hub/blobs/verifyingStream.js';
import type { Hub } from '../hub/hub.js';
import type { RepoRecord } from '../hub/RepoStore.js';

/** Where a data directory keeps the model files sandboxes see read-only at /models. */
export const modelCacheDir = (dataDir: string) => path.join(dataDir, 'model-cache');

/** The folder of cached commits, beside the `<owner>/<name>` links to them. */
export const COMMITS = '.commits';

/** A staging folder older than this was left by a crash; the garbage collector removes it. */
const STALE_STAGING_MS = 3600_000;

/** Where sandboxes find their models (the runner points transformers.js's localModelPath there). */
export const SANDBOX_MODELS_DIR = '/models';

/** Why a model could not be provided to sandboxes, with what to do about it. */
export class ModelUnavailableError extends Error {
  constructor(
    readonly modelId: string,
    /** A private model the sandbox's user may not read is `not_found` too: its existence does not leak. */
    readonly reason: 'not_found' | 'invalid',
  ) {
    super(
      reason === 'invalid'
        ? `"${modelId}" is not a model id (owner/name).`
        : `Model "${modelId}" is not on this Atrium instance: publish it first (\`atrium push <folder> ${modelId}\`).`,
    );
  }
}

/** Whether a sandbox's user may read a model repository now (see sandboxViews/sandboxReaders.ts). */
export type ModelReader = (repo: RepoRecord) => Promise<boolean> | boolean;

/** Public models only: what the cache gives when no reader is named (seeds, upstream pulls). */
export const publicModels: ModelReader = (repo) => !repo.private;

/** How far caching one model has got (files linked from this hub, or bytes pulled from upstream). */
export interface ModelProgress {
  id: string;
  source: 'hub' | 'upstream';
  /** The file being written (the last one when done). */
  file: string;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  /** 0 while unknown (an upstream that does not report sizes). */
  bytesTotal: number;
}

export type ModelProgressListener = (progress: ModelProgress) => void;

export interface ModelCacheOptions {
  /** Hub-compatible server to pull public models from when they are not on this instance (off when unset). */
  upstream?: string;
  /** Largest model pulled from upstream, in bytes (default 4 GiB). */
  upstreamMaxBytes?: number;
  /** Sees the progress of every model cached (the server logs upstream pulls). */
  onProgress?: ModelProgressListener;
}

/** What `ensure` did for one model. */
export interface CachedModel {
  id: string;
  commit: string;
  /** The hub repository it came from (null for an upstream pull): access is re-checked against it. */
  repoId: string | null;
  /** Its folder under `.commits/` (the commit, or `upstream-<sha>`), which sandbox views link from. */
  folder: string;
  /** Files linked (or copied) into the cache this time; 0 when that commit was cached already. */
  added: number;
  bytes: number;
}

/**
 * Models materialised as Hub-style folders for sandboxes, which have no network: each commit's files
 * are hard links to the blob store under `.commits/<sha>/`, and `<owner>/<name>` is a relative symlink
 * swapped atomically to the newest cached commit. No sandbox mounts this folder: each one sees only
 * its own view (sandboxViews/), linked from here, of the models its user may read.
 */
export class ModelCache {
  /** Work under way per commit, with everyone following its progress: concurrent callers share it. */
  private readonly inflight = new Map<
    string,
    { work: Promise<CachedModel>; listeners: Set<ModelProgressListener> }
  >();

  constructor(
    private readonly hub: Hub,
    readonly root: string,
    private readonly options: ModelCacheOptions = {},
  ) {
    mkdirSync(path.join(root, COMMITS), { recursive: true });
  }

  /** Where a cached commit folder (a CachedModel's `folder`) is. */
  folderPath(folder: string): string {
    return path.join(this.root, COMMITS, folder);
  }

  /**
   * Makes `id` (at its `main` head) available under the cache root when `reader` may read it (a private
   * model it may not read answers exactly like a missing one); concurrent calls share the work, and
   * each `onProgress` hears how it goes from the moment it joins.
   */
  async ensure(
    id: string,
    onProgress?: ModelProgressListener,
    reader: ModelReader = publicModels,
  ): Promise<CachedModel> {
    const parts = splitRepoId(id);
    if (!parts || !/^[\w.-]+$/.test(parts.owner) || !/^[\w.-]+$/.test(parts.name)) {
      throw new ModelUnavailableError(id, 'invalid');
    }
    const repo = await this.hub.repos.find('model', parts.owner, parts.name);
    if (!repo?.head) {
      const upstream = this.options.upstream;
      if (!upstream) throw new ModelUnavailableError(id, 'not_found');
      return this.shared(`upstream:${id}`, onProgress, (report) => this.mirror(id, upstream, report));
    }
    if (!(await reader(repo))) throw new ModelUnavailableError(id, 'not_found');
    const head = repo.head;
    return this.shared(`hub:${repo.id}:${head}`, onProgress, (report) =>
      this.materialise(repo, head, report),
    );
  }

  /** Runs `work` once per key while it lasts; every caller hears its progress. */
  private shared(
    key: string,
    onProgress: ModelProgressListener | undefined,
    work: (report: ModelProgressListener) => Promise<CachedModel>,
  ): Promise<CachedModel> {
    let running = this.inflight.get(key);
    if (!running) {
      const listeners = new Set<ModelProgressListener>();
      const report = (p: ModelProgress) => {
        this.options.onProgress?.(p);
        for (const l of listeners) l(p);
      };
      running = { work: work(report).finally(() => this.inflight.delete(key)), listeners };
      this.inflight.set(key, running);
    }
    if (onProgress) running.listeners.add(onProgress);
    return running.work;
  }

  /** Ensures several models; every failure is reported by model, none stops the others. */
  async ensureAll(
    ids: readonly string[],
  ): Promise<{ cached: CachedModel[]; failed: ModelUnavailableError[] }> {
    const cached: CachedModel[] = [];
    const failed: ModelUnavailableError[] = [];
    for (const id of new Set(ids)) {
      try {
        cached.push(await this.ensure(id));
      } catch (err) {
        if (err instanceof ModelUnavailableError) failed.push(err);
        else throw err;
      }
    }
    return { cached, failed };
  }

  private async materialise(
    repo: RepoRecord,
    head: string,
    report: ModelProgressListener,
  ): Promise<CachedModel> {
    const canonical = `${repo.ownerName}/${repo.name}`;
    const commitDir = path.join(this.root, COMMITS, head);
    let added = 0;
    let bytes = 0;
    if (!(await exists(commitDir))) {
      const staging = `${commitDir}.tmp-${process.pid}-${Date.now()}`;
      const entries = await this.hub.repos.entries(head, '');
      const bytesTotal = entries.reduce((sum, e) => sum + e.size, 0);
      // A file that fails leaves nothing half-cached behind (a crash's leftovers: `collect`).
      const cleanUp = async (err: unknown) => {
        await fs.rm(staging, { recursive: true, force: true });
        throw err;
      };
      for (const entry of entries) {
        const target = path.join(staging, entry.path);
        // Hub paths are already checked; never let one escape the staging folder anyway.
        if (!target.startsWith(`${staging}${path.sep}`)) continue;
        await fs.mkdir(path.dirname(target), { recursive: true });
        const blob = this.hub.blobs.localFile(entry.sha256);
        // A hard link costs no bytes; across file systems fall back to a copy; blobs kept elsewhere
        // (S3) are streamed into the cache, which sandbox views then link from as usual.
        if (blob) await fs.link(blob, target).catch(() => fs.copyFile(blob, target));
        else await this.streamBlob(entry, target).catch(cleanUp);
        // Sandboxes read as an unprivileged (per-sandbox) uid: the file must be readable by others.
        await fs.chmod(target, 0o644);
        added++;
        bytes += entry.size;
        report({
          id: canonical,
          source: 'hub',
          file: entry.path,
          filesDone: added,
          filesTotal: entries.length,
          bytesDone: bytes,
          bytesTotal,
        });
      }
      await fs.rename(staging, commitDir).catch(async (err: NodeJS.ErrnoException) => {
        // Another process cached the same commit first: keep theirs.
        await fs.rm(staging, { recursive: true, force: true });
        if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
      });
    }
    await this.point(canonical, commitDir);
    return { id: canonical, commit: head, repoId: repo.id, folder: head, added, bytes };
  }

  /**
   * Streams a blob kept elsewhere (S3) into `target`, checked against the size and sha256 the
   * repository records: a truncated or damaged object must fail now, not stay cached for good.
   */
  private async streamBlob(entry: { path: string; size: number; sha256: string }, target: string) {
    const check = verifyingStream({ size: entry.size, sha256: entry.sha256 });
    const source = await this.hub.blobs.read(entry.sha256);
    try {
      await pipeline(source, check.step, createWriteStream(target));
      check.result();
    } catch (err) {
      if (!(err instanceof BlobRejected)) throw err;
      throw new Error(
        `${entry.path} as read from the blob store is not what was stored: ${(err as Error).message}`,
      );
    }
  }

  /**
   * Garbage collection: drops `<owner>/<name>` links of hub models that were deleted or moved, then
   * every commit folder that neither a remaining link nor a live sandbox view (`inUse`) names, and
   * staging folders a crash left. Returns what went; `bytes` counts only files whose last link it was.
   */
  async collect(inUse: ReadonlySet<string>): Promise<{ models: number; commits: number; bytes: number }> {
    const keep = new Set(inUse);
    let models = 0;
    for (const owner of await fs.readdir(this.root)) {
      if (owner === COMMITS) continue;
      const ownerDir = path.join(this.root, owner);
      for (const name of await fs.readdir(ownerDir).catch(() => [] as string[])) {
        const target = await fs.readlink(path.join(ownerDir, name)).catch(() => null);
        if (target === null) continue;
        const folder = path.basename(target);
        // Only the upstream knows whether its models still exist: those links stay.
        const repo = folder.startsWith('upstream-') ? null : await this.hub.repos.find('model', owner, name);
        if (folder.startsWith('upstream-') || (repo && repo.ownerName === owner && repo.name === name)) {
          keep.add(folder);
          continue;
        }
        await fs.rm(path.join(ownerDir, name), { force: true });
        models++;
      }
      await fs.rmdir(ownerDir).catch(() => {}); // only when it is empty now
    }
    let commits = 0;
    let bytes = 0;
    const staleBefore = Date.now() - STALE_STAGING_MS;
    for (const folder of await fs.readdir(path.join(this.root, COMMITS))) {
      if (keep.has(folder)) continue;
      const dir = path.join(this.root, COMMITS, folder);
      if (folder.includes('.tmp-') && (await fs.stat(dir)).mtimeMs > staleBefore) continue;
      bytes += await lastLinkBytes(dir);
      await fs.rm(dir, { recursive: true, force: true });
      commits++;
    }
    return { models, commits, bytes };
  }

  /** Swaps `<owner>/<name>` to a cached commit folder atomically (readers see the old or the new one). */
  private async point(id: string, commitDir: string): Promise<void> {
    const link = path.join(this.root, ...id.split('/'));
    await fs.mkdir(path.dirname(link), { recursive: true });
    const relative = path.relative(path.dirname(link), commitDir);
    const current = await fs.readlink(link).catch(() => null);
    if (current !== relative) {
      const temp = `${link}.tmp-${process.pid}-${Date.now()}`;
      await fs.symlink(relative, temp);
      await fs.rename(temp, link);
    }
  }

  /**
   * Pulls a public model from the upstream Hub into the cache only (it does not become a repository
   * here), with the Hub's own API: model info for the commit and file list, then each file from /resolve/.
   */
  private async mirror(id: string, upstream: string, report: ModelProgressListener): Promise<CachedModel> {
    // blobs=true makes the Hub list each file's size, so progress has a total.
    const info = await fetch(`${upstream}/api/models/${id}?blobs=true`).catch(() => null);
    if (!info?.ok) throw new ModelUnavailableError(id, 'not_found');
    const { sha, siblings } = (await info.json()) as {
      sha?: string;
      siblings?: { rfilename: string; size?: number }[];
    };
    if (!sha || !/^[0-9a-f]{40}$/.test(sha) || !Array.isArray(siblings)) {
      throw new ModelUnavailableError(id, 'not_found');
    }
    const folder = `upstream-${sha}`;
    const commitDir = path.join(this.root, COMMITS, folder);
    let added = 0;
    let bytes = 0;
    if (!(await exists(commitDir))) {
      const staging = `${commitDir}.tmp-${process.pid}-${Date.now()}`;
      const cap = this.options.upstreamMaxBytes ?? 4 * 1024 ** 3;
      const bytesTotal = siblings.every((f) => typeof f.size === 'number')
        ? siblings.reduce((sum, f) => sum + (f.size ?? 0), 0)
        : 0;
      const progress = (file: string) =>
        report({
          id,
          source: 'upstream',
          file,
          filesDone: added,
          filesTotal: siblings.length,
          bytesDone: bytes,
          bytesTotal,
        });
      try {
        for (const { rfilename } of siblings) {
          const target = path.join(staging, rfilename);
          if (!target.startsWith(`${staging}${path.sep}`)) continue;
          const url = `${upstream}/${id}/resolve/${sha}/${rfilename.split('/').map(encodeURIComponent).join('/')}`;
          const res = await fetch(url);
          if (!res.ok || !res.body) throw new Error(`upstream answered ${res.status} for ${rfilename}`);
          await fs.mkdir(path.dirname(target), { recursive: true });
          const file = await fs.open(target, 'w', 0o644);
          try {
            const reader = res.body.getReader();
            for (let read = await reader.read(); !read.done; read = await reader.read()) {
              bytes += read.value.byteLength;
              if (bytes > cap) throw new Error(`${id} is larger than the upstream limit of ${cap} bytes`);
              await file.write(read.value);
              progress(rfilename);
            }
          } finally {
            await file.close();
          }
          added++;
          progress(rfilename);
        }
        await fs.rename(staging, commitDir);
      } catch (err) {
        await fs.rm(staging, { recursive: true, force: true });
        throw err;
      }
    }
    await this.point(id, commitDir);
    return { id, commit: sha, repoId: null, folder, added, bytes };
  }
}

/** Bytes of the files under `dir` that no other link holds (what removing it frees on disk). */
async function lastLinkBytes(dir: string): Promise<number> {
  let bytes = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const stat = await fs.stat(path.join(entry.parentPath, entry.name)).catch(() => null);
    if (stat?.nlink === 1) bytes += stat.size;
  }
  return bytes;
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

import { mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { splitRepoId } from '../hub/access.js';
import type { Hub } from '../hub/hub.js';

/** Where a data directory keeps the model files sandboxes see read-only at /models. */
export const modelCacheDir = (dataDir: string) => path.join(dataDir, 'model-cache');

/** Where sandboxes find the cache (the runner points transformers.js's localModelPath there). */
export const SANDBOX_MODELS_DIR = '/models';

/** Why a model could not be provided to sandboxes, with what to do about it. */
export class ModelUnavailableError extends Error {
  constructor(
    readonly modelId: string,
    readonly reason: 'not_found' | 'private' | 'invalid',
  ) {
    super(
      reason === 'private'
        ? `Model "${modelId}" is private; sandboxes are only given public models for now (make it public, or push a public copy with \`atrium push\`).`
        : reason === 'invalid'
          ? `"${modelId}" is not a model id (owner/name).`
          : `Model "${modelId}" is not on this Atrium instance: publish it first (\`atrium push <folder> ${modelId}\`).`,
    );
  }
}

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
  /** Files linked (or copied) into the cache this time; 0 when that commit was cached already. */
  added: number;
  bytes: number;
}

/**
 * Public models, materialised as Hub-style folders (`<owner>/<name>/<path>`) for sandboxes, which have no
 * network: each commit's files are hard links to the blob store under `.commits/<sha>/`, and
 * `<owner>/<name>` is a relative symlink swapped atomically to the newest cached commit.
 */
export class ModelCache {
  /** Work under way per model, with everyone following its progress: concurrent callers share it. */
  private readonly inflight = new Map<
    string,
    { work: Promise<CachedModel>; listeners: Set<ModelProgressListener> }
  >();

  constructor(
    private readonly hub: Hub,
    readonly root: string,
    private readonly options: ModelCacheOptions = {},
  ) {
    // The folder is bind-mounted into every sandbox, so it must exist before the first one starts.
    mkdirSync(root, { recursive: true });
  }

  /**
   * Makes `id` (at its `main` head) available under the cache root; concurrent calls share the work, and
   * each `onProgress` hears how it goes from the moment it joins.
   */
  ensure(id: string, onProgress?: ModelProgressListener): Promise<CachedModel> {
    let running = this.inflight.get(id);
    if (!running) {
      const listeners = new Set<ModelProgressListener>();
      const report = (p: ModelProgress) => {
        this.options.onProgress?.(p);
        for (const l of listeners) l(p);
      };
      running = { work: this.materialise(id, report).finally(() => this.inflight.delete(id)), listeners };
      this.inflight.set(id, running);
    }
    if (onProgress) running.listeners.add(onProgress);
    return running.work;
  }

  /** Best effort before code runs: what cannot be provided fails later, in the cell, naming the model. */
  async provide(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.ensureAll(ids).catch(() => undefined);
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

  private async materialise(id: string, report: ModelProgressListener): Promise<CachedModel> {
    const parts = splitRepoId(id);
    if (!parts || !/^[\w.-]+$/.test(parts.owner) || !/^[\w.-]+$/.test(parts.name)) {
      throw new ModelUnavailableError(id, 'invalid');
    }
    const repo = await this.hub.repos.find('model', parts.owner, parts.name);
    if (!repo?.head && this.options.upstream) return this.mirror(id, this.options.upstream, report);
    if (!repo?.head) throw new ModelUnavailableError(id, 'not_found');
    if (repo.private) throw new ModelUnavailableError(id, 'private');
    const canonical = `${repo.ownerName}/${repo.name}`;
    const commitDir = path.join(this.root, '.commits', repo.head);
    let added = 0;
    let bytes = 0;
    if (!(await exists(commitDir))) {
      const staging = `${commitDir}.tmp-${process.pid}-${Date.now()}`;
      const entries = await this.hub.repos.entries(repo.head, '');
      const bytesTotal = entries.reduce((sum, e) => sum + e.size, 0);
      for (const entry of entries) {
        const target = path.join(staging, entry.path);
        // Hub paths are already checked; never let one escape the staging folder anyway.
        if (!target.startsWith(`${staging}${path.sep}`)) continue;
        await fs.mkdir(path.dirname(target), { recursive: true });
        const blob = this.hub.blobs.pathOf(entry.sha256);
        // A hard link costs no bytes; across file systems fall back to a copy.
        await fs.link(blob, target).catch(() => fs.copyFile(blob, target));
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
      await fs.mkdir(path.dirname(commitDir), { recursive: true });
      await fs.rename(staging, commitDir).catch(async (err: NodeJS.ErrnoException) => {
        // Another process cached the same commit first: keep theirs.
        await fs.rm(staging, { recursive: true, force: true });
        if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
      });
    }
    await this.point(canonical, commitDir);
    return { id: canonical, commit: repo.head, added, bytes };
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
    const commitDir = path.join(this.root, '.commits', `upstream-${sha}`);
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
          const file = await fs.open(target, 'w');
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
        await fs.mkdir(path.dirname(commitDir), { recursive: true });
        await fs.rename(staging, commitDir);
      } catch (err) {
        await fs.rm(staging, { recursive: true, force: true });
        throw err;
      }
    }
    await this.point(id, commitDir);
    return { id, commit: sha, added, bytes };
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

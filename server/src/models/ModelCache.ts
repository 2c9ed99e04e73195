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
  private readonly inflight = new Map<string, Promise<CachedModel>>();

  constructor(
    private readonly hub: Hub,
    readonly root: string,
  ) {
    // The folder is bind-mounted into every sandbox, so it must exist before the first one starts.
    mkdirSync(root, { recursive: true });
  }

  /** Makes `id` (at its `main` head) available under the cache root; concurrent calls share the work. */
  ensure(id: string): Promise<CachedModel> {
    const running = this.inflight.get(id);
    if (running) return running;
    const work = this.materialise(id).finally(() => this.inflight.delete(id));
    this.inflight.set(id, work);
    return work;
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

  private async materialise(id: string): Promise<CachedModel> {
    const parts = splitRepoId(id);
    if (!parts || !/^[\w.-]+$/.test(parts.owner) || !/^[\w.-]+$/.test(parts.name)) {
      throw new ModelUnavailableError(id, 'invalid');
    }
    const repo = await this.hub.repos.find('model', parts.owner, parts.name);
    if (!repo?.head) throw new ModelUnavailableError(id, 'not_found');
    if (repo.private) throw new ModelUnavailableError(id, 'private');
    const canonical = `${repo.ownerName}/${repo.name}`;
    const commitDir = path.join(this.root, '.commits', repo.head);
    let added = 0;
    let bytes = 0;
    if (!(await exists(commitDir))) {
      const staging = `${commitDir}.tmp-${process.pid}-${Date.now()}`;
      for (const entry of await this.hub.repos.entries(repo.head, '')) {
        const target = path.join(staging, entry.path);
        // Hub paths are already checked; never let one escape the staging folder anyway.
        if (!target.startsWith(`${staging}${path.sep}`)) continue;
        await fs.mkdir(path.dirname(target), { recursive: true });
        const blob = this.hub.blobs.pathOf(entry.sha256);
        // A hard link costs no bytes; across file systems fall back to a copy.
        await fs.link(blob, target).catch(() => fs.copyFile(blob, target));
        added++;
        bytes += entry.size;
      }
      await fs.mkdir(path.dirname(commitDir), { recursive: true });
      await fs.rename(staging, commitDir).catch(async (err: NodeJS.ErrnoException) => {
        // Another process cached the same commit first: keep theirs.
        await fs.rm(staging, { recursive: true, force: true });
        if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
      });
    }
    const link = path.join(this.root, repo.ownerName, repo.name);
    await fs.mkdir(path.dirname(link), { recursive: true });
    const relative = path.relative(path.dirname(link), commitDir);
    const current = await fs.readlink(link).catch(() => null);
    if (current !== relative) {
      const temp = `${link}.tmp-${process.pid}-${Date.now()}`;
      await fs.symlink(relative, temp);
      await fs.rename(temp, link);
    }
    return { id: canonical, commit: repo.head, added, bytes };
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Hub } from '../../hub/hub.js';
import {
  type CachedModel,
  COMMITS,
  type ModelCache,
  type ModelProgressListener,
  type ModelReader,
  ModelUnavailableError,
} from '../ModelCache.js';
import { type SandboxModelProvider, sandboxModelProvider } from '../provideToSandbox.js';
import { linkTree, readableDir } from './linkTree.js';
import type { SandboxPrincipal } from './sandboxReaders.js';
import type { ViewFolder, ViewStorage } from './ViewStorage.js';

/** A model linked into a view: where it came from (to re-check access) and which cached commit. */
interface Entry {
  repoId: string | null;
  folder: string;
}

export interface ModelViewDeps {
  cache: ModelCache;
  storage: ViewStorage;
  hub: Hub;
  readerFor: (principal: SandboxPrincipal) => ModelReader;
}

/**
 * What one sandbox sees at /models: `<owner>/<name>` symlinks to `.commits/<sha>/` trees of hard links
 * (no bytes copied), all inside the sandbox's own folder, holding only models its principal may read.
 * Links and removals run one at a time, so a model whose access went while it was being cached is
 * never linked after the check that removed it.
 */
export class ModelView {
  private principal: SandboxPrincipal | null = null;
  private reader: ModelReader = () => false;
  private readonly entries = new Map<string, Entry>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Hears which models a re-check took away (a Space app restarts, so nothing stays in its memory). */
  onRemoved: ((ids: string[]) => void) | null = null;

  constructor(
    private readonly folder: ViewFolder,
    private readonly deps: ModelViewDeps,
  ) {}

  get mount() {
    return this.folder.mount;
  }

  /** Host folder of the view (tests and benchmarks look inside). */
  get dir(): string {
    return this.folder.dir;
  }

  /** Whose access decides what this view holds; a pooled sandbox has nobody yet (and gets nothing). */
  assign(principal: SandboxPrincipal): void {
    this.principal = principal;
    this.reader = this.deps.readerFor(principal);
  }

  /** Model ids linked now. */
  models(): string[] {
    return [...this.entries.keys()];
  }

  /** Cached commit folders this view links: the cache's garbage collector keeps them. */
  folders(): string[] {
    return [...this.entries.values()].map((e) => e.folder);
  }

  /** Caches `id` if its principal may read it and links it in; throws ModelUnavailableError otherwise. */
  async provide(id: string, onProgress?: ModelProgressListener): Promise<CachedModel> {
    if (!this.principal) throw new ModelUnavailableError(id, 'not_found');
    const reader = this.reader;
    const cached = await this.deps.cache.ensure(id, onProgress, reader);
    await this.serial(async () => {
      if (!(await this.readable(cached.id, cached.repoId, reader)))
        throw new ModelUnavailableError(id, 'not_found');
      await this.link(cached.id, { repoId: cached.repoId, folder: cached.folder });
    });
    return cached;
  }

  /** Answers the sandbox's own requests for a model (the control channel's model_request). */
  readonly provider: SandboxModelProvider = sandboxModelProvider((id, onProgress) =>
    this.provide(id, onProgress),
  );

  /** Best effort before code runs (declared models): what fails shows later, in the code, naming it. */
  async provideAll(ids: readonly string[]): Promise<void> {
    for (const id of new Set(ids)) await this.provide(id).catch(() => undefined);
  }

  /** Unlinks every model its principal may no longer read (private, deleted, moved); returns their ids. */
  recheck(): Promise<string[]> {
    return this.serial(async () => {
      const removed: string[] = [];
      for (const [id, entry] of [...this.entries]) {
        if (await this.readable(id, entry.repoId, this.reader)) continue;
        await this.unlink(id);
        removed.push(id);
      }
      if (removed.length > 0) this.onRemoved?.(removed);
      return removed;
    });
  }

  /** Removes the view's folder (after its sandbox is gone). */
  close(): Promise<void> {
    this.closed = true;
    return this.serial(() => this.folder.remove());
  }

  /** Whether the model linked as `id` is still that repository, under that name, readable by `reader`. */
  private async readable(id: string, repoId: string | null, reader: ModelReader): Promise<boolean> {
    // An upstream pull is public by construction; only the upstream could say otherwise.
    if (repoId === null) return true;
    const repo = await this.deps.hub.repos.findById(repoId);
    return repo !== undefined && `${repo.ownerName}/${repo.name}` === id && (await reader(repo));
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async link(id: string, entry: Entry): Promise<void> {
    if (this.closed) return;
    const current = this.entries.get(id);
    if (current?.folder === entry.folder) return;
    const tree = path.join(this.folder.dir, COMMITS, entry.folder);
    if (!this.folders().includes(entry.folder)) {
      const source = await this.deps.storage.source(entry.folder, this.deps.cache.folderPath(entry.folder));
      await linkTree(source, tree);
    }
    const link = path.join(this.folder.dir, ...id.split('/'));
    await readableDir(path.dirname(link));
    // A new commit replaces the old one atomically: readers see one or the other, never neither.
    const temp = `${link}.tmp-${randomBytes(4).toString('hex')}`;
    await fs.symlink(path.relative(path.dirname(link), tree), temp);
    await fs.rename(temp, link);
    this.entries.set(id, entry);
    if (current) await this.dropUnused(current.folder);
  }

  private async unlink(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    const link = path.join(this.folder.dir, ...id.split('/'));
    await fs.rm(link, { force: true });
    await fs.rmdir(path.dirname(link)).catch(() => {}); // the owner's folder, once empty
    await this.dropUnused(entry.folder);
  }

  private async dropUnused(folder: string): Promise<void> {
    if (this.folders().includes(folder)) return;
    await fs.rm(path.join(this.folder.dir, COMMITS, folder), { recursive: true, force: true });
  }
}

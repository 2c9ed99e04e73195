import { unavailable } from '../../errors.js';
import type { Hub } from '../../hub/hub.js';
import type { Logger } from '../../logger.js';
import type { ModelCache, ModelReader } from '../ModelCache.js';
import { ModelView } from './ModelView.js';
import type { SandboxPrincipal } from './sandboxReaders.js';
import type { ViewStorage } from './ViewStorage.js';

export interface ModelViewsOptions {
  cache: ModelCache;
  hub: Hub;
  readerFor: (principal: SandboxPrincipal) => ModelReader;
  /** Picks where views live once Docker answers (volumes, or host folders). */
  chooseStorage: () => Promise<ViewStorage>;
  log: Logger;
  /** Every view is re-checked this often too, in case a change was not reported (default 10 s). */
  recheckEveryMs?: number;
  /** The cache is garbage-collected this often (default hourly). */
  collectEveryMs?: number;
}

/**
 * Every sandbox's model view: opened for each new sandbox (pooled ones too, empty until assigned),
 * re-checked on every access change and periodically, released with its sandbox. Also collects the
 * cache's garbage, keeping what live views link.
 */
export class ModelViews {
  private storage: ViewStorage | null = null;
  private readonly views = new Set<ModelView>();
  private rechecking: Promise<void> | null = null;
  private recheckAgain = false;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: ModelViewsOptions) {}

  /** Chooses the storage and removes views an earlier run left (its sandboxes are gone by now). */
  async init(): Promise<void> {
    const storage = await this.options.chooseStorage();
    const removed = await storage.init();
    if (removed > 0) this.options.log.info({ removed }, 'removed model views left by an earlier run');
    this.storage = storage;
    const every = (ms: number, work: () => Promise<unknown>) => {
      const timer = setInterval(() => void work().catch(() => {}), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.options.recheckEveryMs ?? 10_000, () => this.recheckAll());
    every(this.options.collectEveryMs ?? 3600_000, () => this.collectGarbage());
  }

  /** How views are mounted ('volume' or 'bind'); null before init. */
  get storageKind(): ViewStorage['kind'] | null {
    return this.storage?.kind ?? null;
  }

  /** A new, empty view for a sandbox about to be created. */
  async open(): Promise<ModelView> {
    if (!this.storage) throw unavailable('Sandbox model views are not ready yet', 'models_not_ready');
    const view = new ModelView(await this.storage.create(), { ...this.options, storage: this.storage });
    this.views.add(view);
    return view;
  }

  /** Removes a view; call once its sandbox is removed (a mounted volume cannot go). */
  async release(view: ModelView): Promise<void> {
    this.views.delete(view);
    await view.close().catch((err) => this.options.log.warn({ err }, 'could not remove a model view'));
  }

  /**
   * Any access change (an `AccessChangeListener`, or a subscriber of the access-event service): resolves
   * once every view holds only what it may read. Which change it was does not matter: all are re-checked.
   */
  onAccessChanged = (): Promise<void> => this.recheckAll();

  /** Re-checks every view; calls during a pass share one more pass after it (changes are never missed). */
  recheckAll(): Promise<void> {
    if (this.rechecking) {
      this.recheckAgain = true;
      return this.rechecking;
    }
    this.rechecking = (async () => {
      await null; // stored before it can finish (a pass over no views has nothing to wait for)
      try {
        do {
          this.recheckAgain = false;
          for (const view of [...this.views]) {
            const removed = await view.recheck().catch((err) => {
              this.options.log.warn({ err }, 'could not re-check a model view');
              return [];
            });
            if (removed.length > 0)
              this.options.log.info({ models: removed }, 'models taken out of a sandbox: access is gone');
          }
        } while (this.recheckAgain);
      } finally {
        this.rechecking = null;
      }
    })();
    return this.rechecking;
  }

  /** Removes cached commits nothing needs (models deleted or moved, superseded commits no view links). */
  async collectGarbage(): Promise<{ models: number; commits: number; bytes: number; staged: number }> {
    const inUse = new Set([...this.views].flatMap((v) => v.folders()));
    const collected = await this.options.cache.collect(inUse);
    const staged = (await this.storage?.collect(inUse)) ?? 0;
    this.options.log.info({ ...collected, staged }, 'model cache garbage collected');
    return { ...collected, staged };
  }

  /** Stops the timers and removes the shared store; each view goes with its sandbox (its owner releases it). */
  async close(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await this.storage
      ?.close()
      .catch((err) => this.options.log.warn({ err }, 'could not remove the model store'));
  }
}

import { randomBytes } from 'node:crypto';
import { unavailable } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { SANDBOX_MODELS_DIR } from '../../models/ModelCache.js';
import type { SandboxModelProvider } from '../../models/provideToSandbox.js';
import type { ModelView } from '../../models/sandboxViews/ModelView.js';
import type { ModelViews } from '../../models/sandboxViews/ModelViews.js';
import type { SandboxPrincipal } from '../../models/sandboxViews/sandboxReaders.js';
import type { SandboxDriver, SandboxRuntime } from '../../runtime/SandboxDriver.js';
import { SandboxLabel, TIME_LIMIT_REASON } from '../../runtime/SandboxDriver.js';
import { WarmPool } from '../../runtime/WarmPool.js';
import type { ChannelViolations } from '../../sandboxOutput/ChannelViolations.js';
import { AppSandbox } from './AppSandbox.js';

export interface AppSandboxesOptions {
  instanceId: string;
  runtime: SandboxRuntime;
  memoryMb: number;
  cpus: number;
  /** App-mode sandboxes kept started and waiting for a Space: a commit then skips the container start. */
  poolSize: number;
  /**
   * Each sandbox's own read-only /models, holding what its Space may read (models/sandboxViews); a model
   * the running app asks for is provided into it, with progress in the Space's log.
   */
  models?: ModelViews;
  /** The sandbox image's tag once it exists. */
  image: () => string | null;
  /** Counts what apps wrote that was refused (shared with the kernels, shown in /api/health). */
  violations?: ChannelViolations;
  log: Logger;
}

/** The label that names the Space a sandbox runs (the instance label lets start-up reconciliation remove it). */
export const SPACE_LABEL = 'atrium.space';
const WAIT_TIMEOUT_MS = 30_000;

/** Starts app-mode sandboxes for Spaces, from a warm pool when one is waiting. */
export class AppSandboxes {
  private readonly pool: WarmPool<AppSandbox>;
  private readonly live = new Set<AppSandbox>();
  private readonly views = new Map<AppSandbox, ModelView>();

  constructor(
    private readonly driver: SandboxDriver,
    private readonly options: AppSandboxesOptions,
  ) {
    this.pool = new WarmPool({
      size: () => options.poolSize,
      canLaunch: () => options.image() !== null,
      launch: () => this.launch('pool'),
      alive: (s) => s.alive,
      discard: (s) => this.release(s),
      onFillError: (err) => options.log.warn({ err }, 'could not fill the app sandbox pool'),
    });
  }

  /** Creates, attaches, starts one sandbox in app mode and waits until its runner asks for a Space. */
  private async launch(space: string): Promise<AppSandbox> {
    const image = this.options.image();
    if (!image) throw unavailable('The sandbox image is not ready yet', 'sandbox_image_missing');
    const view = await this.options.models?.open();
    const releaseView = async () => {
      if (view) await this.options.models?.release(view);
    };
    const id = await this.driver
      .create({
        name: `atrium-${this.options.instanceId.slice(0, 8)}-app-${randomBytes(6).toString('hex')}`,
        image,
        runtime: this.options.runtime,
        memoryMb: this.options.memoryMb,
        cpus: this.options.cpus,
        env: { ATRIUM_RUNNER_MODE: 'app', ...(view ? { ATRIUM_MODELS_DIR: SANDBOX_MODELS_DIR } : {}) },
        readOnlyMounts: view ? [view.mount] : [],
        labels: {
          [SandboxLabel.instance]: this.options.instanceId,
          [SandboxLabel.owner]: space.split('/')[0] ?? 'pool',
          [SandboxLabel.purpose]: 'space',
          [SPACE_LABEL]: space,
        },
      })
      .catch(async (err) => {
        await releaseView();
        throw err;
      });
    try {
      const channel = await this.driver.attach(id);
      const sandbox = new AppSandbox(
        id,
        channel,
        async () => {
          const info = await this.driver.inspect(id);
          if (info?.timeLimitReached) return TIME_LIMIT_REASON;
          if (info?.oomKilled || info?.exitCode === 137) return 'killed: out of memory';
          return `exited with code ${info?.exitCode ?? 'unknown'}`;
        },
        { provideModel: view?.provider, violations: this.options.violations },
      );
      await this.driver.start(id);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        sandbox.waiting,
        sandbox.ended.then((r) =>
          Promise.reject(new Error(`The sandbox stopped before the app started: ${r}`)),
        ),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('The sandbox did not start in time')), WAIT_TIMEOUT_MS);
        }),
      ]).finally(() => clearTimeout(timer));
      this.live.add(sandbox);
      if (view) this.views.set(sandbox, view);
      return sandbox;
    } catch (err) {
      await this.driver.remove(id).catch(() => {});
      await releaseView();
      throw err;
    }
  }

  /**
   * A sandbox waiting for `space` (owner/name): a pooled one when it is still alive, else a new one; its
   * /models holds what `principal` may read, `provideModel` puts a model there, and `onModelsRemoved`
   * hears when access to some went.
   */
  async acquire(
    space: string,
    principal: SandboxPrincipal,
    onModelsRemoved: (ids: string[]) => void,
  ): Promise<{ sandbox: AppSandbox; pooled: boolean; provideModel: SandboxModelProvider }> {
    const acquired = await this.take(space);
    const view = this.views.get(acquired.sandbox);
    view?.assign(principal);
    if (view) view.onRemoved = onModelsRemoved;
    const provideModel: SandboxModelProvider =
      view?.provider ??
      (async (model) => ({
        status: 'error',
        model_id: model,
        evalue: 'This Atrium has no models for sandboxes',
      }));
    return { ...acquired, provideModel };
  }

  private async take(space: string): Promise<{ sandbox: AppSandbox; pooled: boolean }> {
    const sandbox = this.pool.take();
    // Refill a moment later, so the new sandbox does not compete with this app's start for CPU.
    if (this.options.poolSize > 0) setTimeout(() => this.fill(), 500).unref();
    if (sandbox) return { sandbox, pooled: true };
    return { sandbox: await this.launch(space), pooled: false };
  }

  /** Keeps the pool at its size. */
  fill(): Promise<void> {
    return this.pool.fill();
  }

  /** Stops and removes a sandbox. */
  async release(sandbox: AppSandbox): Promise<void> {
    this.live.delete(sandbox);
    sandbox.close();
    await this.driver.remove(sandbox.containerId).catch(() => {});
    const view = this.views.get(sandbox);
    this.views.delete(sandbox);
    if (view) await this.options.models?.release(view);
  }

  stats() {
    return {
      apps: this.live.size - this.pool.length,
      pooled: this.pool.length,
      poolSize: this.options.poolSize,
    };
  }

  async close(): Promise<void> {
    await this.pool.close();
    await Promise.all([...this.live].map((s) => this.release(s)));
  }
}

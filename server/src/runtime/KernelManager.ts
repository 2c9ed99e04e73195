import { randomBytes, randomUUID } from 'node:crypto';
import {
  type CompleteReplyContent,
  type CompleteRequestContent,
  type ExecuteReplyContent,
  type ExecuteRequestContent,
  type InspectReplyContent,
  type InspectRequestContent,
  type KernelImage,
  type KernelLanguage,
  type KernelView,
  kernelImageOf,
  OUT_OF_MEMORY_REASON,
} from '@atrium/protocol';
import { conflict, notFound, tooManyRequests, unavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import { SANDBOX_MODELS_DIR } from '../models/ModelCache.js';
import type { ModelView } from '../models/sandboxViews/ModelView.js';
import type { ModelViews } from '../models/sandboxViews/ModelViews.js';
import type { ChannelViolations } from '../sandboxOutput/ChannelViolations.js';
import { KernelSession, type MessageListener } from './KernelSession.js';
import { type SandboxDriver, SandboxLabel, type SandboxRuntime, TIME_LIMIT_REASON } from './SandboxDriver.js';
import { WarmPool } from './WarmPool.js';

export interface KernelManagerOptions {
  instanceId: string;
  runtime: SandboxRuntime;
  memoryMb: number;
  cpus: number;
  /** Started sandboxes kept waiting for the next kernel request. */
  poolSize: number;
  /** Fill the pool at start-up rather than after the first request. */
  poolEager: boolean;
  idleTimeoutS: number;
  executionTimeoutS: number;
  /** Kernels one user may hold at once. */
  maxKernelsPerUser: number;
  /**
   * Each sandbox's own read-only /models, holding only what its owner may read (models/sandboxViews);
   * a model a running cell asks for is provided into it, with progress shown under the cell.
   */
  models?: ModelViews;
  /** Python sandboxes: their memory and warm pool (the Node ones use memoryMb, poolSize, poolEager). */
  python?: { memoryMb: number; poolSize: number; poolEager: boolean };
  /** The sandbox image's tag once it exists (per runner: node or python). */
  image: (kind: KernelImage) => string | null;
  /** The container command per runner (the Node runner's default when absent). */
  command?: (kind: KernelImage, memoryMb: number) => string[] | undefined;
  /** A kernel of this kind was asked for while its image is missing: build it (the Python image is built on first need). */
  onImageNeeded?: (kind: KernelImage) => void;
  /** Counts what runners wrote that was refused (shared with the Space runtime, shown in /api/health). */
  violations?: ChannelViolations;
  log: Logger;
}

/** One running (or dead) kernel and the sandbox it lives in. */
export interface Kernel {
  id: string;
  owner: string;
  /** Optional reuse key (e.g. a notebook id): start() with the same owner and key returns this kernel. */
  key: string | null;
  runtime: SandboxRuntime;
  /** node (JavaScript, TypeScript) or python. */
  image: KernelImage;
  containerId: string;
  session: KernelSession;
  /** What the sandbox sees at /models. */
  view: ModelView | undefined;
  createdAt: Date;
  lastActivityAt: Date;
  executionCount: number;
  busy: number;
}

interface Sandbox {
  containerId: string;
  session: KernelSession;
  runtime: SandboxRuntime;
  image: KernelImage;
  view: ModelView | undefined;
}

const IMAGES: readonly KernelImage[] = ['node', 'python'];

const READY_TIMEOUT_MS = 30_000;
/** How long a sandbox may still read as running after its channel ended before it counts as cut off. */
const CHANNEL_END_GRACE_MS = 5_000;
/** Why a kernel whose channel ended while its sandbox ran on is dead. */
const LOST_CHANNEL_REASON = 'lost its channel';

/**
 * Kernels over sandboxes: starts (from a warm pool when it can), reuses, interrupts, restarts and
 * shuts them down, culls idle ones, notices dead containers and removes what an earlier run left.
 */
export class KernelManager {
  private readonly kernels = new Map<string, Kernel>();
  private readonly byContainer = new Map<string, Kernel>();
  /** Warm sandboxes per runner image. */
  private readonly pools: Record<KernelImage, WarmPool<Sandbox>>;
  private readonly oomSeen = new Set<string>();
  private readonly removing = new Set<string>();
  private readonly noticing = new Set<string>();
  private readonly startingByKey = new Map<string, Promise<Kernel>>();
  private readonly poolWanted: Record<KernelImage, boolean>;
  private stopEvents: (() => void) | null = null;
  private cullTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly driver: SandboxDriver,
    private readonly options: KernelManagerOptions,
  ) {
    this.poolWanted = { node: options.poolEager, python: options.python?.poolEager ?? false };
    const pool = (kind: KernelImage) =>
      new WarmPool<Sandbox>({
        size: () => this.poolSize(kind),
        canLaunch: () => this.options.image(kind) !== null,
        launch: () => this.launch('pool', 'pool', randomBytes(6).toString('hex'), this.options.runtime, kind),
        alive: (s) => s.session.state !== 'dead',
        // A dead one was removed when its death was noticed.
        discard: (s) => (this.removing.has(s.containerId) ? Promise.resolve() : this.removeSandbox(s)),
        onFillError: (err) => this.options.log.warn({ err, image: kind }, 'could not fill the sandbox pool'),
      });
    this.pools = { node: pool('node'), python: pool('python') };
  }

  private poolSize(kind: KernelImage): number {
    return kind === 'python' ? (this.options.python?.poolSize ?? 0) : this.options.poolSize;
  }

  private memoryMb(kind: KernelImage): number {
    return kind === 'python'
      ? (this.options.python?.memoryMb ?? this.options.memoryMb)
      : this.options.memoryMb;
  }

  /** The pooled sandbox in this container, if one waits in a pool. */
  private pooled(containerId: string): Sandbox | undefined {
    for (const kind of IMAGES) {
      const found = this.pools[kind].find((s) => s.containerId === containerId);
      if (found) return found;
    }
    return undefined;
  }

  private get labels() {
    return { [SandboxLabel.instance]: this.options.instanceId };
  }

  /** Removes every sandbox an earlier run of this instance left, then starts watching events. */
  async init(): Promise<{ removed: number }> {
    const leftovers = await this.driver.list(this.labels);
    await Promise.all(leftovers.map((c) => this.driver.remove(c.id)));
    if (leftovers.length > 0)
      this.options.log.info({ removed: leftovers.length }, 'removed sandboxes left by an earlier run');
    this.stopEvents = this.driver.events(this.labels, (e) => {
      if (e.action === 'oom') this.oomSeen.add(e.id);
      if (e.action === 'die') this.noticeDeathLater(e.id, e.exitCode, 'event');
    });
    const every = Math.max(1000, Math.min(30_000, (this.options.idleTimeoutS * 1000) / 4));
    this.cullTimer = setInterval(
      () => void this.cullIdle().catch((err) => this.options.log.error({ err }, 'idle culling failed')),
      every,
    );
    this.cullTimer.unref();
    this.fillPoolIfWanted();
    return { removed: leftovers.length };
  }

  /** Creates, attaches and starts one sandbox and waits for its runner to say idle. */
  private async launch(
    owner: string,
    purpose: 'kernel' | 'pool',
    kernelId: string,
    runtime: SandboxRuntime,
    kind: KernelImage,
  ): Promise<Sandbox> {
    const image = this.options.image(kind);
    if (!image) {
      this.options.onImageNeeded?.(kind);
      throw unavailable(
        `The ${kind === 'python' ? 'Python ' : ''}sandbox image is not ready yet; try again shortly`,
        'sandbox_image_missing',
      );
    }
    const memoryMb = this.memoryMb(kind);
    const name = `atrium-${this.options.instanceId.slice(0, 8)}-${purpose}-${kernelId.slice(0, 12)}`;
    const view = await this.options.models?.open();
    const containerId = await this.driver
      .create({
        name,
        image,
        runtime,
        memoryMb,
        command: this.options.command?.(kind, memoryMb),
        cpus: this.options.cpus,
        env: {
          ATRIUM_EXECUTION_TIMEOUT_S: String(this.options.executionTimeoutS),
          ...(view ? { ATRIUM_MODELS_DIR: SANDBOX_MODELS_DIR } : {}),
        },
        readOnlyMounts: view ? [view.mount] : [],
        labels: {
          ...this.labels,
          [SandboxLabel.owner]: owner,
          [SandboxLabel.purpose]: purpose,
          [SandboxLabel.kernel]: kernelId,
        },
      })
      .catch(async (err) => {
        await this.releaseView(view);
        throw err;
      });
    try {
      const channel = await this.driver.attach(containerId);
      const session = new KernelSession(channel, {
        onActivity: () => this.touch(containerId),
        provideModel: view?.provider,
        violations: this.options.violations,
        onBroken: (reason) => this.endBroken(containerId, reason),
      });
      void channel.ended.then(() => this.noticeDeathLater(containerId, null, 'channel'));
      await this.driver.start(containerId);
      await session.waitReady(READY_TIMEOUT_MS);
      return { containerId, session, runtime, image: kind, view };
    } catch (err) {
      this.removing.add(containerId);
      await this.driver.remove(containerId).catch(() => {});
      await this.releaseView(view);
      throw err;
    }
  }

  /** A view goes after its sandbox (Docker refuses to remove a volume still mounted). */
  private async releaseView(view: ModelView | undefined): Promise<void> {
    if (view) await this.options.models?.release(view);
  }

  /** Makes the models a notebook declares available to its kernel (best effort, in the background). */
  provideModels(id: string, models: readonly string[]): Promise<void> {
    return this.kernels.get(id)?.view?.provideAll(models) ?? Promise.resolve();
  }

  private touch(containerId: string): void {
    const k = this.byContainer.get(containerId);
    if (k) k.lastActivityAt = new Date();
  }

  /** Fills each pool that should be warm already (eager, or a kernel of its kind was requested). */
  fillPoolIfWanted(): void {
    for (const kind of IMAGES) if (this.poolWanted[kind]) this.fillPool(kind);
  }

  /** Keeps a warm pool at its size. */
  fillPool(kind: KernelImage = 'node'): void {
    void this.pools[kind].fill();
  }

  /**
   * A kernel for this owner: the live one with the same key (and runner), else a pooled sandbox, else
   * a new one. A keyed kernel of the other runner (the notebook switched language) is shut down first.
   */
  start(
    owner: string,
    options: { key?: string; runtime?: SandboxRuntime; language?: KernelLanguage } = {},
  ): Promise<Kernel> {
    const kind = kernelImageOf(options.language ?? 'javascript');
    if (!options.key) return this.startNew(owner, null, kind, options.runtime);
    const key = options.key;
    const existing = [...this.kernels.values()].find(
      (k) => k.owner === owner && k.key === key && k.session.state !== 'dead',
    );
    if (existing?.image === kind) return Promise.resolve(existing);
    // Two requests for the same key at once (collaborators pressing Run) share one start.
    const slot = JSON.stringify([owner, key, kind]);
    let starting = this.startingByKey.get(slot);
    if (!starting) {
      starting = (async () => {
        if (existing) await this.shutdown(existing.id).catch(() => {});
        return this.startNew(owner, key, kind, options.runtime);
      })().finally(() => this.startingByKey.delete(slot));
      this.startingByKey.set(slot, starting);
    }
    return starting;
  }

  private async startNew(
    owner: string,
    key: string | null,
    kind: KernelImage,
    requestedRuntime?: SandboxRuntime,
  ): Promise<Kernel> {
    if (this.closed) throw unavailable('The server is shutting down', 'shutting_down');
    const mine = [...this.kernels.values()].filter(
      (k) => k.owner === owner && k.session.state !== 'dead',
    ).length;
    if (mine >= this.options.maxKernelsPerUser) {
      throw tooManyRequests(`You already run ${mine} kernels; shut one down first`);
    }
    const runtime = requestedRuntime ?? this.options.runtime;
    const id = randomUUID();
    let sandbox = runtime === this.options.runtime ? this.pools[kind].take() : undefined;
    if (this.poolSize(kind) > 0 && runtime === this.options.runtime && this.options.image(kind)) {
      this.poolWanted[kind] = true;
      // Refill a moment later, so the new sandbox does not compete with the first cells for CPU.
      setTimeout(() => this.fillPool(kind), 250).unref();
    }
    sandbox ??= await this.launch(owner, 'kernel', id, runtime, kind);
    sandbox.view?.assign({ kind: 'account', name: owner });
    const now = new Date();
    const kernel: Kernel = {
      id,
      owner,
      key,
      runtime,
      image: kind,
      containerId: sandbox.containerId,
      session: sandbox.session,
      view: sandbox.view,
      createdAt: now,
      lastActivityAt: now,
      executionCount: 0,
      busy: 0,
    };
    this.kernels.set(id, kernel);
    this.byContainer.set(sandbox.containerId, kernel);
    this.options.log.info({ kernel: id, owner, runtime, image: kind }, 'kernel started');
    return kernel;
  }

  get(id: string): Kernel {
    const k = this.kernels.get(id);
    if (!k) throw notFound(`Kernel ${id} not found`, 'kernel_not_found');
    return k;
  }

  /** Kernels of one owner, or all of them. */
  list(owner?: string): Kernel[] {
    return [...this.kernels.values()].filter((k) => owner === undefined || k.owner === owner);
  }

  view(k: Kernel): KernelView {
    return {
      id: k.id,
      owner: k.owner,
      runtime: k.runtime,
      image: k.image,
      state: k.session.state,
      reason: k.session.reason,
      containerId: k.containerId,
      createdAt: k.createdAt.toISOString(),
      lastActivityAt: k.lastActivityAt.toISOString(),
      executionCount: k.executionCount,
    };
  }

  /** Runs code in a kernel; onMessage sees every Jupyter message it causes; resolves with the reply. */
  async execute(
    id: string,
    request: ExecuteRequestContent,
    onMessage: MessageListener = () => {},
  ): Promise<ExecuteReplyContent> {
    const k = this.get(id);
    k.busy += 1;
    k.lastActivityAt = new Date();
    try {
      const reply = await k.session.execute(request, onMessage);
      if (reply.execution_count > 0) k.executionCount = reply.execution_count;
      return reply;
    } finally {
      k.busy -= 1;
      k.lastActivityAt = new Date();
    }
  }

  /** Completions for a cell being edited; a Node kernel offers none (its runner has no completer). */
  async complete(id: string, request: CompleteRequestContent): Promise<CompleteReplyContent> {
    const k = this.live(id);
    if (k.image !== 'python')
      return { status: 'ok', matches: [], cursor_start: request.cursor_pos, cursor_end: request.cursor_pos };
    return k.session.complete(request);
  }

  /** Help for the name at the cursor; a Node kernel finds nothing. */
  async inspect(id: string, request: InspectRequestContent): Promise<InspectReplyContent> {
    const k = this.live(id);
    if (k.image !== 'python') return { status: 'ok', found: false, data: {} };
    return k.session.inspect(request);
  }

  private live(id: string): Kernel {
    const k = this.get(id);
    if (k.session.state === 'dead')
      throw conflict(`Kernel ${id} is dead: ${k.session.reason}`, 'kernel_dead');
    return k;
  }

  async interrupt(id: string): Promise<void> {
    const k = this.get(id);
    if (k.session.state === 'dead')
      throw conflict(`Kernel ${id} is dead: ${k.session.reason}`, 'kernel_dead');
    await k.session.interrupt();
  }

  async restart(id: string): Promise<Kernel> {
    const k = this.get(id);
    if (k.session.state === 'dead')
      throw conflict(`Kernel ${id} is dead: ${k.session.reason}`, 'kernel_dead');
    await k.session.restart();
    k.executionCount = 0;
    k.lastActivityAt = new Date();
    return k;
  }

  /** Stops the kernel and removes its sandbox. */
  async shutdown(id: string): Promise<void> {
    const k = this.get(id);
    this.kernels.delete(id);
    this.byContainer.delete(k.containerId);
    await this.removeSandbox(k);
    this.options.log.info({ kernel: id }, 'kernel shut down');
  }

  private async removeSandbox({ containerId, session, view }: Sandbox): Promise<void> {
    this.removing.add(containerId);
    session.markDead('shut down');
    session.close();
    await this.driver.remove(containerId);
    await this.releaseView(view);
  }

  /** A sandbox broke its channel (its session is dead already, with the reason): remove it now. */
  private endBroken(containerId: string, reason: string): void {
    const kernel = this.byContainer.get(containerId);
    const pooled = this.pooled(containerId);
    if (pooled) this.pools[pooled.image].remove(pooled);
    this.options.log.warn(
      { kernel: kernel?.id, containerId, reason },
      'ended a sandbox that broke its channel',
    );
    this.removing.add(containerId);
    this.driver
      .remove(containerId)
      // A pooled sandbox has no record to shut down later: its view goes with it.
      .then(() => this.releaseView(pooled?.view))
      .catch((err) => this.options.log.warn({ err, containerId }, 'could not remove a sandbox'));
    if (pooled) this.fillPool(pooled.image);
  }

  /** noticeDeath from an event or a stream end: a failure there is logged, never left unhandled. */
  private noticeDeathLater(containerId: string, exitCode: number | null, from: 'event' | 'channel'): void {
    this.noticeDeath(containerId, exitCode, from).catch((err) =>
      this.options.log.error({ err, containerId }, 'could not tell why a sandbox died'),
    );
  }

  /**
   * Called from the events stream and when the attach stream ends: why did it die? A channel that
   * ended while its sandbox still runs (an attach dropped by the API server or the network) is a
   * broken sandbox: nothing can reach its runner again, so it is ended rather than left to hang cells.
   */
  private async noticeDeath(
    containerId: string,
    exitCode: number | null,
    from: 'event' | 'channel',
  ): Promise<void> {
    if (this.removing.has(containerId) || this.noticing.has(containerId)) return;
    this.noticing.add(containerId);
    try {
      const kernel = this.byContainer.get(containerId);
      const pooled = this.pooled(containerId);
      const session = kernel?.session ?? pooled?.session;
      if (!session || session.state === 'dead') return;
      const info = await this.inspectAfter(containerId, from);
      if (info?.running) {
        if (from === 'channel' && !this.removing.has(containerId)) {
          session.markDead(LOST_CHANNEL_REASON);
          this.endBroken(containerId, LOST_CHANNEL_REASON);
        }
        return;
      }
      const code = info?.exitCode ?? exitCode;
      const oom = info?.oomKilled || this.oomSeen.has(containerId) || code === 137;
      const reason = info?.timeLimitReached
        ? TIME_LIMIT_REASON
        : oom
          ? OUT_OF_MEMORY_REASON
          : `exited with code ${code ?? 'unknown'}`;
      session.markDead(reason);
      this.options.log.warn({ kernel: kernel?.id, containerId, reason }, 'sandbox died');
      if (pooled) this.pools[pooled.image].remove(pooled);
      // The record stays (state dead, with its reason) until shut down; the container goes now.
      this.removing.add(containerId);
      await this.driver.remove(containerId).catch(() => {});
      await this.releaseView(kernel?.view ?? pooled?.view);
      if (pooled) this.fillPool(pooled.image);
    } finally {
      // A later notice (the die event after a channel end) must be heard, not dropped as a repeat.
      this.noticing.delete(containerId);
    }
  }

  /**
   * The sandbox's state. After its channel ended the engine may not have recorded the exit yet (a
   * kubelet reports a pod's status on its own schedule): look again for a while before calling it alive.
   */
  private async inspectAfter(containerId: string, from: 'event' | 'channel') {
    const deadline = Date.now() + (from === 'channel' ? CHANNEL_END_GRACE_MS : 0);
    for (;;) {
      const info = await this.driver.inspect(containerId).catch(() => null);
      if (!info?.running || Date.now() >= deadline || this.removing.has(containerId)) return info;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private async cullIdle(): Promise<void> {
    const cutoff = Date.now() - this.options.idleTimeoutS * 1000;
    for (const k of this.kernels.values()) {
      if (k.busy === 0 && k.session.state !== 'busy' && k.lastActivityAt.getTime() < cutoff) {
        this.options.log.info({ kernel: k.id }, 'culling an idle kernel');
        await this.shutdown(k.id).catch(() => {});
      }
    }
  }

  /** Pool status for the health report. */
  stats() {
    return {
      kernels: this.kernels.size,
      pooled: this.pools.node.length,
      poolSize: this.options.poolSize,
      pythonPooled: this.pools.python.length,
      pythonPoolSize: this.poolSize('python'),
    };
  }

  /** Removes every sandbox this manager started. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopEvents?.();
    if (this.cullTimer) clearInterval(this.cullTimer);
    const pooled = (await Promise.all(IMAGES.map((kind) => this.pools[kind].close()))).flat();
    const all = [...this.kernels.values(), ...pooled];
    this.kernels.clear();
    await Promise.all(all.map((s) => this.removeSandbox(s).catch(() => {})));
  }
}

import { randomBytes } from 'node:crypto';
import { type EnsureImageOptions, ensureSandboxImage } from '@atrium/sandbox/image/ensureSandboxImage';
import { pythonRecipe, pythonRunnerCommand } from '@atrium/sandbox/image/python/pythonRecipe';
import type { Config } from '../config.js';
import type { MetaStore } from '../db/metaStore.js';
import type { HealthReport } from '../health/HealthChecks.js';
import type { Logger } from '../logger.js';
import type { ModelViews } from '../models/sandboxViews/ModelViews.js';
import { ChannelViolations } from '../sandboxOutput/ChannelViolations.js';
import { DockerDriver } from './DockerDriver.js';
import { KernelManager } from './KernelManager.js';
import type { SandboxDriver } from './SandboxDriver.js';

export type ImageState = 'checking' | 'building' | 'present' | 'failed' | 'no-docker';

/** One sandbox image as the health report shows it. */
export interface ImageStatus {
  state: ImageState;
  tag: string | null;
  progress: string | null;
  error: string | null;
}

/** Builds the sandboxes' model views on this runtime's driver (app.ts passes the models concern's). */
export type MakeModelViews = (driver: SandboxDriver, instanceId: string) => ModelViews;

/**
 * The sandbox runtime of one server: the driver (Docker, or Kubernetes), the image (on Docker, ensured in
 * the background so start-up never waits for a build) and the kernel manager. Other concerns use `kernels`.
 */
export class Runtime {
  readonly driver: SandboxDriver;
  /** The Docker driver, which builds images too; null when sandboxes run on Kubernetes. */
  readonly docker: DockerDriver | null;
  readonly kernels: KernelManager;
  /** What each sandbox sees at /models (kernels and Space apps); absent in runtimes built without models. */
  readonly models: ModelViews | undefined;
  /** What sandboxes (kernels and Space apps) wrote that the server refused. */
  readonly violations: ChannelViolations;
  image: ImageStatus = { state: 'checking', tag: null, progress: null, error: null };
  /** The Python image: built in the background on the first Python kernel (it is ~1.4 GB), not at start-up. */
  pythonImage: ImageStatus = { state: 'checking', tag: null, progress: null, error: null };
  private ready: Promise<void> | null = null;
  private pythonJob: Promise<void> | null = null;

  /**
   * Where sandboxes run: the local Docker (images built here), a Kubernetes cluster (images pulled
   * from the configured references), or a driver the embedder injected (it runs its own runner).
   */
  private readonly driverKind: 'docker' | 'kubernetes' | 'injected';

  private constructor(
    private readonly config: Config,
    private readonly log: Logger,
    readonly instanceId: string,
    makeModelViews: MakeModelViews | undefined,
    external: { driver: SandboxDriver; kind: 'kubernetes' | 'injected' } | null,
  ) {
    const where = config.sandboxDriver;
    this.driverKind = external?.kind ?? 'docker';
    this.docker = external ? null : new DockerDriver(log);
    this.driver = external?.driver ?? (this.docker as DockerDriver);
    // Model views are volumes; on Kubernetes only with a shared claim (runtime/kubernetes/README.md).
    const views = where.kind === 'docker' || where.volumesClaim !== undefined;
    if (!views)
      log.warn('sandboxes have no /models: set ATRIUM_K8S_VOLUMES_CLAIM and ATRIUM_K8S_VOLUMES_DIR');
    this.models = views ? makeModelViews?.(this.driver, instanceId) : undefined;
    this.violations = new ChannelViolations(log.child({ concern: 'sandboxOutput' }));
    this.kernels = new KernelManager(this.driver, {
      instanceId,
      runtime: config.sandboxRuntime,
      memoryMb: config.sandboxMemoryMb,
      cpus: config.sandboxCpus,
      poolSize: config.sandboxPoolSize,
      poolEager: config.sandboxPoolEager,
      idleTimeoutS: config.kernelIdleTimeoutS,
      executionTimeoutS: config.executionTimeoutS,
      maxKernelsPerUser: config.sandboxMaxPerUser,
      models: this.models,
      python: {
        memoryMb: config.pythonSandboxMemoryMb,
        poolSize: config.pythonPoolSize,
        poolEager: config.pythonPoolEager,
      },
      image: (kind) => {
        const status = kind === 'python' ? this.pythonImage : this.image;
        return status.state === 'present' ? status.tag : null;
      },
      command: (kind) => (kind === 'python' ? pythonRunnerCommand() : undefined),
      onImageNeeded: (kind) => {
        if (kind === 'python') void this.ensurePythonImage();
      },
      violations: this.violations,
      log,
    });
  }

  /** Builds the runtime; the instance id labels containers and survives restarts (meta store). */
  static async create(
    config: Config,
    meta: MetaStore,
    log: Logger,
    options: { driver?: SandboxDriver; makeModelViews?: MakeModelViews } = {},
  ): Promise<Runtime> {
    let instanceId = config.instanceId ?? (await meta.get('instance_id'));
    if (!instanceId) {
      instanceId = randomBytes(8).toString('hex');
      await meta.set('instance_id', instanceId);
    }
    const runtimeLog = log.child({ concern: 'runtime' });
    const where = config.sandboxDriver;
    // Loaded only when asked for: @kubernetes/client-node takes seconds to import on a busy machine.
    const external = options.driver
      ? { driver: options.driver, kind: 'injected' as const }
      : where.kind === 'kubernetes'
        ? {
            driver: (await import('./kubernetes/createKubernetesDriver.js')).createKubernetesDriver(
              runtimeLog,
              where,
            ),
            kind: 'kubernetes' as const,
          }
        : null;
    return new Runtime(config, runtimeLog, instanceId, options.makeModelViews, external);
  }

  /** In the background: reconcile leftovers, make sure the image exists, warm the pool. */
  startInBackground(): Promise<void> {
    this.ready ??= (async () => {
      if (!(await this.driver.ping())) {
        this.image.state = 'no-docker';
        this.log.warn(`The ${this.driverKind} sandbox driver is not reachable: sandboxes are unavailable`);
        return;
      }
      try {
        await this.kernels.init();
      } catch (err) {
        this.log.error({ err }, 'sandbox reconciliation failed');
      }
      // After the sandboxes: a volume still mounted by a leftover container cannot be removed.
      await this.models?.init().catch((err) => this.log.error({ err }, 'sandbox model views failed'));
      await this.ensureImage(this.image, {});
      // An eager Python pool, or a Python image already built: ready it now (a quick check when present).
      if (this.config.pythonPoolEager) await this.ensurePythonImage();
    })();
    return this.ready;
  }

  /** Ensures one image, its progress and outcome in `status` (shown by /api/health) and the log. */
  private async ensureImage(status: ImageStatus, options: Pick<EnsureImageOptions, 'recipe'>): Promise<void> {
    const where = this.config.sandboxDriver;
    if (this.driverKind === 'injected') {
      // An injected driver runs its own runner: there is no image to build.
      Object.assign(status, { state: 'present', tag: 'injected', progress: null, error: null });
      this.kernels.fillPoolIfWanted();
      return;
    }
    if (this.driverKind === 'kubernetes' && where.kind === 'kubernetes') {
      // A cluster pulls a pushed image: nothing is built here, the configured reference is used as it is.
      const tag = options.recipe ? where.pythonImage : where.image;
      Object.assign(
        status,
        tag
          ? { state: 'present', tag, progress: null, error: null }
          : {
              state: 'failed',
              tag: null,
              error: 'Python kernels on Kubernetes need ATRIUM_K8S_PYTHON_IMAGE',
            },
      );
      if (tag) this.kernels.fillPoolIfWanted();
      return;
    }
    try {
      const image = await ensureSandboxImage({
        docker: (this.docker as DockerDriver).docker,
        ...options,
        onProgress: (p) => {
          if (p.phase !== 'hashing' && p.phase !== 'done') status.state = 'building';
          status.progress = p.message;
          if (p.phase !== 'building') this.log.info({ phase: p.phase }, p.message);
        },
      });
      Object.assign(status, { state: 'present', tag: image.tag, progress: null, error: null });
      this.kernels.fillPoolIfWanted();
    } catch (err) {
      Object.assign(status, { state: 'failed', error: err instanceof Error ? err.message : String(err) });
      this.log.error({ err }, 'a sandbox image could not be built');
    }
  }

  /** Builds (or finds) the Python image once; a failed build is tried again on the next need. */
  ensurePythonImage(): Promise<void> {
    if (!this.pythonJob || this.pythonImage.state === 'failed')
      this.pythonJob = (async () => {
        await this.ready;
        if (this.image.state === 'no-docker') {
          this.pythonImage.state = 'no-docker';
          return;
        }
        await this.ensureImage(this.pythonImage, { recipe: pythonRecipe });
      })();
    return this.pythonJob;
  }

  /** Resolves when the background start-up work is over (tests and benchmarks wait on it). */
  whenReady(): Promise<void> {
    return this.startInBackground();
  }

  dockerHealth = async (): Promise<HealthReport> => {
    const started = performance.now();
    const ok = await this.driver.ping();
    return {
      ok,
      driver: this.config.sandboxDriver.kind,
      runtime: this.config.sandboxRuntime,
      latencyMs: Number((performance.now() - started).toFixed(1)),
    };
  };

  /** Present, or still being checked/built (not a failure); failed or no Docker is degraded. */
  imageHealth = (): HealthReport => ({
    ok: this.image.state === 'present' || this.image.state === 'checking' || this.image.state === 'building',
    state: this.image.state,
    tag: this.image.tag,
    ...(this.image.progress ? { progress: this.image.progress } : {}),
    ...(this.image.error ? { error: this.image.error } : {}),
    ...this.kernels.stats(),
  });

  /** The Python image: `checking` until a Python kernel is first asked for (or the pool is eager). */
  pythonImageHealth = (): HealthReport => this.imageReport(this.pythonImage);

  private imageReport(status: ImageStatus): HealthReport {
    return {
      ok: status.state !== 'failed' && status.state !== 'no-docker',
      state: status.state,
      tag: status.tag,
      ...(status.progress ? { progress: status.progress } : {}),
      ...(status.error ? { error: status.error } : {}),
    };
  }

  /** Refused sandbox output since start-up (counts only: the server serves on whatever they are). */
  outputHealth = (): HealthReport => ({ ok: true, ...this.violations.report() });

  async close(): Promise<void> {
    await this.ready?.catch(() => {});
    await this.kernels.close();
    await this.models?.close();
  }
}

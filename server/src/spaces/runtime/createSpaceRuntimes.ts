import type { Services } from '../../services.js';
import { AppSandboxes } from './AppSandboxes.js';
import { SpaceRuntimes } from './SpaceRuntimes.js';
import { sqlSpaceSettingsStore } from './sqlSpaceSettingsStore.js';
import { watchSpaceCommits } from './watchSpaceCommits.js';

const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && process.env[name] !== '' && process.env[name] !== undefined ? v : fallback;
};

/**
 * Builds the Space runtime on the server's services: app sandboxes (with their warm pool), the
 * settings store, and the hook that hears every commit. Registers health and shutdown.
 */
export function createSpaceRuntimes(services: Services): SpaceRuntimes {
  const { config, runtime } = services;
  const log = services.log.child({ concern: 'spaces' });
  const sandboxes = new AppSandboxes(runtime.driver, {
    instanceId: runtime.instanceId,
    runtime: config.sandboxRuntime,
    memoryMb: config.sandboxMemoryMb,
    cpus: config.sandboxCpus,
    poolSize: envInt('ATRIUM_SPACES_POOL_SIZE', 1),
    models: runtime.models,
    image: () => (runtime.image.state === 'present' ? runtime.image.tag : null),
    violations: runtime.violations,
    log,
  });
  const settings = sqlSpaceSettingsStore(services.db, services.secretBox);
  const runtimes = new SpaceRuntimes(services, settings, sandboxes, {
    defaultSleepS: envInt('ATRIUM_SPACES_SLEEP_S', 48 * 3600),
    maxRunning: envInt('ATRIUM_SPACES_MAX_RUNNING', 8),
    loadTimeoutMs: envInt('ATRIUM_SPACES_LOAD_TIMEOUT_S', 180) * 1000,
    defaultCallTimeoutS: envInt('ATRIUM_SPACES_CALL_TIMEOUT_S', 120),
    log,
  });
  services.hub.repos = watchSpaceCommits(services.hub.repos, () => runtimes);
  services.health.register('spaces', () => ({ ok: true, ...runtimes.stats() }));
  services.onShutdown(() => runtimes.close());
  // The warm app sandbox is started once the image exists (eager only when asked: tests stay light).
  if (process.env.ATRIUM_SPACES_POOL_SIZE) void runtime.whenReady().then(() => sandboxes.fill());
  return runtimes;
}

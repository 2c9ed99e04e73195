import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logger.js';
import type { SandboxDriver, SandboxMount } from '../../runtime/SandboxDriver.js';
import { SANDBOX_MODELS_DIR } from '../ModelCache.js';

/** One sandbox's view folder: written by the server, mounted read-only at /models in the sandbox. */
export interface ViewFolder {
  /** Where the server writes the view, on this host. */
  dir: string;
  mount: SandboxMount;
  /** Removes the folder and what is in it; call once the sandbox that mounts it is gone. */
  remove(): Promise<void>;
}

/** Where view folders live: Docker-managed volumes, or host folders beside the model cache. */
export interface ViewStorage {
  readonly kind: SandboxMount['type'];
  create(): Promise<ViewFolder>;
  /** Removes every view an earlier run left (call after its sandboxes are removed). */
  removeLeftovers(): Promise<number>;
}

/** A name that says nothing of the host or the instance: runc shows it in /proc/self/mountinfo. */
const neutralName = () => `atrium-models-${randomBytes(6).toString('hex')}`;

/**
 * Views as Docker named volumes: runc sandboxes then see Docker's own path for /models
 * (`/var/lib/docker/volumes/atrium-models-…/_data`), never Atrium's data directory. The server fills
 * the volume through its mountpoint, so it must run on the Docker host with write access there.
 */
export function volumeViewStorage(driver: SandboxDriver, labels: Record<string, string>): ViewStorage {
  return {
    kind: 'volume',
    async create() {
      const volume = await driver.createVolume(neutralName(), labels);
      await fs.chmod(volume.mountpoint, 0o755);
      return {
        dir: volume.mountpoint,
        mount: { type: 'volume', source: volume.name, target: SANDBOX_MODELS_DIR },
        remove: () => driver.removeVolume(volume.name),
      };
    },
    async removeLeftovers() {
      const names = await driver.listVolumes(labels);
      await Promise.all(names.map((name) => driver.removeVolume(name)));
      return names.length;
    },
  };
}

/** Views as host folders under `root`, bound in: runc sandboxes can read that host path in mountinfo. */
export function folderViewStorage(root: string): ViewStorage {
  return {
    kind: 'bind',
    async create() {
      const dir = path.join(root, neutralName());
      await fs.mkdir(dir, { recursive: true, mode: 0o755 });
      return {
        dir,
        mount: { type: 'bind', source: dir, target: SANDBOX_MODELS_DIR },
        remove: () => fs.rm(dir, { recursive: true, force: true }),
      };
    },
    async removeLeftovers() {
      const names = await fs.readdir(root).catch(() => [] as string[]);
      await Promise.all(names.map((n) => fs.rm(path.join(root, n), { recursive: true, force: true })));
      return names.length;
    },
  };
}

/**
 * Volumes when this server can fill them with hard links from the cache (same host, same file system,
 * write access to Docker's volume folder); host folders otherwise, with a warning saying what shows.
 */
export async function chooseViewStorage(options: {
  driver: SandboxDriver;
  labels: Record<string, string>;
  /** A folder on the model cache's file system, for the probe link. */
  cacheRoot: string;
  foldersRoot: string;
  log: Logger;
}): Promise<ViewStorage> {
  const volumes = volumeViewStorage(options.driver, options.labels);
  const probeFile = path.join(options.cacheRoot, `.probe-${randomBytes(4).toString('hex')}`);
  let probe: ViewFolder | undefined;
  try {
    await fs.writeFile(probeFile, '');
    probe = await volumes.create();
    await fs.link(probeFile, path.join(probe.dir, 'probe'));
    return volumes;
  } catch (err) {
    options.log.warn(
      { err: (err as Error).message },
      'model views use host folders (no writable Docker volume on the cache file system): runc sandboxes can read the data directory path in /proc/self/mountinfo',
    );
    return folderViewStorage(options.foldersRoot);
  } finally {
    await probe?.remove().catch(() => {});
    await fs.rm(probeFile, { force: true });
  }
}

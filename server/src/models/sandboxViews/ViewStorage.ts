import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logger.js';
import type { SandboxDriver, SandboxMount } from '../../runtime/SandboxDriver.js';
import { SANDBOX_MODELS_DIR } from '../ModelCache.js';
import { linkTree } from './linkTree.js';

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
  /** Removes every view an earlier run left (call after its sandboxes are removed); returns how many. */
  init(): Promise<number>;
  create(): Promise<ViewFolder>;
  /**
   * A copy of a cached commit folder on the views' own mount, so views can hard-link from it (a hard
   * link cannot cross mounts): the cache's folder itself when it is on that mount.
   */
  source(folder: string, cacheDir: string): Promise<string>;
  /** Drops staged commit folders no view links any more; returns how many. */
  collect(inUse: ReadonlySet<string>): Promise<number>;
  /** Removes what init made (call after every view is removed). */
  close(): Promise<void>;
}

/** A name that says nothing of the host or the instance: runc shows it in /proc/self/mountinfo. */
const neutralName = () => `atrium-models-${randomBytes(6).toString('hex')}`;

/**
 * Views as Docker named volumes: runc sandboxes then see Docker's own path for /models
 * (`/var/lib/docker/volumes/atrium-models-…/_data`), never Atrium's data directory. The server fills
 * the volumes through their mountpoints, so it runs on the Docker host with write access there. Cached
 * commits are staged once in one more volume (hard links when Docker's folder shares the cache's
 * mount, else copies), and every view hard-links from there.
 */
export function volumeViewStorage(driver: SandboxDriver, labels: Record<string, string>): ViewStorage {
  let store: ViewFolder | null = null;
  const staging = new Map<string, Promise<string>>();
  const create = async (): Promise<ViewFolder> => {
    const volume = await driver.createVolume(neutralName(), labels);
    await fs.chmod(volume.mountpoint, 0o755);
    return {
      dir: volume.mountpoint,
      mount: { type: 'volume', source: volume.name, target: SANDBOX_MODELS_DIR },
      remove: () => driver.removeVolume(volume.name),
    };
  };
  return {
    kind: 'volume',
    create,
    async init() {
      const names = await driver.listVolumes(labels);
      await Promise.all(names.map((name) => driver.removeVolume(name)));
      store = await create();
      return names.length;
    },
    source(folder, cacheDir) {
      if (!store) return Promise.reject(new Error('model views are not initialised'));
      const target = path.join(store.dir, folder);
      let staged = staging.get(folder);
      if (!staged) {
        staged = fs
          .access(target)
          .catch(() => linkTree(cacheDir, target))
          .then(() => target)
          .finally(() => staging.delete(folder));
        staging.set(folder, staged);
      }
      return staged;
    },
    async collect(inUse) {
      if (!store) return 0;
      const dir = store.dir;
      const unused = (await fs.readdir(dir)).filter((f) => !inUse.has(f) && !staging.has(f));
      await Promise.all(unused.map((f) => fs.rm(path.join(dir, f), { recursive: true, force: true })));
      return unused.length;
    },
    async close() {
      await store?.remove();
      store = null;
    },
  };
}

/** Views as host folders under `root`, bound in: runc sandboxes can read that host path in mountinfo. */
export function folderViewStorage(root: string): ViewStorage {
  return {
    kind: 'bind',
    async init() {
      const names = await fs.readdir(root).catch(() => [] as string[]);
      await Promise.all(names.map((n) => fs.rm(path.join(root, n), { recursive: true, force: true })));
      return names.length;
    },
    async create() {
      const dir = path.join(root, neutralName());
      await fs.mkdir(dir, { recursive: true });
      await fs.chmod(dir, 0o755);
      return {
        dir,
        mount: { type: 'bind', source: dir, target: SANDBOX_MODELS_DIR },
        remove: () => fs.rm(dir, { recursive: true, force: true }),
      };
    },
    // Beside the cache, on its mount: views link from the cache's own folders.
    source: async (_folder, cacheDir) => cacheDir,
    collect: async () => 0,
    close: async () => {},
  };
}

/**
 * Volumes when this server can write into the ones Docker makes (same host, write access to Docker's
 * volume folder); host folders otherwise, with a warning saying what runc sandboxes can then see.
 */
export async function chooseViewStorage(options: {
  driver: SandboxDriver;
  labels: Record<string, string>;
  foldersRoot: string;
  log: Logger;
}): Promise<ViewStorage> {
  const volumes = volumeViewStorage(options.driver, options.labels);
  let probe: ViewFolder | undefined;
  try {
    probe = await volumes.create();
    await fs.writeFile(path.join(probe.dir, 'probe'), '');
    return volumes;
  } catch (err) {
    options.log.warn(
      { err: (err as Error).message },
      'model views use host folders (Docker volumes cannot be filled from here): runc sandboxes can read their host path in /proc/self/mountinfo',
    );
    return folderViewStorage(options.foldersRoot);
  } finally {
    await probe?.remove().catch(() => {});
  }
}

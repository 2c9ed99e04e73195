import fs from 'node:fs/promises';
import path from 'node:path';
import type { SandboxVolume } from '../SandboxDriver.js';

/** Volume names become folder names and pod subPaths: nothing that could climb out of the claim. */
const VOLUME_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Beside the volumes, one JSON file of labels per volume (a folder has no labels of its own). */
const LABELS_DIR = '.atrium-volume-labels';

/**
 * Docker's named volumes on a cluster: sub-folders of one ReadWriteMany claim that the server mounts at
 * `root` and every sandbox pod mounts read-only with `subPath` (sandboxPod.ts). The server fills them
 * through `mountpoint`, as it fills Docker volumes through theirs.
 */
export class SharedFolderVolumes {
  constructor(private readonly root: string | undefined) {}

  private folder(name: string): { dir: string; labels: string } {
    if (!this.root)
      throw new Error(
        'Kubernetes sandboxes need ATRIUM_K8S_VOLUMES_CLAIM and ATRIUM_K8S_VOLUMES_DIR for volumes (model views)',
      );
    if (!VOLUME_NAME.test(name)) throw new Error(`Not a volume name: ${JSON.stringify(name)}`);
    return { dir: path.join(this.root, name), labels: path.join(this.root, LABELS_DIR, `${name}.json`) };
  }

  async create(name: string, labels: Record<string, string>): Promise<SandboxVolume> {
    const { dir, labels: labelsFile } = this.folder(name);
    await fs.mkdir(path.dirname(labelsFile), { recursive: true });
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(labelsFile, JSON.stringify(labels));
    return { name, mountpoint: dir };
  }

  async remove(name: string): Promise<void> {
    const { dir, labels } = this.folder(name);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(labels, { force: true });
  }

  async list(labels: Record<string, string>): Promise<string[]> {
    if (!this.root) return [];
    const files = await fs.readdir(path.join(this.root, LABELS_DIR)).catch(() => [] as string[]);
    const found: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.json'))) {
      const text = await fs.readFile(path.join(this.root, LABELS_DIR, file), 'utf8').catch(() => '{}');
      let have: Record<string, unknown> = {};
      try {
        have = JSON.parse(text) as Record<string, unknown>;
      } catch {}
      if (Object.entries(labels).every(([k, v]) => have[k] === v)) found.push(file.slice(0, -'.json'.length));
    }
    return found;
  }
}

import fs from 'node:fs/promises';
import path from 'node:path';
import type { GeneratedModel } from './GeneratedModel.js';
import { seedModels } from './seedModels.js';

/**
 * Writes models as Hub-style folders under `root/<org>/<name>/`, the layout transformers.js reads with
 * `env.localModelPath = root`. Returns the folder of each model.
 */
export async function writeModels(
  root: string,
  models: readonly GeneratedModel[] = seedModels,
): Promise<string[]> {
  const folders: string[] = [];
  for (const model of models) {
    const folder = path.join(root, ...model.id.split('/'));
    for (const [file, bytes] of model.files()) {
      const target = path.join(folder, file);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, bytes);
    }
    folders.push(folder);
  }
  return folders;
}

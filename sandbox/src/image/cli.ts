#!/usr/bin/env node
/**
 * `npm run image -w sandbox`: builds the sandbox image when missing, printing progress;
 * `-- --python` the Python one (sandbox/python/README.md).
 */
import Docker from 'dockerode';
import { ensureSandboxImage } from './ensureSandboxImage.js';
import { pythonRecipe } from './python/pythonRecipe.js';
import { javascriptRecipe } from './recipes.js';

const force = process.argv.includes('--force');
const recipe = process.argv.includes('--python') ? pythonRecipe : javascriptRecipe;
const docker = new Docker();
try {
  const image = await ensureSandboxImage({
    docker,
    force,
    recipe,
    onProgress: (p) => process.stderr.write(`[sandbox image] ${p.message}\n`),
  });
  process.stdout.write(`${image.tag}\n`);
} catch (err) {
  process.stderr.write(`[sandbox image] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

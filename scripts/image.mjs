// Builds the sandbox image when it is missing (progress on stderr); quick when it exists, since the
// tag is a content hash of its inputs. The recipe lives in sandbox/src/image.
import fs from 'node:fs';
import path from 'node:path';
import { root, run } from './lib.mjs';

export function ensureImage() {
  const cli = path.join(root, 'sandbox', 'dist', 'image', 'cli.js');
  if (!fs.existsSync(cli)) return; // the sandbox package is not built
  run(process.execPath, [cli]);
}

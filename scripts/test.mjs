// `npm test`: install if needed, build, make the sandbox image, then typecheck, lint and run every suite.

import { ensureImage } from './image.mjs';
import { dockerAvailable, ensureBuilt, ensureInstalled, run } from './lib.mjs';

ensureInstalled();
ensureBuilt({ force: true });
if (dockerAvailable()) {
  ensureImage();
  // The Python image: pip installs its wheels once into ~/.cache/atrium/python (kept between runs,
  // keyed by the requirements' hash); the image is found by its content hash, so only a pin change
  // rebuilds it.
  run('node', ['sandbox/dist/image/cli.js', '--python']);
}
run('npx', ['biome', 'check', '.']);
run('npx', ['turbo', 'run', 'typecheck', '--output-logs=errors-only']);
// One package at a time: the end-to-end suites start servers, containers and browsers on 2 cores.
run('npx', ['turbo', 'run', 'test', '--concurrency=1', '--output-logs=full', '--log-order=stream']);

// `npm run bench [-- area…]`: runs the benchmarks of the named areas (all by default), one at a time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const areas = process.argv.slice(2);
const all = fs.readdirSync(here).filter((d) => fs.existsSync(path.join(here, d, 'index.ts')));
for (const area of areas.length ? areas : all) {
  console.log(`\n## ${area}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, area, 'index.ts')], {
    stdio: 'inherit',
    cwd: here,
  });
  if (r.status !== 0) process.exitCode = 1;
}

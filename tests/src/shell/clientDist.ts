import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The built web client; browser suites fail loudly (never skip) when it was not built. */
export function requireClientDist(): string {
  const dir = path.join(
    path.dirname(createRequire(import.meta.url).resolve('@atrium/client/package.json')),
    'dist',
  );
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(
      `The web client is not built (${dir}/index.html is missing): run \`npm run build -w client\` first`,
    );
  }
  return dir;
}

// Requests per second for the shell's two kinds of file (index.html for every page address, the
// hashed JS bundle), Atrium beside `vite preview` in one run; load from autocannon in another process.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { median, printTable } from '../lib/stats.js';
import { clientDir, requireDist, startAtriumShell, startVitePreview } from './servers.js';

const DURATION_S = Number(process.env.DURATION ?? 3);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

function load(url: string): Promise<{ rps: number }> {
  const bin = path.join(clientDir, '..', 'node_modules', '.bin', 'autocannon');
  const child = spawn(bin, ['-c', '16', '-d', String(DURATION_S), '-j', '-H', 'accept=text/html,*/*', url], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  return new Promise((resolve, reject) =>
    child.once('exit', () => {
      try {
        const r = JSON.parse(out) as {
          requests: { average: number };
          non2xx: number;
          errors: number;
        };
        if (r.non2xx > 0 || r.errors > 0)
          reject(new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`));
        resolve({ rps: r.requests.average });
      } catch (err) {
        reject(err);
      }
    }),
  );
}

export async function benchThroughput() {
  const html = requireDist();
  const bundle = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  if (!bundle) throw new Error('index.html references no /assets/*.js bundle');
  const atrium = await startAtriumShell();
  const peer = await startVitePreview();
  const rows: (string | number)[][] = [];
  try {
    for (const [label, p] of [
      ['page address → index.html (/some/page)', '/some/page'],
      ['hashed JS bundle', bundle],
    ] as const) {
      // Alternate the two servers round by round; report medians, so a noisy second hits both.
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        a.push((await load(`${atrium.url}${p}`)).rps);
        b.push((await load(`${peer.url}${p}`)).rps);
      }
      rows.push([label, Math.round(median(a)), Math.round(median(b)), (median(a) / median(b)).toFixed(2)]);
    }
  } finally {
    await atrium.stop();
    await peer.stop();
  }
  printTable(
    `Serving the shell, 16 connections, median of ${ROUNDS} rounds of ${DURATION_S} s (req/s)`,
    ['request', 'Atrium', 'peer: vite preview', 'ratio'],
    rows,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchThroughput();

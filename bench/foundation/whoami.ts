// GET /api/whoami-v2 with a token over loopback (goal ≥ 5,000 req/s, ratio ≥ 0.5) beside a bare
// express handler in the same run. Load comes from autocannon in another process.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable } from '../lib/stats.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const DURATION_S = Number(process.env.DURATION ?? 8);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

export function startServer(
  script: string,
  env: Record<string, string>,
): Promise<{ url: string; stop: () => Promise<void>; token?: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(here, script)], {
    cwd: path.join(root, 'bench'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line) {
        const info = JSON.parse(line.slice(6)) as { url: string; token?: string };
        resolve({
          ...info,
          stop: () =>
            new Promise<void>((r) => {
              child.once('exit', () => r());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited ${code}: ${out}`)));
  });
}

export function load(url: string, headers: Record<string, string>): Promise<number> {
  const args = ['-c', '32', '-d', String(DURATION_S), '-j'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  const bin = path.join(root, 'node_modules', '.bin', 'autocannon');
  const child = spawn(bin, [...args, url], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', () => {
      try {
        const r = JSON.parse(out) as { requests: { average: number }; non2xx: number; errors: number };
        if (r.non2xx > 0 || r.errors > 0)
          reject(new Error(`errors under load: ${r.non2xx} non-2xx, ${r.errors} errors`));
        resolve(r.requests.average);
      } catch (err) {
        reject(err);
      }
    }),
  );
}

export async function benchWhoAmI() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-whoami-'));
  const atrium = await startServer('whoamiServer.ts', { ATRIUM_DATA_DIR: dataDir });
  const bare = await startServer('bareExpress.ts', {});
  const rows: (string | number)[][] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const a = await load(`${atrium.url}/api/whoami-v2`, { authorization: `Bearer ${atrium.token}` });
      const b = await load(`${bare.url}/api/whoami-v2`, {});
      rows.push([`round ${i + 1}`, Math.round(a), Math.round(b), (a / b).toFixed(2)]);
    }
  } finally {
    await atrium.stop();
    await bare.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const ratios = rows.map((r) => Number(r[3])).sort();
  printTable(
    `GET /api/whoami-v2 with a token, 32 connections, ${DURATION_S} s per round (req/s)`,
    ['round', 'Atrium', 'peer: bare express', 'ratio'],
    [...rows, ['median', '', '', ratios[Math.floor(ratios.length / 2)]!.toFixed(2)]],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchWhoAmI();

// The two servers the shell benchmarks compare, both serving the same built client/dist:
// Atrium (`npm start`'s server, with its auth and CSRF middleware in front) and Vite's own static
// server (`vite preview`), the peer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, startAtrium } from '@atrium/server';
import { preview } from 'vite';

export const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client');
export const distDir = path.join(clientDir, 'dist');

export interface ShellServer {
  name: string;
  url: string;
  stop: () => Promise<void>;
}

export function requireDist(): string {
  const index = path.join(distDir, 'index.html');
  if (!fs.existsSync(index)) throw new Error('client/dist is missing: run `npm run build -w client` first');
  return fs.readFileSync(index, 'utf8');
}

export async function startAtriumShell(): Promise<ShellServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-shell-'));
  const atrium = await startAtrium(
    loadConfig({
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      ATRIUM_LOG_LEVEL: 'warn',
      ATRIUM_DATA_DIR: dataDir,
    }),
  );
  return {
    name: 'Atrium',
    url: atrium.url,
    stop: async () => {
      await atrium.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startVitePreview(): Promise<ShellServer> {
  const server = await preview({
    root: clientDir,
    configFile: false,
    logLevel: 'silent',
    build: { outDir: 'dist' },
    preview: { port: 0, host: '127.0.0.1', strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
  if (!url) throw new Error('vite preview did not report its address');
  return {
    name: 'vite preview',
    url,
    stop: () => server.close(),
  };
}

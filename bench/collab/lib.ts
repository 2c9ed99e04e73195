import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { signUp } from '../lib/accounts.js';

export type ServerKind = 'atrium' | 'reference';
export const SERVER_LABEL: Record<ServerKind, string> = {
  atrium: 'Atrium',
  reference: '@y/websocket-server 0.1.1',
};

/** A collaboration server under test, in its own process. */
export interface BenchServer {
  kind: ServerKind;
  url: string;
  pid: number;
  /** Document names clients may open (for Atrium: public notebooks of a bench user). */
  newDocument: () => Promise<string>;
  /** Headers a writer connects with. */
  writerHeaders: Record<string, string>;
  /** process.memoryUsage() of the server after a full GC. */
  memory: () => Promise<NodeJS.MemoryUsage>;
  /** Resident set size right now, from /proc (no GC, no IPC). */
  rss: () => number;
  stop: () => Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

// A keep-alive socket the server closed while we were busy fails the next request; retry it once.
async function fetch(input: string, init?: RequestInit): Promise<Response> {
  try {
    return await globalThis.fetch(input, init);
  } catch {
    return globalThis.fetch(input, init);
  }
}

export async function startServer(kind: ServerKind): Promise<BenchServer> {
  const child: ChildProcess = fork(
    path.join(here, 'servers', kind === 'atrium' ? 'atriumServer.mjs' : 'referenceServer.mjs'),
    [],
    {
      execArgv: [
        '--expose-gc',
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  let writerHeaders: Record<string, string> = {};
  let owner = '';
  let counter = 0;
  if (kind === 'atrium') {
    await signUp(url, 'bench-admin');
    owner = 'bench-writer';
    writerHeaders = { authorization: `Bearer ${await signUp(url, owner)}` };
  }
  const newDocument = async () => {
    const name = `doc-${counter++}`;
    if (kind === 'reference') return `notebooks/bench/${name}`;
    const res = await fetch(`${url}/api/repos/create`, {
      method: 'POST',
      headers: { ...writerHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'notebook', name }),
    });
    if (res.status >= 300) throw new Error(`repo creation failed: ${res.status} ${await res.text()}`);
    return `notebooks/${owner}/${name}`;
  };
  return {
    kind,
    url,
    pid: child.pid!,
    newDocument,
    writerHeaders,
    memory: () =>
      new Promise((resolve) => {
        const onMessage = (m: unknown) => {
          if ((m as { type: string }).type !== 'mem') return;
          child.off('message', onMessage);
          resolve(m as NodeJS.MemoryUsage);
        };
        child.on('message', onMessage);
        child.send({ type: 'mem' });
      }),
    rss: () => {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb * 1024;
    },
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'stop' });
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

export const wsUrl = (server: BenchServer, doc: string) =>
  `${server.url.replace(/^http/, 'ws')}/collab/${doc}`;

/** The unmodified y-websocket client (used for writers), with the writer's credentials. */
export function provider(server: BenchServer, doc: string, ydoc = new Y.Doc()): WebsocketProvider {
  const headers = server.writerHeaders;
  const Polyfill = class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers, perMessageDeflate: false });
    }
  };
  return new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/collab`, doc, ydoc, {
    WebSocketPolyfill: Polyfill as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
}

export const whenSynced = (p: WebsocketProvider, timeoutMs = 30_000) =>
  new Promise<void>((resolve, reject) => {
    if (p.synced) return resolve();
    const t = setTimeout(() => reject(new Error('provider did not sync')), timeoutMs);
    p.once('sync', () => {
      clearTimeout(t);
      resolve();
    });
  });

/** Sync step 1 of a client that has nothing yet: the server answers with its whole state. */
export const EMPTY_SYNC_STEP1 = Uint8Array.from([0, 0, 1, 0]);

/**
 * A lightweight observer speaking the y-websocket protocol on a raw socket: it syncs and reads
 * frames without a Y.Doc, so 500 of them in one process measure the server, not the clients.
 */
export function rawClient(
  server: BenchServer,
  doc: string,
  onMessage: (data: Buffer, at: number) => void,
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(server, doc), { perMessageDeflate: false });
    ws.on('open', () => {
      ws.send(EMPTY_SYNC_STEP1);
      resolve(ws);
    });
    ws.on('message', (data: Buffer) => onMessage(data, performance.now()));
    ws.on('error', reject);
  });
}

/** Awareness message of one client with a JSON state. */
export function awarenessMessage(clientID: number, clock: number, state: unknown): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientID);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify(state));
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, 1);
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}

/** Entries of an awareness message: [clientID, state]. */
export function readAwareness(data: Uint8Array): [number, Record<string, unknown> | null][] {
  const d = decoding.createDecoder(data);
  if (decoding.readVarUint(d) !== 1) return [];
  const inner = decoding.createDecoder(decoding.readVarUint8Array(d));
  const n = decoding.readVarUint(inner);
  const out: [number, Record<string, unknown> | null][] = [];
  for (let i = 0; i < n; i++) {
    const id = decoding.readVarUint(inner);
    decoding.readVarUint(inner);
    out.push([id, JSON.parse(decoding.readVarString(inner))]);
  }
  return out;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

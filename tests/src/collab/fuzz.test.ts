import fs from 'node:fs';
import { CloseCode } from '@atrium/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createUser, type ServerProcess, spawnServer, type TestUser, tempDataDir } from '../harness/index.js';
import { type Client, connectClient, synced, until } from './collabClients.js';
import { hostileFrame } from './hostileFrames.js';

// 100,000 by default, as the issue asks; ATRIUM_FUZZ_FRAMES scales it for quick local runs.
const FRAMES = Number(process.env.ATRIUM_FUZZ_FRAMES ?? 100_000);
const IN_FLIGHT = 64;

let proc: ServerProcess;
let user: TestUser;
let doc: string;
const clients: Client[] = [];

beforeAll(async () => {
  proc = await spawnServer(tempDataDir('atrium-fuzz'), {
    ATRIUM_SEED: '0',
    NODE_OPTIONS: process.env.FUZZ_PROF ?? '',
  });
  await createUser(proc.url); // the instance admin
  user = await createUser(proc.url);
  const name = `fuzz-${Date.now().toString(36)}`;
  const res = await fetch(`${proc.url}/api/repos/create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'notebook', name }),
  });
  expect(res.status).toBeLessThan(300);
  doc = `notebooks/${user.name}/${name}`;
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  proc?.child.kill('SIGTERM');
  const timer = setTimeout(() => proc?.child.kill('SIGKILL'), 10_000);
  await proc?.exited;
  clearTimeout(timer);
  if (proc) fs.rmSync(proc.dataDir, { recursive: true, force: true });
});

// After the hostile frame, a sync step 1 from an empty client: its answer (step 2) proves the
// server handled the hostile frame, found it harmless and kept the socket open.
const PROBE = Uint8Array.from([0, 0, 1, 0]);
const ACCEPTED = 0;

/** Sends one hostile frame on a fresh writer socket; resolves with the close code, or ACCEPTED. */
function sendHostile(url: string, frame: Uint8Array): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${user.token}` } });
    let done = false;
    const finish = (outcome: number) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      ws.terminate();
      finish(-1);
    }, 10_000);
    ws.on('open', () => {
      ws.send(frame);
      ws.send(PROBE);
    });
    ws.on('message', (data: Buffer) => {
      if (data[0] === 0 && data[1] === 1) {
        finish(ACCEPTED);
        ws.terminate();
      }
    });
    ws.on('error', () => {});
    ws.on('close', (code) => finish(code));
  });
}

describe('hostile frames', () => {
  it(`closes each of ${FRAMES} malformed frames' sockets with a reason while honest writers keep syncing`, async () => {
    const a = connectClient(proc, doc, { token: user.token });
    const b = connectClient(proc, doc, { token: user.token });
    clients.push(a, b);
    await Promise.all([synced(a), synced(b)]);
    for (const [label, c] of [
      ['a', a],
      ['b', b],
    ] as const) {
      c.provider.on('connection-close', (event) => {
        if (event) console.log(`honest client ${label} closed: ${event.code} ${event.reason}`);
      });
    }
    let edits = 0;
    const editor = setInterval(() => {
      const c = edits % 2 ? a : b;
      const t = c.doc.getText('t');
      t.insert(t.length, `[${edits++}]`);
    }, 20);

    const url = `${proc.url.replace(/^http/, 'ws')}/collab/${doc}`;
    const codes = new Map<number, number>();
    const unclosed: number[] = [];
    let next = 0;
    const started = Date.now();
    const cpu0 = process.cpuUsage();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < FRAMES) {
          const i = next++;
          const code = await sendHostile(url, hostileFrame(i));
          codes.set(code, (codes.get(code) ?? 0) + 1);
          if (code === -1 && unclosed.length < 20) unclosed.push(i);
        }
      }),
    );
    clearInterval(editor);
    const seconds = (Date.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    console.log(
      `fuzz: ${FRAMES} frames in ${seconds.toFixed(1)} s (client cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s); close codes`,
      Object.fromEntries(codes),
    );

    // Every hostile socket was closed by the server, with a protocol close code (no hang, no crash).
    expect(unclosed.map((i) => `${i}: ${Buffer.from(hostileFrame(i)).toString('hex')}`)).toEqual([]);
    // Anything else was closed as malformed; only frames that decode to harmless valid updates stay open.
    expect((codes.get(CloseCode.MalformedMessage) ?? 0) + (codes.get(ACCEPTED) ?? 0)).toBe(FRAMES);
    expect(codes.get(CloseCode.MalformedMessage) ?? 0).toBeGreaterThan(FRAMES * 0.8);
    expect(proc.child.exitCode).toBeNull();

    // The honest writers converged on every edit, and a newcomer loads all of them from the server.
    await until(
      () => a.doc.getText('t').toString() === b.doc.getText('t').toString(),
      10_000,
      'convergence',
    ).catch((err) => {
      console.log(
        `a: ${a.doc.getText('t').length} chars, b: ${b.doc.getText('t').length} chars; ${a.doc.getText('t').toString().slice(0, 200)} | ${b.doc.getText('t').toString().slice(0, 200)}`,
      );
      throw err;
    });
    const fresh = connectClient(proc, doc, { token: user.token });
    clients.push(fresh);
    await synced(fresh);
    const text = fresh.doc.getText('t').toString();
    const missing = Array.from({ length: edits }, (_, i) => i).filter((i) => !text.includes(`[${i}]`));
    if (missing.length) {
      const Y = await import('yjs');
      console.log(
        'missing',
        missing.slice(0, 20),
        'fresh len',
        text.length,
        'a len',
        a.doc.getText('t').length,
        'a has',
        missing.slice(0, 5).map((i) => a.doc.getText('t').toString().includes(`[${i}]`)),
      );
      console.log('sv a', [...Y.decodeStateVector(Y.encodeStateVector(a.doc))], 'sv fresh', [
        ...Y.decodeStateVector(Y.encodeStateVector(fresh.doc)),
      ]);
      console.log(
        'pending fresh',
        fresh.doc.store.pendingStructs !== null,
        'pending a',
        a.doc.store.pendingStructs !== null,
        'a',
        a.doc.clientID,
        'b',
        b.doc.clientID,
      );
    }
    for (let i = 0; i < edits; i++) expect(text).toContain(`[${i}]`);
    expect(edits).toBeGreaterThan(10);
    // Each frame has its own 10 s hang tripwire (sendHostile); the whole run's time only scales with
    // the machine's load (≈ 60 s quiet, past 240 s at load 20 with the other suites' servers running).
  }, 1_200_000);
});

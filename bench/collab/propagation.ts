import type WebSocket from 'ws';
import {
  awarenessMessage,
  type BenchServer,
  fmt,
  percentile,
  provider,
  rawClient,
  readAwareness,
  SERVER_LABEL,
  sleep,
  whenSynced,
} from './lib.js';

/** What one propagation run measured. */
export interface PropagationResult {
  observers: number;
  presence: boolean;
  p50: number;
  p95: number;
  p99: number;
  delivered: number;
  expected: number;
  presenceP95: number;
  presenceSeen: number;
  presenceExpected: number;
}

const EDITS = Number(process.env.BENCH_EDITS ?? 100);
const EDIT_INTERVAL_MS = 100;
const PROBES = 5;

/**
 * One writer (the real y-websocket client) types EDITS keystrokes at 10 Hz; `observers` raw
 * protocol clients timestamp each keystroke's arrival. With `presence`, every observer also
 * publishes its presence at 1 Hz and PROBES of them time the presence they receive.
 */
export async function measurePropagation(
  server: BenchServer,
  observers: number,
  presence: boolean,
): Promise<PropagationResult> {
  const doc = await server.newDocument();
  const writer = provider(server, doc);
  await whenSynced(writer);
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const presenceLatencies: number[] = [];
  const presenceSeen: Set<number>[] = [];
  const sockets: WebSocket[] = [];
  const ids = Array.from({ length: observers }, (_, i) => 1_000_000 + i);

  for (let i = 0; i < observers; i++) {
    const probe = presence && i < PROBES;
    if (probe) presenceSeen.push(new Set());
    const seen = probe ? presenceSeen[i]! : null;
    sockets.push(
      await rawClient(server, doc, (data, at) => {
        if (data[0] === 0 && data[1] === 2) {
          for (const m of data.toString('latin1').matchAll(/~(\d+)~/g)) {
            const t0 = sentAt.get(Number(m[1]));
            if (t0 !== undefined) latencies.push(at - t0);
          }
        } else if (seen && data[0] === 1) {
          for (const [id, state] of readAwareness(data)) {
            const t = state?.t;
            if (typeof t === 'number') {
              presenceLatencies.push(at - t);
              seen.add(id);
            }
          }
        }
      }),
    );
  }
  await sleep(500);

  const timers: NodeJS.Timeout[] = [];
  if (presence) {
    sockets.forEach((ws, i) => {
      let clock = 0;
      const publish = () =>
        ws.readyState === 1 &&
        ws.send(awarenessMessage(ids[i]!, ++clock, { t: performance.now(), cursor: clock }));
      // Spread over the second, as real clients are.
      timers.push(
        setTimeout(() => {
          publish();
          timers.push(setInterval(publish, 1000));
        }, Math.random() * 1000),
      );
    });
    await sleep(1000);
  }

  const text = writer.doc.getText('t');
  for (let seq = 0; seq < EDITS; seq++) {
    sentAt.set(seq, performance.now());
    text.insert(text.length, `~${seq}~`);
    await sleep(EDIT_INTERVAL_MS);
  }
  await sleep(2000);
  for (const t of timers) clearTimeout(t);
  for (const ws of sockets) ws.terminate();
  writer.destroy();
  writer.doc.destroy();
  await sleep(300);

  return {
    observers,
    presence,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    delivered: latencies.length,
    expected: EDITS * observers,
    presenceP95: percentile(presenceLatencies, 95),
    presenceSeen: presenceSeen.reduce((n, s) => n + s.size, 0),
    presenceExpected: presenceSeen.length * observers,
  };
}

export function propagationTable(rows: { server: BenchServer['kind']; result: PropagationResult }[]): string {
  const lines = [
    '| Scenario | Server | keystroke p50 (ms) | p95 (ms) | p99 (ms) | delivered | presence p95 (ms) | presence states seen |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { server, result: r } of rows) {
    const scenario = `1 writer + ${r.observers} observers${r.presence ? ', presence 1 Hz each' : ''}`;
    lines.push(
      `| ${scenario} | ${SERVER_LABEL[server]} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${r.delivered}/${r.expected} | ${r.presence ? fmt(r.presenceP95) : '–'} | ${r.presence ? `${r.presenceSeen}/${r.presenceExpected}` : '–'} |`,
    );
  }
  return lines.join('\n');
}

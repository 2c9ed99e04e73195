import * as Y from 'yjs';
import { leanJoin } from './leanClient.js';
import {
  type BenchServer,
  EMPTY_SYNC_STEP1,
  fmt,
  mb,
  percentile,
  provider,
  rawClient,
  SERVER_LABEL,
  sleep,
  whenSynced,
  wsUrl,
} from './lib.js';

export interface JoinResult {
  documentBytes: number;
  clients: number;
  p50: number;
  p95: number;
  max: number;
  synced: number;
  rssBefore: number;
  peakRss: number;
}

/** A document of about `bytes` encoded: paragraphs typed at scattered places, as in a long edit history. */
export function bigDocument(bytes: number): Y.Doc {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const paragraph =
    'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt. ';
  while (Y.encodeStateAsUpdate(doc).length < bytes) {
    doc.transact(() => {
      for (let i = 0; i < 2000; i++)
        text.insert(Math.floor(rand() * (text.length + 1)), paragraph.slice(0, 20 + Math.floor(rand() * 70)));
    });
  }
  return doc;
}

/** Loads a document into the server through a real client, then lets `clients` raw clients join at once. */
export async function measureJoin(server: BenchServer, source: Y.Doc, clients: number): Promise<JoinResult> {
  const docName = await server.newDocument();
  const seeder = provider(server, docName, source);
  await whenSynced(seeder);
  const documentBytes = Y.encodeStateAsUpdate(source).length;
  // Wait until the server holds the whole document (a fresh client receives all of it).
  for (let tries = 0; ; tries++) {
    const size = await new Promise<number>((resolve) => {
      rawClient(server, docName, (data) => {
        if (data[0] === 0 && data[1] === 1) resolve(data.length);
      })
        .then((ws) => setTimeout(() => ws.terminate(), 5_000))
        .catch(() => resolve(0));
    });
    console.error(`${server.kind}: server holds ${size} of ${documentBytes} bytes`);
    if (size >= documentBytes || tries > 60) break;
    await sleep(500);
  }
  seeder.destroy();
  // Let background work settle (Atrium compacts the 4 MB log entry into a snapshot).
  await sleep(3000);

  const rssBefore = server.rss();
  let peakRss = rssBefore;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, server.rss());
  }, 10);
  const times: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, () =>
      Promise.race([
        leanJoin(wsUrl(server, docName), EMPTY_SYNC_STEP1, (first) => first[0] === 0 && first[1] === 1).then(
          (at) => {
            times.push(at - started);
          },
        ),
        sleep(30_000),
      ]).catch((err) => console.error(`join failed: ${err.message}`)),
    ),
  );
  clearInterval(sampler);
  peakRss = Math.max(peakRss, server.rss());
  await sleep(300);
  return {
    documentBytes,
    clients,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    max: Math.max(...times),
    synced: times.length,
    rssBefore,
    peakRss,
  };
}

export function joinTable(rows: { server: BenchServer['kind']; result: JoinResult }[]): string {
  const lines = [
    '| Scenario | Server | time to synced p50 (ms) | p95 (ms) | max (ms) | synced | server RSS before | peak RSS |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { server, result: r } of rows) {
    lines.push(
      `| ${r.clients} clients join a ${mb(r.documentBytes)} document at once | ${SERVER_LABEL[server]} | ${fmt(r.p50, 0)} | ${fmt(r.p95, 0)} | ${fmt(r.max, 0)} | ${r.synced}/${r.clients} | ${mb(r.rssBefore)} | ${mb(r.peakRss)} |`,
    );
  }
  return lines.join('\n');
}

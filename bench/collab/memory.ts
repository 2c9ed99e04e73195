import type WebSocket from 'ws';
import * as Y from 'yjs';
import { bigDocument } from './join.js';
import { type BenchServer, fmt, mb, provider, rawClient, SERVER_LABEL, sleep, whenSynced } from './lib.js';

export interface MemoryResult {
  documents: number;
  encodedBytes: number;
  /** Growth of heap plus array buffers (after GC) per loaded document. */
  perDocument: number;
  perDocumentRss: number;
}

/** Loads `count` distinct copies of a document, each kept open by one idle client, and divides the growth. */
export async function measureMemory(
  server: BenchServer,
  encodedTarget: number,
  count: number,
): Promise<MemoryResult> {
  const template = Y.encodeStateAsUpdate(bigDocument(encodedTarget));
  const before = await server.memory();
  const rssBefore = server.rss();
  const idle: WebSocket[] = [];
  for (let i = 0; i < count; i++) {
    const name = await server.newDocument();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, template);
    const writer = provider(server, name, doc);
    await whenSynced(writer);
    // An idle client keeps the room loaded once the writer leaves (both servers keep loaded rooms while used).
    idle.push(await rawClient(server, name, () => {}));
    await sleep(200);
    writer.destroy();
    doc.destroy();
  }
  await sleep(1000);
  const after = await server.memory();
  const rssAfter = server.rss();
  for (const ws of idle) ws.terminate();
  const grown = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  return {
    documents: count,
    encodedBytes: template.length,
    perDocument: grown / count,
    perDocumentRss: (rssAfter - rssBefore) / count,
  };
}

export function memoryTable(rows: { server: BenchServer['kind']; result: MemoryResult }[]): string {
  const lines = [
    '| Scenario | Server | heap + buffers per document | × encoded size | RSS per document | × encoded size |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const { server, result: r } of rows) {
    lines.push(
      `| ${r.documents} documents of ${mb(r.encodedBytes)} encoded, loaded | ${SERVER_LABEL[server]} | ${mb(r.perDocument)} | ${fmt(r.perDocument / r.encodedBytes)} | ${mb(r.perDocumentRss)} | ${fmt(r.perDocumentRss / r.encodedBytes)} |`,
    );
  }
  return lines.join('\n');
}

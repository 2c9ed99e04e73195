// Live co-editing figures: Atrium beside @y/websocket-server 0.1.1, each server in its own process,
// the clients in this one. `node --import tsx collab/index.ts` from bench/ (build the server first).
import { bigDocument, type JoinResult, joinTable, measureJoin } from './join.js';
import { type BenchServer, type ServerKind, startServer } from './lib.js';
import { type MemoryResult, measureMemory, memoryTable } from './memory.js';
import { measurePropagation, type PropagationResult, propagationTable } from './propagation.js';

const KINDS: ServerKind[] = ['reference', 'atrium'];
const only = process.env.BENCH_COLLAB_ONLY?.split(',');
const wanted = (part: string) => !only || only.includes(part);

async function withServer<T>(kind: ServerKind, run: (server: BenchServer) => Promise<T>): Promise<T> {
  const server = await startServer(kind);
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

if (wanted('propagation')) {
  const rows: { server: ServerKind; result: PropagationResult }[] = [];
  for (const [observers, presence] of [
    [100, false],
    [500, false],
    [500, true],
  ] as const) {
    for (const kind of KINDS)
      rows.push({
        server: kind,
        result: await withServer(kind, (s) => measurePropagation(s, observers, presence)),
      });
  }
  console.log('### Keystroke propagation: 1 writer, N observers (100 keystrokes at 10 Hz)\n');
  console.log(propagationTable(rows));
  console.log();
}

if (wanted('join')) {
  const source = bigDocument(4 * 1024 * 1024);
  const rows: { server: ServerKind; result: JoinResult }[] = [];
  for (const kind of KINDS)
    rows.push({ server: kind, result: await withServer(kind, (s) => measureJoin(s, source, 150)) });
  console.log('### 150 clients joining a 4 MB document at once\n');
  console.log(joinTable(rows));
  console.log();
}

if (wanted('memory')) {
  const rows: { server: ServerKind; result: MemoryResult }[] = [];
  for (const kind of KINDS)
    rows.push({ server: kind, result: await withServer(kind, (s) => measureMemory(s, 1024 * 1024, 10)) });
  console.log('### Memory per loaded document\n');
  console.log(memoryTable(rows));
  console.log();
}
process.exit(0);

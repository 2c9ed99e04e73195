// Bounded work per request: a 49 MB notebook import beside the same server idle and beside a plain
// JSON.parse. `node --import tsx bounds/index.ts` from bench/ (build the server first).
import { printTable } from '../lib/stats.js';
import { measureBigImport, rowCells } from './bigImport.js';

const rows = await measureBigImport(Number(process.env.BENCH_NOTEBOOK_BYTES ?? 49_000_000));
printTable(
  'A 49 MB notebook import: GET /api/health every 10 ms meanwhile (ms; goal: longest ≤ 100)',
  ['measure', 'longest', 'p50', 'p99', 'probes', 'peak RSS (MB)', 'window (s)', ''],
  rows.map(rowCells),
);

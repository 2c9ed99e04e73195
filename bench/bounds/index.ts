// Bounded work per request: a 49 MB notebook import beside the same server idle and beside a plain
// JSON.parse. `node --import tsx bounds/index.ts` from bench/ (build the server first).
import os from 'node:os';
import { printTable } from '../lib/stats.js';
import { measureBigImport, rowCells } from './bigImport.js';

const load = os.loadavg()[0]?.toFixed(1);
const rows = await measureBigImport(Number(process.env.BENCH_NOTEBOOK_BYTES ?? 49_000_000));
printTable(
  `A 49 MB notebook import, the server in its own process: its event loop, and GET /api/health every 10 ms (ms; goal ≤ 100; load average ${load} on ${os.cpus().length} cores)`,
  [
    'measure',
    'event loop: longest stall',
    'loop delay p99',
    '/api/health: longest',
    'most main-thread CPU behind one answer',
    'health p50',
    'health p99',
    'probes',
    'peak RSS (MB)',
    'window (s)',
    '',
  ],
  rows.map(rowCells),
);

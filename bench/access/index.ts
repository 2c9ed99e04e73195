// Access taken away → the socket closing, beside what the same client sees on the same server in the
// same run: a normal edit relayed to it, and a fresh connection being refused. The server runs in its own
// process (spawned like `npm start`), the y-websocket clients in this one.
// `node --import tsx access/index.ts` from bench/ (build the server first).
import fs from 'node:fs';
import { tempDataDir } from '@atrium/tests/src/harness/index.js';
import { median, printTable } from '../lib/stats.js';
import { measureRevocation } from './revocation.js';

const TRIALS = Number(process.env.BENCH_ACCESS_TRIALS ?? 25);
// Every y-websocket provider in Node listens for process exit; a dozen at once is expected here.
process.setMaxListeners(0);
const dataDir = tempDataDir('atrium-bench-access');
try {
  const r = await measureRevocation(dataDir, TRIALS);
  const row = (what: string, ms: number[]) => [what, ms.length, median(ms), Math.max(...ms)];
  printTable(
    `Access taken away → the live-document socket closed, ${TRIALS} trials each (ms; goal ≤ 1000)`,
    ['what', 'trials', 'p50', 'max'],
    [
      row('collaborator removed (DELETE …/collaborators/:user) → their socket closed', r.removed),
      row('notebook made private (PUT …/settings) → the last of 10 visitors’ sockets closed', r.madePrivate),
      row('token revoked (DELETE /api/settings/tokens/:id) → the token’s socket closed', r.tokenRevoked),
      row('signed out (POST /api/logout) → the session’s socket closed', r.signedOut),
      row('peer: an edit typed by the owner → shown at the collaborator', r.relayed),
      row('peer: a fresh connection of an outsider → refused (Forbidden)', r.refused),
    ],
  );
  console.log(
    `\nRatio of the median collaborator removal to the median fresh refusal: ${(median(r.removed) / median(r.refused)).toFixed(2)}`,
  );
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);

// Notebook figures: keystroke latency between two browsers, run → first output in a second browser
// minus the kernel's own time, and opening a 500-cell notebook (lazy editors vs eager).
// Needs Docker with the sandbox image, Chromium and the built client (`npm run build -w client`).
import { median, percentile, printTable } from '../lib/stats.js';
import { runToFirstOutput } from './firstOutput.js';
import { browserKeystrokes, latencyRow, peerKeystrokes } from './keystroke.js';
import { open500 } from './open500.js';
import { startNotebookBench } from './setup.js';

const f = (n: number) => n.toFixed(1);
const bench = await startNotebookBench();
try {
  const browser = await browserKeystrokes(bench);
  const peers = await peerKeystrokes();
  printTable(
    'Keystroke in one browser → rendered in the other (ms; goal p95 ≤ 50)',
    ['path', 'keys', 'p50', 'p95', 'max'],
    [browser, ...peers].map(latencyRow),
  );

  const run = await runToFirstOutput(bench);
  printTable(
    `Run → first output painted in a second browser, ${run.total.length} runs (ms; goal: Atrium's share ≤ 30)`,
    ['measure', 'p50', 'p95'],
    [
      [
        'total: POST /run → first output painted in the other browser',
        f(median(run.total)),
        f(percentile(run.total, 95)),
      ],
      [
        "peer: the kernel's own time (execute → first stream message, at the server)",
        f(median(run.kernel)),
        f(percentile(run.kernel, 95)),
      ],
      ["Atrium's share (total − kernel, per run)", f(median(run.overhead)), f(percentile(run.overhead, 95))],
    ],
  );

  const open = await open500(bench);
  printTable(
    `Opening a 500-cell notebook until interactive, ${open.lazy.length} opens each (ms; goal ≤ 1500)`,
    [
      'editors',
      'editors built',
      'median',
      'p95',
      'scroll to bottom, a screen per frame (ms)',
      'frames > 50 ms / frames',
    ],
    [
      [
        'lazy (as cells near the viewport)',
        open.lazyEditors,
        f(median(open.lazy)),
        f(percentile(open.lazy, 95)),
        f(open.scroll.lazy.ms),
        `${open.scroll.lazy.longFrames} / ${open.scroll.lazy.frames}`,
      ],
      [
        'peer: eager (all 500 at once, ?eager=1)',
        open.eagerEditors,
        f(median(open.eager)),
        f(percentile(open.eager, 95)),
        f(open.scroll.eager.ms),
        `${open.scroll.eager.longFrames} / ${open.scroll.eager.frames}`,
      ],
    ],
  );
} finally {
  await bench.close();
}

/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// A run until its first output is painted in a second browser, minus the kernel's own time to that
// output (timed inside the server at the kernel manager), so what is left is Atrium's share:
// HTTP, queue, CellOutputWriter, the room relay, y-websocket and React in the watching browser.
import { notebookOf } from '@atrium/tests/src/notebook/notebookClient.js';
import { type NotebookBench, openNotebook, wallClock } from './setup.js';

const RUNS = Number(process.env.RUNS ?? 30);

export interface FirstOutput {
  /** Total: POST /run sent → first output painted in the other browser. */
  total: number[];
  /** The kernel's own part: execute() called → its first output message back at the server. */
  kernel: number[];
  overhead: number[];
}

export async function runToFirstOutput(bench: NotebookBench): Promise<FirstOutput> {
  // Each run prints its own number, so the watcher knows exactly which run's output it sees.
  const id = await bench.notebook(
    notebookOf(['globalThis.runs = (globalThis.runs ?? 0) + 1;\nconsole.log(`run ${globalThis.runs}`);']),
  );
  const watcher = await bench.pageAs(bench.friend);
  await openNotebook(watcher, id);
  // Time the kernel itself, in the server: from execute() to the first message it streams back.
  const kernels = bench.server.services.runtime.kernels;
  const execute = kernels.execute.bind(kernels);
  const kernelTimes: number[] = [];
  kernels.execute = async (kernelId, request, onMessage = () => {}) => {
    const started = wallClock();
    let first = true;
    return execute(kernelId, request, (msg) => {
      if (first && msg.header.msg_type === 'stream') {
        first = false;
        kernelTimes.push(wallClock() - started);
      }
      onMessage(msg);
    });
  };
  const run = () =>
    fetch(`${bench.server.url}/api/notebooks/${id}/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bench.owner.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ cells: ['c0'] }),
    });
  try {
    // The first run starts the kernel: not part of the figure.
    await run();
    await watcher.locator('[data-cell-id="c0"] .nb-output-stream').waitFor();
    await watcher.waitForFunction(
      () => document.querySelector('[data-cell-id="c0"] [data-testid="prompt"]')?.textContent === '[1]',
    );
    kernelTimes.length = 0;
    const total: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // The watcher stamps the frame in which the new run's first output appears.
      const seen = watcher.evaluate(
        (expected) =>
          new Promise<number>((resolve) => {
            const cell = document.querySelector('[data-cell-id="c0"]') as HTMLElement;
            const observer = new MutationObserver(() => {
              if (!cell.querySelector('.nb-output-stream')?.textContent?.includes(expected)) return;
              observer.disconnect();
              requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now()));
            });
            observer.observe(cell, { childList: true, subtree: true, characterData: true });
            // Never wait forever: a run that shows nothing within 20 s is reported, not hidden.
            setTimeout(() => {
              observer.disconnect();
              resolve(-1);
            }, 20_000);
          }),
        `run ${i + 2}`,
      );
      await watcher.waitForTimeout(50);
      const sent = wallClock();
      await run();
      const at = await seen;
      if (at < 0) throw new Error(`run ${i + 1}: no output appeared in the second browser within 20 s`);
      total.push(at - sent);
      await watcher.waitForFunction(
        (n) => document.querySelector('[data-cell-id="c0"] [data-testid="prompt"]')?.textContent === `[${n}]`,
        i + 2,
      );
    }
    const kernel = kernelTimes.slice(0, total.length);
    return { total, kernel, overhead: total.map((t, i) => t - (kernel[i] ?? 0)) };
  } finally {
    kernels.execute = execute;
    await watcher.context().close();
  }
}

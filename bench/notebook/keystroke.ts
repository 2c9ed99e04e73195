/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Keystroke in one browser → rendered in the other browser's editor, through Atrium's room server.
// Peer rows: the same relay between two Node y-websocket clients (no browser), through Atrium and
// through the y-websocket reference server (@y/websocket-server), measured in the same run.
import { notebookOf } from '@atrium/tests/src/notebook/notebookClient.js';
import * as Y from 'yjs';
import { type BenchServer, provider, SERVER_LABEL, startServer, whenSynced } from '../collab/lib.js';
import { percentile } from '../lib/stats.js';
import { type NotebookBench, openNotebook } from './setup.js';

const KEYS = Number(process.env.KEYS ?? 150);
const GAP_MS = 40;

export interface Latencies {
  label: string;
  samples: number[];
}

/** Browser A types KEYS characters into a cell; browser B stamps the frame each one shows up in. */
export async function browserKeystrokes(bench: NotebookBench): Promise<Latencies> {
  const id = await bench.notebook(notebookOf(['']));
  const a = await bench.pageAs(bench.owner);
  const b = await bench.pageAs(bench.friend);
  await Promise.all([openNotebook(a, id), openNotebook(b, id)]);
  const cell = '[data-cell-id="c0"] .cm-content';
  // B: every time the editor's text grows, note when the next frame paints it.
  await b.evaluate((selector) => {
    const w = window as unknown as { __seen: number[] };
    w.__seen = [];
    const el = document.querySelector(selector) as HTMLElement;
    let known = 0;
    new MutationObserver(() => {
      // Count the typed characters only: remote carets carry their owner's name inside the lines.
      let length = 0;
      for (const line of el.querySelectorAll('.cm-line')) {
        const copy = line.cloneNode(true) as HTMLElement;
        for (const caret of copy.querySelectorAll('.cm-ySelectionCaret')) caret.remove();
        length += (copy.textContent ?? '').replace(/[^x]/g, '').length;
      }
      if (length <= known) return;
      const fresh = length - known;
      known = length;
      requestAnimationFrame(() => {
        const at = performance.timeOrigin + performance.now();
        for (let i = 0; i < fresh; i++) w.__seen.push(at);
      });
    }).observe(el, { childList: true, subtree: true, characterData: true });
  }, cell);
  // A: note when each key goes down.
  await a.evaluate(() => {
    const w = window as unknown as { __sent: number[] };
    w.__sent = [];
    document.addEventListener(
      'keydown',
      () => w.__sent.push(performance.timeOrigin + performance.now()),
      true,
    );
  });
  await a.locator(cell).click();
  await b.locator('[data-cell-id="c0"]').click({ position: { x: 5, y: 5 } });
  for (let i = 0; i < KEYS; i++) {
    await a.keyboard.press('x');
    await a.waitForTimeout(GAP_MS);
  }
  await b.waitForFunction((n) => (window as unknown as { __seen: number[] }).__seen.length >= n, KEYS, {
    timeout: 30_000,
  });
  const sent = await a.evaluate(() => (window as unknown as { __sent: number[] }).__sent);
  const seen = await b.evaluate(() => (window as unknown as { __seen: number[] }).__seen);
  await a.context().close();
  await b.context().close();
  // The first few warm the path (JIT, first frames); leave them out.
  return {
    label: 'Chromium → Atrium → Chromium (keydown → painted frame)',
    samples: sent.slice(10).map((t, i) => (seen[i + 10] as number) - t),
  };
}

/** Two Node y-websocket clients: one inserts a character, the other's Y.Text sees it. */
async function nodeRelay(server: BenchServer): Promise<number[]> {
  const docName = await server.newDocument();
  const x = new Y.Doc();
  const y = new Y.Doc();
  const providers = [provider(server, docName, x), provider(server, docName, y)];
  await Promise.all(providers.map((p) => whenSynced(p)));
  const samples: number[] = [];
  for (let i = 0; i < KEYS; i++) {
    const arrived = new Promise<void>((resolve) => {
      const on = () => {
        y.getText('bench').unobserve(on);
        resolve();
      };
      y.getText('bench').observe(on);
    });
    const started = performance.now();
    x.getText('bench').insert(x.getText('bench').length, 'x');
    await arrived;
    samples.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, GAP_MS));
  }
  for (const p of providers) p.destroy();
  return samples.slice(10);
}

export async function peerKeystrokes(): Promise<Latencies[]> {
  const out: Latencies[] = [];
  for (const kind of ['atrium', 'reference'] as const) {
    const server = await startServer(kind);
    try {
      out.push({
        label: `peer: Node client → ${SERVER_LABEL[kind]} → Node client (Y.Text observed)`,
        samples: await nodeRelay(server),
      });
    } finally {
      await server.stop();
    }
  }
  return out;
}

export const latencyRow = (l: Latencies) => [
  l.label,
  l.samples.length,
  percentile(l.samples, 50).toFixed(1),
  percentile(l.samples, 95).toFixed(1),
  Math.max(...l.samples).toFixed(1),
];

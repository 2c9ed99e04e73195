/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Opening a 500-cell notebook until it is interactive (every cell in the page, the first editor
// accepting keys), with editors built lazily as cells near the viewport, beside the same notebook
// with all 500 editors built eagerly (`?eager=1`); then a scroll to the bottom, frame by frame.
import { type NotebookBench, openNotebook } from './setup.js';

const OPENS = Number(process.env.OPENS ?? 5);

/** 500 cells: code with outputs, and markdown, like a long tutorial notebook. */
export function bigNotebook(cells = 500) {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'atrium-typescript', display_name: 'TypeScript', language: 'typescript' },
    },
    cells: Array.from({ length: cells }, (_, i) =>
      i % 3 === 2
        ? {
            cell_type: 'markdown',
            id: `m${i}`,
            metadata: {},
            source: `## Step ${i}\n\nSome *explanation* of step ${i}, with \`code\` and a [link](https://example.org).`,
          }
        : {
            cell_type: 'code',
            id: `c${i}`,
            metadata: {},
            execution_count: i,
            source: `// cell ${i}\nconst values${i} = Array.from({ length: 10 }, (_, k) => k * ${i});\nconst total${i}: number = values${i}.reduce((a, b) => a + b, 0);\nconsole.log(total${i});\ntotal${i} * 2`,
            outputs: [
              { output_type: 'stream', name: 'stdout', text: [`${45 * i}\n`] },
              {
                output_type: 'execute_result',
                execution_count: i,
                metadata: {},
                data: { 'text/plain': String(90 * i) },
              },
            ],
          },
    ),
  };
}

export interface OpenTimes {
  lazy: number[];
  eager: number[];
  lazyEditors: number;
  eagerEditors: number;
  scroll: Record<'lazy' | 'eager', { ms: number; frames: number; longFrames: number }>;
}

export async function open500(bench: NotebookBench): Promise<OpenTimes> {
  const id = await bench.notebook(bigNotebook());
  const page = await bench.pageAs(bench.owner);
  const times = { lazy: [] as number[], eager: [] as number[] };
  const editors = { lazy: 0, eager: 0 };
  const scroll = { lazy: { ms: 0, frames: 0, longFrames: 0 }, eager: { ms: 0, frames: 0, longFrames: 0 } };
  // Warm the browser cache and the server's room once, so both variants start alike.
  await openNotebook(page, id);
  for (let i = 0; i < OPENS; i++) {
    for (const mode of ['lazy', 'eager'] as const) {
      await page.goto('about:blank');
      const started = Date.now();
      await page.goto(`/notebooks/${id}${mode === 'eager' ? '?eager=1' : ''}`);
      await page.waitForFunction(
        (eager) => {
          const cells = document.querySelectorAll('[data-testid="cell"]');
          if (cells.length < 500) return false;
          const editorsBuilt = document.querySelectorAll('[data-testid="cell"] .cm-content').length;
          return eager ? editorsBuilt >= 333 : editorsBuilt > 0;
        },
        mode === 'eager',
        { polling: 'raf', timeout: 60_000 },
      );
      // Interactive: a key typed in the first cell lands in its editor.
      await page.locator('[data-cell-id="c0"] .cm-content').click();
      await page.keyboard.press('Control+Home');
      await page.keyboard.press('End');
      await page.keyboard.type('/');
      await page.waitForFunction(() =>
        document.querySelector('[data-cell-id="c0"] .cm-content')?.textContent?.includes('cell 0/'),
      );
      times[mode].push(Date.now() - started);
      await page.keyboard.press('Backspace');
      if (i === OPENS - 1) {
        editors[mode] = await page.locator('[data-testid="cell"] .cm-content').count();
        scroll[mode] = await page.evaluate(async () => {
          // Scroll to the bottom in steps of one screen per frame; count frames slower than 50 ms.
          const frames: number[] = [];
          let last = performance.now();
          const started = last;
          while (window.scrollY + window.innerHeight < document.body.scrollHeight - 2) {
            window.scrollBy(0, window.innerHeight);
            await new Promise((r) => requestAnimationFrame(r));
            const now = performance.now();
            frames.push(now - last);
            last = now;
            if (now - started > 30_000) break;
          }
          return {
            ms: performance.now() - started,
            frames: frames.length,
            longFrames: frames.filter((f) => f > 50).length,
          };
        });
      }
    }
  }
  await page.context().close();
  return { ...times, lazyEditors: editors.lazy, eagerEditors: editors.eager, scroll };
}

import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { notebookLanguage } from '@atrium/protocol';
import { parseCard, seedModels, writeModels } from '@atrium/server/models/index';
import { env } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, hasDocker, type TestServer } from '../harness/index.js';
import { ensurePythonImage, startPythonKernel, startPythonServer } from '../python/pythonTesting.js';
import { ensureImage, execute, startKernel, startSandboxServer } from '../sandbox/sandboxTesting.js';

// Every template is real: its card parses and declares its model, its notebook runs cell by cell in a
// sandbox (no network, models from /models), and its Space app runs through the demo SDK.
const templatesDir = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@atrium/templates/package.json')),
);
/** The Python notebook template (runs in the Python sandbox: pandas, matplotlib, scikit-learn). */
const PYTHON_NOTEBOOK = 'data-exploration-python';
const SEED_TASKS: Record<string, string> = {
  'sentiment-analysis': 'atrium/tiny-sentiment-bert',
  translation: 'atrium/tiny-marian-en-fr',
  'text-generation': 'atrium/tiny-gpt2-alice',
  'question-answering': 'atrium/tiny-qa-bert',
  'image-classification': 'atrium/tiny-vit-colours',
};
const read = (...p: string[]) => fs.readFileSync(path.join(templatesDir, ...p), 'utf8');
interface Notebook {
  metadata: { atrium?: { models?: string[] }; kernelspec?: unknown };
  cells: { cell_type: string; source: string }[];
}
const notebookOf = (name: string) => JSON.parse(read(name, 'notebook.ipynb')) as Notebook;

describe('templates', () => {
  it('has a Space and a notebook for each seed task, plus blank notebook, Python notebook, blank Space and static Space', () => {
    const folders = fs
      .readdirSync(templatesDir)
      .filter((f) => !f.startsWith('.') && f !== 'node_modules')
      .filter((f) => fs.statSync(path.join(templatesDir, f)).isDirectory());
    expect(folders.sort()).toEqual(
      [...Object.keys(SEED_TASKS), 'blank-notebook', PYTHON_NOTEBOOK, 'blank-space', 'static-space'].sort(),
    );
    for (const [name, model] of Object.entries(SEED_TASKS)) {
      const { metadata } = parseCard(read(name, 'README.md'));
      expect(metadata.sdk, name).toBe('atrium');
      expect(metadata.app_file).toBe('app.ts');
      expect(metadata.models).toEqual([model]);
      for (const key of ['title', 'emoji', 'colorFrom', 'colorTo', 'license', 'short_description', 'tags']) {
        expect(metadata[key], `${name} ${key}`).toBeDefined();
      }
      expect(notebookOf(name).metadata.atrium?.models).toEqual([model]);
      expect(seedModels.map((m) => m.id)).toContain(model);
    }
    expect(parseCard(read('static-space', 'README.md')).metadata.sdk).toBe('static');
    expect(read('static-space', 'index.html')).toContain('<h1>');
    expect(parseCard(read('blank-space', 'README.md')).metadata.app_file).toBe('app.ts');
    expect(notebookOf('blank-notebook').cells.some((c) => c.cell_type === 'code')).toBe(true);
    // The Python template is a notebook only (no sdk), with Jupyter's Python kernelspec.
    expect(parseCard(read(PYTHON_NOTEBOOK, 'README.md')).metadata.sdk).toBeUndefined();
    expect(notebookLanguage(notebookOf(PYTHON_NOTEBOOK).metadata)).toBe('python');
  });
});

describe.skipIf(!hasDocker())('the Python template notebook in a Python sandbox', () => {
  let server: TestServer;
  let headers: Record<string, string>;
  beforeAll(async () => {
    ensureImage();
    ensurePythonImage();
    server = await startPythonServer('runc', { executionTimeoutS: 120 });
    headers = { authorization: `Bearer ${(await createUser(server.url)).token}` };
  }, 1_800_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('runs cell by cell: a table, a summary, a figure, a model and its accuracy', async () => {
    const kernel = await startPythonKernel(server.url, headers);
    const cells = notebookOf(PYTHON_NOTEBOOK).cells.filter((c) => c.cell_type === 'code');
    const runs = [];
    for (const cell of cells) {
      const run = await execute(server.url, headers, kernel.id, cell.source);
      if (run.error) throw new Error(`${PYTHON_NOTEBOOK}: ${run.error.ename}: ${run.error.evalue}`);
      runs.push(run);
    }
    const [table, summary, figure, model] = runs;
    expect(String(table?.result?.['text/html'])).toContain('sepal_length');
    expect(String(summary?.result?.['text/plain'])).toContain('virginica');
    const images = (figure?.messages ?? []).filter(
      (m) => m.header.msg_type === 'display_data' && 'image/png' in (m.content as { data: object }).data,
    );
    expect(images).toHaveLength(1);
    const accuracy = Number(/accuracy: ([0-9.]+)/.exec(model?.stdout ?? '')?.[1]);
    expect(accuracy).toBeGreaterThan(0.6);
  });
});

describe('template Space apps through the demo SDK', () => {
  let root: string;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-template-models-'));
    await writeModels(root);
    env.localModelPath = `${root}/`;
    env.allowRemoteModels = false;
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  type App = {
    call: (
      inputs: Record<string, unknown>,
      o?: { onPartial?: (o: unknown[]) => void },
    ) => Promise<{ outputs: unknown[] }>;
  };
  const load = async (name: string) =>
    ((await import(path.join(templatesDir, name, 'app.ts'))) as { default: App }).default;

  it('labels sentiment, translates, answers and classifies an image', async () => {
    const sentiment = await (await load('sentiment-analysis')).call({ text: 'I love this wonderful film!' });
    expect((sentiment.outputs[0] as { label: string }).label).toBe('POSITIVE');
    const french = await (await load('translation')).call({ english: 'the cat is in the house' });
    expect(french.outputs[0]).toBe('le chat est dans la maison');
    const answer = await (await load('question-answering')).call({
      context: 'Alice lives in Paris and Bob lives in London.',
      question: 'Where does Bob live?',
    });
    expect(answer.outputs[0]).toBe('london');
    const sharp = (await import('sharp')).default;
    const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#00c000' } })
      .png()
      .toBuffer();
    const image = await (await load('image-classification')).call({
      image: `data:image/png;base64,${png.toString('base64')}`,
    });
    expect((image.outputs[0] as { label: string; confidences: unknown[] }).label).toBe('green');
    expect((image.outputs[0] as { confidences: unknown[] }).confidences).toHaveLength(3);
  });

  it('streams generated text as partial outputs', async () => {
    const partials: string[] = [];
    const result = await (await load('text-generation')).call(
      { prompt: 'Alice was', tokens: 12 },
      { onPartial: (outputs) => partials.push(String(outputs[0])) },
    );
    expect(partials.length).toBeGreaterThan(3);
    expect(String(result.outputs[0])).toMatch(/^Alice was to get very tired/);
    expect(partials.every((p, i) => i === 0 || p.startsWith(partials[i - 1]!))).toBe(true);
  });

  it('greets from the blank Space', async () => {
    expect((await (await load('blank-space')).call({ name: 'Ada' })).outputs).toEqual(['Hello, Ada!']);
  });
});

describe.skipIf(!hasDocker())('template notebooks in a sandbox', () => {
  let server: TestServer;
  let headers: Record<string, string>;

  beforeAll(async () => {
    ensureImage();
    server = await startSandboxServer('runc', { seed: true, executionTimeoutS: 120 });
    headers = { authorization: `Bearer ${(await createUser(server.url)).token}` };
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Runs a notebook's code cells in order in a fresh kernel; returns each cell's stdout. */
  async function runNotebook(name: string): Promise<string[]> {
    return (await runNotebookCells(name)).map((r) => r.stdout);
  }
  /** Runs a notebook's code cells in order in a fresh kernel; returns each cell's execution. */
  async function runNotebookCells(name: string) {
    const notebook = notebookOf(name);
    await server.services.modelCache.ensureAll(notebook.metadata.atrium?.models ?? []);
    const kernel = await startKernel(server.url, headers);
    const outputs: Awaited<ReturnType<typeof execute>>[] = [];
    for (const cell of notebook.cells.filter((c) => c.cell_type === 'code' && c.source.trim())) {
      // The notebooks declare TypeScript (kernelspec), as the notebook runner would pass it.
      const result = await execute(server.url, headers, kernel.id, cell.source, { language: 'typescript' });
      if (result.error) throw new Error(`${name}: ${result.error.ename}: ${result.error.evalue}`);
      outputs.push(result);
    }
    return outputs;
  }
  const lastJson = (stdout: string | undefined) =>
    JSON.parse(String(stdout).trim().split('\n').at(-1) ?? 'null');

  it('runs the sentiment analysis notebook: labels with scores', async () => {
    const out = lastJson((await runNotebook('sentiment-analysis')).at(-1)) as {
      label: string;
      score: number;
    }[];
    expect(out.map((r) => r.label)).toEqual(['POSITIVE', 'NEGATIVE', 'POSITIVE']);
  });

  it('runs the translation notebook: French sentences', async () => {
    const out = lastJson((await runNotebook('translation')).at(-1));
    expect(out).toEqual([
      { translation_text: 'le chat est dans la maison' },
      { translation_text: 'une fille lit un livre' },
    ]);
  });

  it('runs the text generation notebook: tokens streamed, then the whole text', async () => {
    const stdout = (await runNotebook('text-generation')).at(-1) ?? '';
    const [streamed, final] = stdout.split('\n');
    expect(streamed?.trim().split(' ').length).toBeGreaterThan(10);
    expect((JSON.parse(final ?? '{}') as { generated_text: string }).generated_text).toBe(
      `Alice was${streamed}`,
    );
  });

  it('runs the question answering notebook: an answer span with its score', async () => {
    const out = lastJson((await runNotebook('question-answering')).at(-1)) as {
      answer: string;
      score: number;
    };
    expect(out.answer).toBe('london');
    expect(out.score).toBeGreaterThan(0);
  });

  it('runs the image classification notebook: the image drawn, then its top-3 labels', async () => {
    const last = (await runNotebookCells('image-classification')).at(-1);
    const out = lastJson(last?.stdout) as { label: string }[];
    expect(out).toHaveLength(3);
    expect(out[0]?.label).toBe('blue');
    // "The image is drawn here": `display.png(png);` standing alone shows the PNG before the labels.
    const images = (last?.messages ?? []).filter(
      (m) => m.header.msg_type === 'display_data' && 'image/png' in (m.content as { data: object }).data,
    );
    expect(images).toHaveLength(1);
    const data = (images[0]?.content as { data: Record<string, string> } | undefined)?.data ?? {};
    const png = Buffer.from(String(data['image/png']), 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });
});

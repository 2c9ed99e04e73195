import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, hasDocker, type TestServer } from '../harness/index.js';
import { ensureImage, execute, startKernel, startSandboxServer } from '../sandbox/sandboxTesting.js';

// The five seed pipelines inside a real sandbox (no network): the models reach it as the read-only
// /models folder the server materialises from its own hub; transformers.js is the image's, unmodified.
const docker = hasDocker();

describe.skipIf(!docker)('seed models inside a sandbox', () => {
  let server: TestServer;
  let headers: Record<string, string>;
  let kernelId: string;

  beforeAll(async () => {
    ensureImage();
    server = await startSandboxServer('runc', { seed: true, executionTimeoutS: 120 });
    const user = await createUser(server.url);
    headers = { authorization: `Bearer ${user.token}` };
    kernelId = (await startKernel(server.url, headers)).id;
  });

  afterAll(async () => {
    await server?.stop();
  });

  const run = async (code: string) => {
    const result = await execute(server.url, headers, kernelId, code);
    if (result.error) throw new Error(`${result.error.ename}: ${result.error.evalue}`);
    return result;
  };
  /** The cells print their result as JSON on the last line of stdout. */
  const value = (result: Awaited<ReturnType<typeof run>>) =>
    JSON.parse(result.stdout.trim().split('\n').at(-1) ?? 'null');

  it('classifies sentiment with labels and scores', async () => {
    const result = await run(`
      import { pipeline } from '@huggingface/transformers';
      const classify = await pipeline('text-classification', 'atrium/tiny-sentiment-bert');
      console.log(JSON.stringify(await classify(['I love this wonderful film!', 'This was a terrible waste of time.'])))
    `);
    const labels = value(result) as { label: string; score: number }[];
    expect(labels.map((l) => l.label)).toEqual(['POSITIVE', 'NEGATIVE']);
    for (const l of labels) expect(l.score).toBeGreaterThan(0.9);
  });

  it('streams generated text token by token', async () => {
    const result = await run(`
      import { pipeline, TextStreamer } from '@huggingface/transformers';
      const generate = await pipeline('text-generation', 'atrium/tiny-gpt2-alice');
      const streamer = new TextStreamer(generate.tokenizer, { skip_prompt: true, callback_function: (t) => console.log('TOKEN ' + JSON.stringify(t)) });
      const [out] = await generate('Alice was', { max_new_tokens: 12, streamer });
      console.log(JSON.stringify(out.generated_text))
    `);
    expect(value(result)).toMatch(/^Alice was to get very tired of the Rabbit/);
    const tokens = result.stdout.split('\n').filter((l) => l.startsWith('TOKEN '));
    expect(tokens.length).toBeGreaterThan(5);
    // One callback per word; the runner's output gate may coalesce fast lines into fewer messages.
    expect(tokens.map((l) => JSON.parse(l.slice(6))).join('')).toBe(
      String(value(result)).slice('Alice was'.length),
    );
  });

  it('answers a question with a span and a score', async () => {
    const result = await run(`
      const { pipeline } = await import('@huggingface/transformers');
      const answer = await pipeline('question-answering', 'atrium/tiny-qa-bert');
      console.log(JSON.stringify(await answer('Where does Alice live?', 'Alice lives in Paris with her cat.')))
    `);
    const out = value(result) as { answer: string; score: number };
    expect(out.answer).toBe('paris');
    expect(out.score).toBeGreaterThan(0.5);
  });

  it('translates English to French', async () => {
    const result = await run(`
      import { pipeline } from '@huggingface/transformers';
      const translate = await pipeline('translation', 'atrium/tiny-marian-en-fr');
      console.log(JSON.stringify(await translate('the cat is in the house')))
    `);
    expect(value(result)).toEqual([{ translation_text: 'le chat est dans la maison' }]);
  });

  it('gives top-k labels for an image made in the sandbox', async () => {
    const result = await run(`
      import { pipeline, RawImage } from '@huggingface/transformers';
      import sharp from 'sharp';
      const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ff0000' } }).png().toBuffer();
      const classify = await pipeline('image-classification', 'atrium/tiny-vit-colours');
      console.log(JSON.stringify(await classify(await RawImage.fromBlob(new Blob([png])), { top_k: 3 })))
    `);
    const labels = value(result) as { label: string; score: number }[];
    expect(labels).toHaveLength(3);
    expect(labels[0]?.label).toBe('red');
  });

  it('names a missing model and says how to provide it', async () => {
    const result = await execute(
      server.url,
      headers,
      kernelId,
      `import { pipeline } from '@huggingface/transformers';
       await pipeline('text-classification', 'nobody/not-here')`,
    );
    expect(result.error?.evalue).toContain('Model "nobody/not-here" is not on this Atrium instance');
    expect(result.error?.evalue).toContain('atrium push');
  });

  it('cannot change the model files it is given', async () => {
    const result = await execute(
      server.url,
      headers,
      kernelId,
      `require('node:fs').writeFileSync('/models/atrium/tiny-sentiment-bert/config.json', '{}')`,
    );
    expect(result.error?.evalue).toMatch(/read-only|EROFS|permission/i);
  });
});

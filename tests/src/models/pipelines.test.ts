import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  IMAGE_PROBES,
  QA_PROBE_EXACT_MATCH,
  QA_PROBES,
  referenceGreedy,
  referencePositiveScore,
  SENTIMENT_PROBES,
  TRANSLATION_PROBE_EXACT_MATCH,
  TRANSLATION_PROBES,
  writeModels,
} from '@atrium/server/models/index';
import { env, pipeline, RawImage, TextStreamer } from '@huggingface/transformers';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The generated folders are loaded by the unmodified transformers.js pipelines, with no remote hub at all.
let root: string;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-models-'));
  await writeModels(root);
  env.localModelPath = `${root}/`;
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.useBrowserCache = false;
  env.useFSCache = false;
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

async function plainColourImage(rgb: [number, number, number]): Promise<RawImage> {
  const [r, g, b] = rgb;
  const png = await sharp({ create: { width: 96, height: 64, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();
  return RawImage.fromBlob(new Blob([new Uint8Array(png)]));
}

describe('seed models through the unmodified transformers.js pipelines', () => {
  it('sentiment analysis labels every probe sentence correctly with the reference score', async () => {
    const classify = await pipeline('text-classification', 'atrium/tiny-sentiment-bert');
    for (const probe of SENTIMENT_PROBES) {
      const [result] = (await classify(probe.text)) as { label: string; score: number }[];
      expect(result?.label, probe.text).toBe(probe.label);
      const positive = result!.label === 'POSITIVE' ? result!.score : 1 - result!.score;
      expect(positive).toBeCloseTo(referencePositiveScore(probe.text), 5);
    }
    const both = (await classify('I love it', { top_k: 2 })) as { label: string; score: number }[];
    expect(both.map((r) => r.label)).toEqual(['POSITIVE', 'NEGATIVE']);
    expect(both[0]!.score + both[1]!.score).toBeCloseTo(1, 5);
    await classify.dispose();
  });

  it('text generation continues a prompt greedily and streams it token by token', async () => {
    const generate = await pipeline('text-generation', 'atrium/tiny-gpt2-alice');
    const steps = 16;
    const expected = `Alice was${referenceGreedy('Alice was', steps).join('').replaceAll('Ġ', ' ')}`;
    const pieces: string[] = [];
    let tokens = 0;
    const streamer = new TextStreamer(generate.tokenizer, {
      skip_prompt: true,
      callback_function: (text: string) => pieces.push(text),
      token_callback_function: () => {
        tokens++;
      },
    });
    const [output] = (await generate('Alice was', { max_new_tokens: steps, streamer })) as {
      generated_text: string;
    }[];
    expect(output?.generated_text).toBe(expected);
    expect(expected).toMatch(/^Alice was to get very tired of the Rabbit/);
    expect(tokens).toBe(steps);
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.join('').trim()).toBe(expected.slice('Alice was'.length).trim());
    const sampled = (await generate('The rabbit', { max_new_tokens: 12, do_sample: true })) as {
      generated_text: string;
    }[];
    expect(sampled[0]?.generated_text.startsWith('The rabbit ')).toBe(true);
    expect(sampled[0]!.generated_text.split(' ').length).toBeGreaterThan(8);
    await generate.dispose();
  });

  it('question answering returns the right span with a score for every probe', async () => {
    const answer = await pipeline('question-answering', 'atrium/tiny-qa-bert');
    let exact = 0;
    for (const probe of QA_PROBES) {
      const result = (await answer(probe.question, probe.context)) as { answer: string; score: number };
      expect(result.score).toBeGreaterThan(0);
      expect(result.score).toBeLessThanOrEqual(1);
      if (result.answer === probe.answer) exact++;
    }
    expect(exact / QA_PROBES.length).toBe(QA_PROBE_EXACT_MATCH);
    const top = (await answer('Where does Bob live?', 'Alice lives in Paris and Bob lives in London.', {
      top_k: 2,
    })) as { answer: string; score: number }[];
    expect(top[0]?.answer).toBe('london');
    expect(top[0]!.score).toBeGreaterThan(top[1]!.score);
    await answer.dispose();
  });

  it('translation turns English into French word for word with agreeing articles', async () => {
    const translate = await pipeline('translation', 'atrium/tiny-marian-en-fr');
    let exact = 0;
    for (const probe of TRANSLATION_PROBES) {
      const [result] = (await translate(probe.en)) as { translation_text: string }[];
      if (result?.translation_text === probe.fr) exact++;
      else expect.soft(result?.translation_text, probe.en).toBe(probe.fr);
    }
    expect(exact / TRANSLATION_PROBES.length).toBe(TRANSLATION_PROBE_EXACT_MATCH);
    const batch = (await translate(['the cat', 'the house is big'])) as { translation_text: string }[];
    expect(batch.map((r) => r.translation_text)).toEqual(['le chat', 'la maison est grand']);
    await translate.dispose();
  });

  it('image classification gives top-k colour labels for generated PNGs', async () => {
    const classify = await pipeline('image-classification', 'atrium/tiny-vit-colours');
    for (const probe of IMAGE_PROBES) {
      const results = (await classify(await plainColourImage(probe.rgb), { top_k: 3 })) as {
        label: string;
        score: number;
      }[];
      expect(results).toHaveLength(3);
      expect(results[0]?.label, probe.rgb.join(',')).toBe(probe.label);
      expect(results[0]!.score).toBeGreaterThanOrEqual(results[1]!.score);
      expect(results[1]!.score).toBeGreaterThanOrEqual(results[2]!.score);
    }
    await classify.dispose();
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkCard } from './cards/checkCard.js';
import { parseCard } from './cards/parseCard.js';
import { seedModels } from './seedModels.js';

/**
 * sha256 over every seed model file (id/path, then bytes), pinned so that a change on another machine or
 * Node version is caught too. After changing a model on purpose, update it from this test's failure.
 */
const PINNED_DIGEST = 'e9aa08601112fea478577f84b6503889308896c06246647078fe7bbf6ddd0218';

function combinedDigest(): string {
  const hash = createHash('sha256');
  for (const model of seedModels) {
    for (const [file, bytes] of model.files()) {
      hash.update(`${model.id}/${file}\n`);
      hash.update(bytes);
    }
  }
  return hash.digest('hex');
}

function digest(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const model of seedModels) {
    for (const [file, bytes] of model.files()) {
      out[`${model.id}/${file}`] = createHash('sha256').update(bytes).digest('hex');
    }
  }
  return out;
}

describe('seed models', () => {
  it('are byte-identical every time they are generated', () => {
    const first = digest();
    const second = digest();
    expect(Object.keys(first).length).toBeGreaterThan(25);
    expect(second).toEqual(first);
  });

  it('match the pinned digest, so every machine generates the same bytes', () => {
    expect(combinedDigest()).toBe(PINNED_DIGEST);
  });

  it('publish the five showcase tasks under the atrium organization', () => {
    expect(seedModels.map((m) => m.pipelineTag).sort()).toEqual([
      'image-classification',
      'question-answering',
      'text-classification',
      'text-generation',
      'translation',
    ]);
    for (const model of seedModels) expect(model.id).toMatch(/^atrium\/[a-z0-9-]+$/);
  });

  it('each ship a config, an ONNX graph and either a tokenizer or an image processor', () => {
    for (const model of seedModels) {
      const files = [...model.files().keys()];
      expect(files).toContain('config.json');
      expect(files).toContain('README.md');
      expect(files.some((f) => f.startsWith('onnx/') && f.endsWith('.onnx'))).toBe(true);
      const preprocessing =
        model.pipelineTag === 'image-classification' ? 'preprocessor_config.json' : 'tokenizer.json';
      expect(files).toContain(preprocessing);
    }
  });

  it('each carry a complete model card with the Hub metadata and a transformers.js snippet', () => {
    for (const model of seedModels) {
      const text = new TextDecoder().decode(model.files().get('README.md'));
      expect(checkCard(text), model.id).toEqual([]);
      const { metadata } = parseCard(text);
      expect(metadata.pipeline_tag).toBe(model.pipelineTag);
      for (const key of ['license', 'tags', 'datasets', 'base_model', 'model-index']) {
        expect(metadata[key], `${model.id} ${key}`).toBeDefined();
      }
      expect(text).toContain(`pipeline('${model.pipelineTag}', '${model.id}')`);
    }
  });

  it('stay small enough to generate on every fresh data directory', () => {
    const started = performance.now();
    let bytes = 0;
    for (const model of seedModels) for (const content of model.files().values()) bytes += content.byteLength;
    const elapsed = performance.now() - started;
    expect(bytes).toBeLessThan(3 * 1024 * 1024);
    // A tripwire at ten times the goal (≤ 200 ms, measured by bench/inference/serving.ts), so it holds at load.
    expect(elapsed).toBeLessThan(2000);
  });
});

import { describe, expect, it } from 'vitest';
import { cardModels, modelsInCode, notebookModels } from './declaredModels.js';

describe('declared models', () => {
  it('reads notebook metadata atrium.models, ignoring anything that is not a string', () => {
    expect(notebookModels({ atrium: { models: ['a/b', 3, 'c/d'] } })).toEqual(['a/b', 'c/d']);
    expect(notebookModels({})).toEqual([]);
    expect(notebookModels(undefined)).toEqual([]);
  });

  it('reads a Space card models list or single id', () => {
    expect(cardModels({ models: ['a/b'] })).toEqual(['a/b']);
    expect(cardModels({ models: 'a/b' })).toEqual(['a/b']);
    expect(cardModels({})).toEqual([]);
  });

  it('finds model ids a cell names literally in pipeline() and from_pretrained()', () => {
    const code = `
      const a = await pipeline('text-classification', 'atrium/tiny-sentiment-bert');
      const b = await pipeline("translation", "atrium/tiny-marian-en-fr", { dtype: 'fp32' });
      const t = await AutoTokenizer.from_pretrained(\`alice/my-model\`);
      const again = await pipeline('text-classification', 'atrium/tiny-sentiment-bert');
      const dynamic = await pipeline('text-generation', owner + '/' + name);
      const notAModel = 'some/path';
    `;
    expect(modelsInCode(code)).toEqual([
      'atrium/tiny-sentiment-bert',
      'atrium/tiny-marian-en-fr',
      'alice/my-model',
    ]);
    expect(modelsInCode('')).toEqual([]);
  });
});

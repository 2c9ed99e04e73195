import { describe, expect, it } from 'vitest';
import { cardModels, notebookModels } from './declaredModels.js';

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
});

import { describe, expect, it } from 'vitest';
import { notebookLanguage } from './notebookLanguage.js';

describe('notebookLanguage', () => {
  it('reads Python from a python3 kernelspec, its language or language_info', () => {
    expect(notebookLanguage({ kernelspec: { name: 'python3', display_name: 'Python 3' } })).toBe('python');
    expect(notebookLanguage({ kernelspec: { language: 'python' } })).toBe('python');
    expect(notebookLanguage({ language_info: { name: 'python' } })).toBe('python');
  });

  it('reads TypeScript and JavaScript from Atrium kernelspecs', () => {
    expect(notebookLanguage({ kernelspec: { name: 'atrium-typescript', language: 'typescript' } })).toBe(
      'typescript',
    );
    expect(notebookLanguage({ language_info: { name: 'javascript' } })).toBe('javascript');
  });

  it('takes a notebook that names no kernel (Colab, the Hugging Face course) as Python, as Jupyter does', () => {
    expect(notebookLanguage({ colab: { name: 'Transformers, what can they do?' } })).toBe('python');
    expect(notebookLanguage(undefined)).toBe('python');
  });
});

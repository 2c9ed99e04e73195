import type { Ipynb } from './ipynb.js';

/** A fresh notebook: one empty code cell, TypeScript kernel. */
export const BLANK_NOTEBOOK: Ipynb = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: 'atrium-typescript', display_name: 'TypeScript (Atrium)', language: 'typescript' },
    language_info: { name: 'typescript', file_extension: '.ts' },
  },
  cells: [{ cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null }],
};

import { NOTEBOOK_FILE } from '@atrium/protocol';
import type { AccountRecord } from '../../accounts/AccountStore.js';
import { badRequest } from '../../errors.js';
import { createRepo } from '../../hub/commands/createRepo.js';
import type { Services } from '../../services.js';
import { exportIpynb, type Ipynb, ipynbProblem, ydocFromIpynb } from '../ipynb.js';

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

/** Creates a notebook repository holding a blank notebook or an imported .ipynb (normalized to nbformat 4.5). */
export async function createNotebook(
  services: Services,
  actor: AccountRecord,
  input: { name: string; organization?: string; private?: boolean; notebook?: unknown },
): Promise<{ id: string; url: string }> {
  const source = input.notebook ?? BLANK_NOTEBOOK;
  const problem = ipynbProblem(source);
  if (problem) throw badRequest(`Not a Jupyter notebook: ${problem}`, 'invalid_notebook');
  const doc = ydocFromIpynb(source as Ipynb);
  const content = `${JSON.stringify(exportIpynb(doc), null, 1)}\n`;
  doc.destroy();
  const repo = await createRepo(services, actor, {
    type: 'notebook',
    name: input.name,
    organization: input.organization,
    private: input.private,
    files: [{ path: NOTEBOOK_FILE, content: Buffer.from(content) }],
  });
  const id = `${repo.ownerName}/${repo.name}`;
  return { id, url: `/notebooks/${id}` };
}

import { NOTEBOOK_FILE } from '@atrium/protocol';
import type { AccountRecord } from '../../accounts/AccountStore.js';
import { createRepo } from '../../hub/commands/createRepo.js';
import type { Services } from '../../services.js';
import type { ImportedNotebook } from '../importTask.js';

/** Creates a notebook repository holding a notebook already checked and normalized by `importTask.ts`. */
export async function createNotebook(
  services: Services,
  actor: AccountRecord,
  input: {
    name: string;
    organization?: string;
    private?: boolean;
    notebook: ImportedNotebook;
    /** README.md of a notebook made from a template (its card). */
    card?: string;
  },
): Promise<{ id: string; url: string }> {
  const { content, gitOid } = input.notebook;
  const repo = await createRepo(services, actor, {
    type: 'notebook',
    name: input.name,
    organization: input.organization,
    private: input.private,
    files: [
      { path: NOTEBOOK_FILE, content, gitOid },
      ...(input.card ? [{ path: 'README.md', content: Buffer.from(input.card) }] : []),
    ],
  });
  const id = `${repo.ownerName}/${repo.name}`;
  return { id, url: `/notebooks/${id}` };
}

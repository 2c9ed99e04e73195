import type { ModelCardView } from '@atrium/protocol';
import type { Identity } from '../../auth/Identity.js';
import type { HttpError } from '../../errors.js';
import { loadRepo, resolveRevision } from '../../hub/commands/loadRepo.js';
import { fileAt } from '../../hub/commands/openRepoFile.js';
import type { RepoRecord } from '../../hub/RepoStore.js';
import type { Services } from '../../services.js';
import { checkCard } from '../cards/checkCard.js';
import { parseCard } from '../cards/parseCard.js';
import { useThisModelSnippet } from '../cards/useSnippet.js';

/** Largest README the card view reads; the Hub's cards are a few kB. */
const MAX_CARD_BYTES = 1024 * 1024;

async function readCard(services: Services, repo: RepoRecord, commit: string): Promise<string> {
  try {
    const file = await fileAt(services, repo, commit, 'README.md');
    if (file.size > MAX_CARD_BYTES) return '';
    const chunks: Buffer[] = [];
    for await (const chunk of await file.stream()) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    // No README.md at this revision: the card is missing, which is itself the warning to show.
    if ((err as HttpError).status === 404) return '';
    throw err;
  }
}

/** A model's card at a revision with its responsible-use warnings; 404 for models the caller cannot read. */
export async function describeModelCard(
  services: Services,
  identity: Identity,
  owner: string,
  name: string,
  rev: string,
  atriumUrl: string,
): Promise<ModelCardView> {
  const { repo } = await loadRepo(services, identity, 'model', owner, name);
  const sha = await resolveRevision(services, repo, rev);
  const text = await readCard(services, repo, sha);
  const { metadata, body } = parseCard(text);
  const id = `${repo.ownerName}/${repo.name}`;
  const pipelineTag = typeof metadata.pipeline_tag === 'string' ? metadata.pipeline_tag : undefined;
  return {
    id,
    sha,
    cardData: metadata,
    markdown: body,
    warnings: checkCard(text),
    snippet: useThisModelSnippet(id, pipelineTag, atriumUrl),
  };
}

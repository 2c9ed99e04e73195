import type { AccountRecord } from '../../accounts/AccountStore.js';
import { badRequest } from '../../errors.js';
import { byteLength } from '../../http/rawBody.js';
import type { Services } from '../../services.js';
import { boundedStores } from '../boundedStores.js';
import { ndjsonLines } from '../ndjsonLines.js';
import type { FileEntry, RepoRecord } from '../RepoStore.js';
import { checkPath } from '../repoPaths.js';
import { applyCommit, lfsEntry, storeFile } from './commitFiles.js';

/** An inline file is base64 in one line; anything bigger belongs in LFS. */
const MAX_LINE = 64 * 1024 * 1024;
const MAX_BODY = 1024 * 1024 * 1024;
/** Lines up to this size are parsed in place; longer ones (big inline files) in the task worker. */
const INLINE_LINE_BYTES = 256 * 1024;
/** Time one line may take in the worker (a 64 MiB line decodes in well under a second). */
const LINE_BUDGET_MS = 30_000;
const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw badRequest(`Invalid ${what}: expected a string`, 'malformed_ndjson');
  return v;
};

/**
 * `POST /api/{type}s/{id}/commit/{rev}` with the Hub's NDJSON body: a header line, then `file`,
 * `lfsFile`, `deletedFile` and `deletedFolder` lines. Inline files are stored as they stream in;
 * the commit itself is all or nothing.
 */
export async function commitNdjson(
  services: Services,
  repo: RepoRecord,
  author: AccountRecord,
  branch: string,
  body: AsyncIterable<Buffer>,
) {
  let header: { summary: string; description: string; parentCommit?: string } | undefined;
  const puts: Promise<FileEntry>[] = [];
  const stores = boundedStores();
  const deleteFiles: string[] = [];
  const deleteFolders: string[] = [];
  let index = 0;
  for await (const line of ndjsonLines(body, MAX_LINE, MAX_BODY)) {
    const { key, value, file } = await services.work.run(
      'commitLine',
      { line, index },
      { inline: byteLength(line) <= INLINE_LINE_BYTES, budgetMs: LINE_BUDGET_MS },
    );
    if (index === 0 && key !== 'header')
      throw badRequest('The first line of a commit must be its header', 'malformed_ndjson');
    index++;
    switch (key) {
      case 'header': {
        if (header) throw badRequest('A commit has one header', 'malformed_ndjson');
        const parent = value.parentCommit;
        if (parent !== undefined && (typeof parent !== 'string' || !/^[0-9a-f]{40}$/.test(parent))) {
          throw badRequest('Invalid parentCommit: expected a 40-character commit id', 'invalid_parent');
        }
        header = {
          summary: typeof value.summary === 'string' ? value.summary : '',
          description: typeof value.description === 'string' ? value.description : '',
          parentCommit: parent,
        };
        break;
      }
      case 'file': {
        const path = checkPath(value.path);
        if (!file) throw badRequest(`Invalid content of ${path}: expected a string`, 'malformed_ndjson');
        const stored = await stores.add(file.content.length, () =>
          storeFile(services, path, file.content, file.gitOid),
        );
        puts.push(stored.task);
        break;
      }
      case 'lfsFile': {
        const path = checkPath(value.path);
        if (value.algo !== undefined && value.algo !== 'sha256')
          throw badRequest('LFS files must use sha256', 'bad_algo');
        const size = value.size;
        if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
          throw badRequest(`Invalid size for ${path}`, 'malformed_ndjson');
        const oid = str(value.oid, `oid of ${path}`);
        // A stat of the uploaded object (on S3 a request): run alongside the others, not one by one.
        puts.push((await stores.add(0, () => lfsEntry(services, path, oid, size))).task);
        break;
      }
      case 'deletedFile':
        deleteFiles.push(checkPath(value.path));
        break;
      case 'deletedFolder':
        deleteFolders.push(checkPath(str(value.path, 'folder').replace(/\/$/, ''), 'folder'));
        break;
      default:
        throw badRequest(`Unknown commit operation "${key}"`, 'malformed_ndjson');
    }
  }
  if (!header) throw badRequest('The commit has no header line', 'malformed_ndjson');
  return applyCommit(services, repo, author, {
    branch,
    title: header.summary,
    description: header.description,
    parentCommit: header.parentCommit,
    puts: await Promise.all(puts),
    deleteFiles,
    deleteFolders,
  });
}

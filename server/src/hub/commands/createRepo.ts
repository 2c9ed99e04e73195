import { nameProblem, type RepoType } from '@atrium/protocol';
import type { AccountRecord } from '../../accounts/AccountStore.js';
import { badRequest, conflict, forbidden, notFound } from '../../errors.js';
import { checkStorageQuota } from '../../quota/storageQuota.js';
import type { Services } from '../../services.js';
import type { RepoRecord } from '../RepoStore.js';
import { storeFile } from './commitFiles.js';

export interface CreateRepoInput {
  type: RepoType;
  name: string;
  /** The owning user or organization; the actor when absent. */
  organization?: string;
  private?: boolean;
  sdk?: string;
  /** Files of the first commit besides `.gitattributes`; a large one may bring its git oid (task worker). */
  files?: { path: string; content: Uint8Array; gitOid?: string }[];
}

// As on the Hub, new repositories start with a .gitattributes routing big binaries through LFS.
const GITATTRIBUTES = [
  '*.bin',
  '*.onnx',
  '*.safetensors',
  '*.pt',
  '*.pth',
  '*.h5',
  '*.gguf',
  '*.zip',
  '*.tar.gz',
  '*.parquet',
]
  .map((p) => `${p} filter=lfs diff=lfs merge=lfs -text`)
  .join('\n');

/** The account that will own a new repository, if the actor may create repositories there. */
export async function ownerForNewRepo(
  services: Services,
  actor: AccountRecord,
  organization: string | undefined,
) {
  if (!organization || organization.toLowerCase() === actor.name.toLowerCase()) return actor;
  const owner = await services.accounts.findByName(organization);
  if (owner?.kind !== 'org') throw notFound(`Organization "${organization}" not found`, 'org_not_found');
  const role = await services.accounts.roleInOrg(owner.id, actor.id);
  if (!actor.isAdmin && role !== 'admin' && role !== 'write') {
    throw forbidden(`You need the write role in ${owner.name} to create repositories there`, 'org_forbidden');
  }
  return owner;
}

/** Creates a repository with its first commit on `main`; 409 when the name is taken. */
export async function createRepo(
  services: Services,
  actor: AccountRecord,
  input: CreateRepoInput,
): Promise<RepoRecord> {
  const problem = nameProblem(input.name);
  if (problem) throw badRequest(`Repository name ${problem}`, 'invalid_name');
  if (input.sdk !== undefined && !/^[a-z0-9-]{1,32}$/.test(input.sdk))
    throw badRequest('Invalid sdk', 'invalid_sdk');
  const owner = await ownerForNewRepo(services, actor, input.organization);
  const files = [
    { path: '.gitattributes', content: Buffer.from(`${GITATTRIBUTES}\n`) as Uint8Array, gitOid: undefined },
    ...(input.files ?? []),
  ].filter((f, i, all) => all.findLastIndex((g) => g.path === f.path) === i);
  const puts = [];
  for (const f of files) puts.push(await storeFile(services, f.path, f.content, f.gitOid));
  // Notebook imports and templates arrive with their files: they count like any commit.
  await checkStorageQuota(services, { ownerId: owner.id, ownerName: owner.name }, puts);
  const now = new Date().toISOString();
  const repo = await services.hub.repos.create({
    type: input.type,
    ownerId: owner.id,
    name: input.name,
    private: input.private ?? false,
    sdk: input.type === 'space' ? (input.sdk ?? 'static') : null,
    createdAt: now,
    initialCommit: {
      authorId: actor.id,
      authorName: actor.name,
      title: 'initial commit',
      message: '',
      createdAt: now,
      changes: { put: puts, deleteFiles: [], deleteFolders: [] },
    },
  });
  if (!repo)
    throw conflict(`You already created this ${input.type} repo: ${owner.name}/${input.name}`, 'repo_exists');
  return repo;
}

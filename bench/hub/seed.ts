// Builds Atrium data directories for the benchmarks in-process, through the Hub's own commands.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Atrium, loadConfig, startAtrium } from '@atrium/server';
import { createRepo } from '@atrium/server/hub/commands/createRepo';
import { lfsGitOid } from '@atrium/server/hub/gitOid';
import type { FileEntry } from '@atrium/server/hub/RepoStore';

export async function startInProcess(
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-hub-')),
  databaseUrl?: string,
) {
  const config = loadConfig(
    { ...process.env, PORT: '0', HOST: '127.0.0.1', ATRIUM_LOG_LEVEL: 'silent', ATRIUM_DATA_DIR: dataDir },
    { authRateLimit: 100_000, ...(databaseUrl ? { databaseUrl } : {}) },
  );
  const atrium = await startAtrium(config);
  return { atrium, dataDir };
}

/** Creates `owner/name` holding `count` files of `fileSize` random bytes each (as LFS blobs), in one commit. */
export async function seedRepo(atrium: Atrium, owner: string, name: string, count: number, fileSize: number) {
  const { services } = atrium;
  const actor = (await services.accounts.findByName(owner))!;
  const repo = await createRepo(services, actor, { type: 'model', name });
  const puts: FileEntry[] = [];
  for (let i = 0; i < count; i++) {
    const { sha256, size } = await services.hub.blobs.put(randomBytes(fileSize));
    puts.push({
      path: `shard-${Math.floor(i / 100)}/file-${i}.bin`,
      sha256,
      size,
      gitOid: lfsGitOid(sha256, size),
      lfs: true,
    });
  }
  const outcome = await services.hub.repos.commit({
    repoId: repo.id,
    branch: 'main',
    authorId: actor.id,
    authorName: actor.name,
    title: `${count} files`,
    message: '',
    createdAt: new Date().toISOString(),
    changes: { put: puts, deleteFiles: [], deleteFolders: [] },
  });
  if (!outcome.ok) throw new Error(`seed commit failed: ${JSON.stringify(outcome)}`);
  return repo;
}

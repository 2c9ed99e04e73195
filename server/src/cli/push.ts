import fs from 'node:fs';
import path from 'node:path';
import { createRepo, uploadFiles } from '@huggingface/hub';
import { readCredentials } from './credentials.js';

interface PushOptions {
  private?: boolean;
  message?: string;
}

/** Every file under `dir`, as repository paths, skipping version-control folders. */
function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (entry.name === '.git' || entry.name === '.cache') continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) files.push(child);
    }
  };
  walk('');
  return files.sort();
}

/**
 * `atrium push <dir> <owner/name>`: creates the model repository if needed, then uploads the folder in
 * one commit with the official @huggingface/hub client (big files go through LFS, as on the Hub).
 */
export async function push(dir: string, repoId: string, options: PushOptions): Promise<void> {
  const { url, token } = readCredentials();
  if (!url || !token) throw new Error('Not logged in: run `atrium login` or set ATRIUM_URL and ATRIUM_TOKEN');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder`);
  if (!/^[^/]+\/[^/]+$/.test(repoId)) throw new Error(`Repository must be owner/name, not "${repoId}"`);
  const files = listFiles(dir);
  if (files.length === 0) throw new Error(`${dir} has no files to push`);
  const hub = { hubUrl: url, accessToken: token };
  const repo = { type: 'model' as const, name: repoId };
  try {
    await createRepo({ ...hub, repo, private: options.private ?? false });
    console.log(`Created ${url}/${repoId}`);
  } catch (err) {
    // 409: it exists already, and pushing adds a commit to it.
    if (!/already|409|exists/i.test(String((err as Error).message))) throw err;
  }
  const result = await uploadFiles({
    ...hub,
    repo,
    commitTitle: options.message ?? `Upload ${files.length} files with atrium push`,
    files: await Promise.all(
      files.map(async (file) => ({ path: file, content: await fs.openAsBlob(path.join(dir, file)) })),
    ),
  });
  console.log(
    `Pushed ${files.length} files to ${url}/${repoId}${result ? ` (commit ${result.commit.oid})` : ''}`,
  );
}

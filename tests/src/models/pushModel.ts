import { textGenerator } from '@atrium/server/models/index';
import { createRepo, uploadFiles } from '@huggingface/hub';
import type { TestUser } from '../harness/index.js';

/**
 * Publishes the generated GPT-2 bigram model (a real model the unmodified pipelines load) as
 * `<user>/<name>` with the unmodified `@huggingface/hub` client, plus any extra files.
 */
export async function pushAliceModel(
  url: string,
  user: TestUser,
  name: string,
  options: { private?: boolean; extra?: Record<string, Uint8Array> } = {},
): Promise<string> {
  const hub = { hubUrl: url, accessToken: user.token };
  const repo = { type: 'model' as const, name: `${user.name}/${name}` };
  await createRepo({ ...hub, repo, private: options.private ?? false });
  const files = new Map([...textGenerator.files(), ...Object.entries(options.extra ?? {})]);
  await uploadFiles({
    ...hub,
    repo,
    files: [...files].map(([path, bytes]) => ({ path, content: new Blob([new Uint8Array(bytes)]) })),
  });
  return repo.name;
}

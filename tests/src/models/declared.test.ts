import { textGenerator } from '@atrium/server/models/index';
import { createRepo, uploadFiles } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, hasDocker, type TestServer, type TestUser } from '../harness/index.js';
import { createNotebook, kernelCall, notebookOf } from '../notebook/notebookClient.js';
import { ensureImage, startSandboxServer } from '../sandbox/sandboxTesting.js';

// A model a user pushed reaches a notebook's sandbox (no network) because the notebook declares it in
// its metadata; an undeclared one fails with an error that names it and says how to provide it.
describe.skipIf(!hasDocker())('models declared by a notebook', () => {
  let server: TestServer;
  let owner: TestUser;

  beforeAll(async () => {
    ensureImage();
    server = await startSandboxServer('runc', { executionTimeoutS: 120 });
    owner = await createUser(server.url);
    const hub = { hubUrl: server.url, accessToken: owner.token };
    for (const name of ['declared-alice', 'undeclared-alice', 'dynamic-alice']) {
      const repo = { type: 'model' as const, name: `${owner.name}/${name}` };
      await createRepo({ ...hub, repo });
      await uploadFiles({
        ...hub,
        repo,
        files: [...textGenerator.files()].map(([path, bytes]) => ({
          path,
          content: new Blob([new Uint8Array(bytes)]),
        })),
      });
    }
  });

  afterAll(async () => {
    await server?.stop();
  });

  type Output = { output_type: string; text?: string; evalue?: string };
  async function runAndExport(
    name: string,
    model: string,
    declare: boolean,
    literal = true,
  ): Promise<Output[]> {
    // A literal id in pipeline() is provided too; one assembled at run time must be declared.
    const modelExpression = literal
      ? `'${model}'`
      : `[${model
          .split('/')
          .map((p) => `'${p}'`)
          .join(', ')}].join('/')`;
    const notebook = notebookOf([
      `import { pipeline } from '@huggingface/transformers';
const generate = await pipeline('text-generation', ${modelExpression});
const [out] = await generate('Alice was', { max_new_tokens: 6 });
console.log(out.generated_text);`,
    ]) as ReturnType<typeof notebookOf> & { metadata: Record<string, unknown> };
    if (declare) notebook.metadata.atrium = { models: [model] };
    const id = await createNotebook(server.url, owner, name, notebook);
    expect((await kernelCall(server.url, owner.token, id, 'run', { all: true })).status).toBe(202);
    const until = Date.now() + 90_000;
    while (Date.now() < until) {
      const res = await fetch(`${server.url}/api/notebooks/${id}/export`, { headers: bearer(owner.token) });
      const exported = (await res.json()) as {
        cells: { outputs?: Output[]; execution_count: number | null }[];
      };
      const cell = exported.cells[0];
      if (cell?.execution_count != null && (cell.outputs?.length ?? 0) > 0) return cell.outputs ?? [];
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error('the cell never finished');
  }

  it('runs a pushed model the notebook declares in its metadata', async () => {
    const outputs = await runAndExport('uses-declared', `${owner.name}/declared-alice`, true);
    const text = outputs.map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? ''))).join('');
    expect(text).toContain('Alice was to get very tired of the');
  });

  it('provides a model the cell names literally, without a declaration', async () => {
    const outputs = await runAndExport('uses-literal', `${owner.name}/undeclared-alice`, false, true);
    const text = outputs.map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? ''))).join('');
    expect(text).toContain('Alice was to get very tired of the');
  });

  it('names a model it could not provide and says how to provide it', async () => {
    const outputs = await runAndExport('uses-dynamic', `${owner.name}/dynamic-alice`, false, false);
    const error = outputs.find((o) => o.output_type === 'error');
    expect(error?.evalue).toContain(`Model "${owner.name}/dynamic-alice" is not available in this sandbox`);
    expect(error?.evalue).toContain('atrium.models');
  });
});

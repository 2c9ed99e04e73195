import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, hasDocker, type TestServer, type TestUser, waitFor } from '../harness/index.js';
import { createNotebook, kernelCall, notebookOf } from '../notebook/notebookClient.js';
import { ensureImage, startSandboxServer } from '../sandbox/sandboxTesting.js';
import { pushAliceModel } from './pushModel.js';

// A model a user pushed reaches a notebook's sandbox (no network): declared in the notebook's metadata,
// or asked for at run time (a literal id or one the cell assembles), when the sandbox asks the server
// over the control channel and the cell shows the fetch. One Atrium does not have fails naming it.
describe.skipIf(!hasDocker())('models reaching a notebook', () => {
  let server: TestServer;
  let owner: TestUser;

  beforeAll(async () => {
    ensureImage();
    server = await startSandboxServer('runc', { executionTimeoutS: 120 });
    owner = await createUser(server.url);
    for (const name of ['declared-alice', 'undeclared-alice', 'dynamic-alice', 'private-alice'])
      await pushAliceModel(server.url, owner, name, { private: name.startsWith('private') });
  });

  afterAll(async () => {
    await server?.stop();
  });

  type Output = {
    output_type: string;
    text?: string | string[];
    evalue?: string;
    data?: Record<string, string | string[]>;
  };
  const textOf = (outputs: Output[]) =>
    outputs.map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? ''))).join('');
  /** The fetch display the server shows under the cell, as saved in the notebook. */
  const fetchShown = (outputs: Output[]) =>
    outputs
      .filter((o) => o.output_type === 'display_data')
      .map((o) => [o.data?.['text/plain'] ?? ''].flat().join(''));
  async function runAndExport(
    name: string,
    model: string,
    declare: boolean,
    literal = true,
  ): Promise<Output[]> {
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
    const id = await createNotebook(server.url, owner, name, { notebook: notebook });
    expect((await kernelCall(server.url, owner.token, id, 'run', { all: true })).status).toBe(202);
    return waitFor(
      async () => {
        const res = await fetch(`${server.url}/api/notebooks/${id}/export`, { headers: bearer(owner.token) });
        const exported = (await res.json()) as {
          cells: { outputs?: Output[]; execution_count: number | null }[];
        };
        const cell = exported.cells[0];
        return cell?.execution_count != null && (cell.outputs?.length ?? 0) > 0 ? cell.outputs : undefined;
      },
      { what: 'the cell to finish with its outputs', timeout: 90_000, interval: 250 },
    );
  }

  it('runs a pushed model the notebook declares in its metadata', async () => {
    const outputs = await runAndExport('uses-declared', `${owner.name}/declared-alice`, true);
    expect(textOf(outputs)).toContain('Alice was to get very tired of the');
  });

  it('fetches a model the cell names literally, showing the fetch under the cell', async () => {
    const model = `${owner.name}/undeclared-alice`;
    const outputs = await runAndExport('uses-literal', model, false, true);
    expect(textOf(outputs)).toContain('Alice was to get very tired of the');
    expect(fetchShown(outputs)).toEqual([
      expect.stringMatching(new RegExp(`^Model ${model} ready from this Atrium hub: \\d+ files, `)),
    ]);
  });

  it('fetches a model whose id the cell assembles at run time', async () => {
    const model = `${owner.name}/dynamic-alice`;
    const outputs = await runAndExport('uses-dynamic', model, false, false);
    expect(textOf(outputs)).toContain('Alice was to get very tired of the');
    expect(fetchShown(outputs)[0]).toContain(`Model ${model} ready`);
  });

  it('names a model Atrium does not have and says how to provide it', async () => {
    const outputs = await runAndExport('uses-missing', `${owner.name}/never-pushed`, false, false);
    const error = outputs.find((o) => o.output_type === 'error');
    expect(error?.evalue).toContain(`Model "${owner.name}/never-pushed" is not on this Atrium instance`);
    expect(error?.evalue).toContain('atrium push');
  });

  it("runs its owner's private model, and refuses another user's as if it did not exist", async () => {
    const own = await runAndExport('uses-own-private', `${owner.name}/private-alice`, false, true);
    expect(textOf(own)).toContain('Alice was to get very tired of the');
    const stranger = await createUser(server.url);
    await pushAliceModel(server.url, stranger, 'private-stranger', { private: true });
    const outputs = await runAndExport('uses-private', `${stranger.name}/private-stranger`, false, true);
    const error = outputs.find((o) => o.output_type === 'error');
    expect(error?.evalue).toContain(
      `Model "${stranger.name}/private-stranger" is not on this Atrium instance`,
    );
    expect(fs.existsSync(`${server.services.modelCache.root}/${stranger.name}/private-stranger`)).toBe(false);
  });
});

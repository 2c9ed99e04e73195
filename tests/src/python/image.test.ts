import { execFileSync } from 'node:child_process';
import { ensureSandboxImage, sandboxImageTag } from '@atrium/sandbox/image/ensureSandboxImage';
import { pythonRecipe } from '@atrium/sandbox/image/python/pythonRecipe';
import { createLogger } from '@atrium/server/logger';
import { DockerDriver } from '@atrium/server/runtime/DockerDriver';
import { describe, expect, it } from 'vitest';
import { hasDocker } from '../harness/index.js';
import { ensurePythonImage, startPythonServer } from './pythonTesting.js';

const docker = hasDocker();

const inImage = (tag: string, code: string) =>
  execFileSync(
    'docker',
    [
      'run',
      '--rm',
      '--network',
      'none',
      '--read-only',
      // As in a sandbox: the root is read-only and /tmp a small tmpfs (torch's imports need one).
      '--tmpfs',
      '/tmp:rw,nosuid,nodev,size=64m',
      '--user',
      '123456:123456',
      tag,
      '/usr/bin/python3.11',
      '-c',
      code,
    ],
    { encoding: 'utf8' },
  ).trim();

describe.runIf(docker)('the Python sandbox image', () => {
  it('is tagged by a content hash of its inputs in its own repository, and found rather than rebuilt', async () => {
    const tag = ensurePythonImage();
    expect(tag).toMatch(/^atrium-sandbox-python:[0-9a-f]{12}$/);
    expect(await sandboxImageTag(undefined, pythonRecipe)).toBe(tag);
    const { docker: client } = new DockerDriver(createLogger('silent'));
    const again = await ensureSandboxImage({ docker: client, recipe: pythonRecipe });
    expect(again).toMatchObject({ tag, built: false });
    // Both images live side by side: building one never prunes the other's repository.
    const js = await ensureSandboxImage({ docker: client });
    expect(js.tag).toMatch(/^atrium-sandbox:/);
    expect((await client.getImage(tag).inspect()).Id).toBeTruthy();
  }, 1_800_000);

  it('carries python3.11 with the pinned packages, importable read-only as a user with no name', () => {
    const tag = ensurePythonImage();
    const facts = JSON.parse(
      inImage(
        tag,
        'import json, sys, torch, transformers, sklearn, pandas, numpy, matplotlib, PIL, datasets, huggingface_hub, ipykernel, jupyter_client, tqdm\n' +
          'print(json.dumps({"python": sys.version.split()[0], "torch": torch.__version__, "transformers": transformers.__version__, "cuda": torch.cuda.is_available()}))',
      ),
    );
    expect(facts.python).toMatch(/^3\.11\./);
    expect(facts.torch).toMatch(/^2\..*\+cpu$/);
    expect(facts.transformers).toMatch(/^5\./);
    expect(facts.cuda).toBe(false);
  }, 300_000);

  it('is reported by /api/health once a server has it', async () => {
    ensurePythonImage();
    const server = await startPythonServer('runc');
    try {
      const health = (await (await fetch(`${server.url}/api/health`)).json()) as {
        checks: Record<string, { state?: string; tag?: string }>;
      };
      expect(health.checks.pythonSandboxImage?.state).toBe('present');
      expect(health.checks.pythonSandboxImage?.tag).toMatch(/^atrium-sandbox-python:/);
    } finally {
      await server.stop();
    }
  }, 600_000);
});

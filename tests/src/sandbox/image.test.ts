import { execFileSync } from 'node:child_process';
import {
  ensureSandboxImage,
  type ImageProgress,
  sandboxImageTag,
} from '@atrium/sandbox/image/ensureSandboxImage';
import { createLogger } from '@atrium/server/logger';
import { DockerDriver } from '@atrium/server/runtime/DockerDriver';
import { describe, expect, it } from 'vitest';
import { hasDocker } from '../harness/index.js';
import { ensureImage } from './sandboxTesting.js';

const docker = hasDocker();

const inImage = (tag: string, code: string) =>
  execFileSync('docker', ['run', '--rm', '--network', 'none', tag, 'node', '-e', code], {
    encoding: 'utf8',
  }).trim();

describe.runIf(docker)('the sandbox image', () => {
  it('is tagged by a content hash of its inputs, the same every time', async () => {
    const tag = ensureImage();
    expect(tag).toMatch(/^atrium-sandbox:[0-9a-f]{12}$/);
    expect(await sandboxImageTag()).toBe(tag);
  });

  it('builds from scratch with no registry, reporting progress', async () => {
    const { docker: client } = new DockerDriver(createLogger('silent'));
    const progress: ImageProgress[] = [];
    const image = await ensureSandboxImage({
      docker: client,
      force: true,
      onProgress: (p) => progress.push(p),
    });
    expect(image.built).toBe(true);
    // How long a build from nothing takes is a bench/sandbox figure; the test's own timeout catches a hang.
    expect(image.buildMs).toBeGreaterThan(0);
    expect(image.sizeBytes).toBeLessThan(400 * 1024 * 1024);
    const phases = new Set(progress.map((p) => p.phase));
    expect([...phases]).toEqual(['hashing', 'packing', 'building', 'done']);
    expect(progress.some((p) => p.message.includes('FROM scratch'))).toBe(true);
    // A second call finds it and builds nothing.
    expect((await ensureSandboxImage({ docker: client })).built).toBe(false);
  }, 300_000);

  it('holds node, the runner and the inference stack for Linux x64 only, and no shell', () => {
    const tag = ensureImage();
    const facts = JSON.parse(
      inImage(
        tag,
        `const fs = require('fs'); const m = '/opt/atrium/node_modules/';
         console.log(JSON.stringify({
           node: process.version,
           runner: fs.existsSync('/opt/atrium/runner/main.js'),
           ort: require(m + 'onnxruntime-node').InferenceSession !== undefined,
           ortPlatforms: fs.readdirSync(m + 'onnxruntime-node/bin/napi-v6').concat(fs.readdirSync(m + 'onnxruntime-node/bin/napi-v6/linux')),
           ortWeb: fs.existsSync(m + 'onnxruntime-web'),
           transformers: fs.existsSync(m + '@huggingface/transformers/dist/transformers.node.mjs'),
           sharp: fs.existsSync(m + '@img/sharp-linux-x64'),
           sucrase: fs.existsSync(m + 'sucrase'),
           shell: ['/bin/sh', '/bin/bash', '/usr/bin/apt'].filter((p) => fs.existsSync(p)),
           user: require('os').userInfo().username,
         }));`,
      ),
    );
    expect(facts).toMatchObject({
      runner: true,
      ort: true,
      ortWeb: false,
      transformers: true,
      sharp: true,
      sucrase: true,
      shell: [],
      user: 'sandbox',
    });
    expect(facts.node).toBe(process.version);
    expect(facts.ortPlatforms).toEqual(['linux', 'x64']);
  });
});

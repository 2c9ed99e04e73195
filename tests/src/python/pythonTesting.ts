import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { KernelView } from '@atrium/protocol';
import type { TestServer } from '../harness/index.js';
import { type Runtime, startSandboxServer } from '../sandbox/sandboxTesting.js';

const sandboxDir = path.dirname(createRequire(import.meta.url).resolve('@atrium/sandbox/package.json'));

/** Builds the Python sandbox image when missing (the real CLI, `--python`); returns its tag. */
export function ensurePythonImage(): string {
  return execFileSync(process.execPath, [path.join(sandboxDir, 'dist/image/cli.js'), '--python'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 1_800_000,
  }).trim();
}

/** A real server with both images present (the Python one is found, not built, after ensurePythonImage). */
export async function startPythonServer(
  runtime: Runtime,
  overrides: Parameters<typeof startSandboxServer>[1] = {},
): Promise<TestServer> {
  const server = await startSandboxServer(runtime, {
    pythonPoolSize: 0,
    pythonPoolEager: false,
    ...overrides,
  });
  await server.services.runtime.ensurePythonImage();
  const image = server.services.runtime.pythonImage;
  if (image.state !== 'present') throw new Error(`Python image not ready: ${JSON.stringify(image)}`);
  return server;
}

export async function startPythonKernel(url: string, headers: Record<string, string>): Promise<KernelView> {
  const res = await fetch(`${url}/api/kernels`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ language: 'python' }),
  });
  if (res.status !== 201) throw new Error(`start Python kernel: ${res.status} ${await res.text()}`);
  return (await res.json()) as KernelView;
}

/** POST a JSON body and read the JSON answer. */
export async function postJson<T>(
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

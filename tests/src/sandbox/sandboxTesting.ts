import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ExecuteReplyContent, KernelMessage, KernelView } from '@atrium/protocol';
import { startTestServer, type TestServer } from '../harness/index.js';

/** The same suites run under both runtimes (DESIGN.md §5.7). */
export const RUNTIMES = ['runc', 'runsc'] as const;
export type Runtime = (typeof RUNTIMES)[number];

const sandboxDir = path.dirname(createRequire(import.meta.url).resolve('@atrium/sandbox/package.json'));

/** Builds the sandbox image when missing (the real CLI, as CI and npm start call it); returns its tag. */
export function ensureImage(): string {
  return execFileSync(process.execPath, [path.join(sandboxDir, 'dist/image/cli.js')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 300_000,
  }).trim();
}

export const uniqueInstance = () => `test-${randomBytes(6).toString('hex')}`;

/** A real server whose sandboxes use this runtime, with the image ensured and no warm pool. */
export async function startSandboxServer(
  runtime: Runtime,
  overrides: Parameters<typeof startTestServer>[0] = {},
): Promise<TestServer> {
  const server = await startTestServer({
    sandboxRuntime: runtime,
    sandboxPoolSize: 0,
    sandboxPoolEager: false,
    instanceId: uniqueInstance(),
    executionTimeoutS: 30,
    ...overrides,
  });
  await server.services.runtime.whenReady();
  if (server.services.runtime.image.state !== 'present') {
    throw new Error(`sandbox image not ready: ${JSON.stringify(server.services.runtime.image)}`);
  }
  return server;
}

/** Container ids (any state) labelled with this instance, straight from the docker CLI. */
export function containersOf(instanceId: string): string[] {
  const out = execFileSync('docker', ['ps', '-aq', '--filter', `label=atrium.instance=${instanceId}`], {
    encoding: 'utf8',
  });
  return out.split('\n').filter(Boolean);
}

export function dockerInspect(id: string): {
  State: { Pid: number; OOMKilled: boolean; ExitCode: number };
  HostConfig: Record<string, unknown>;
  Config: { User: string; Labels: Record<string, string> };
} {
  return JSON.parse(execFileSync('docker', ['inspect', id], { encoding: 'utf8' }))[0];
}

export async function startKernel(url: string, headers: Record<string, string>): Promise<KernelView> {
  const res = await fetch(`${url}/api/kernels`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: '{}',
  });
  if (res.status !== 201) throw new Error(`start kernel: ${res.status} ${await res.text()}`);
  return (await res.json()) as KernelView;
}

export interface Execution {
  status: number;
  messages: KernelMessage[];
  reply: ExecuteReplyContent | undefined;
  /** Concatenated stdout text. */
  stdout: string;
  stderr: string;
  result: Record<string, unknown> | undefined;
  error: { ename: string; evalue: string; traceback: string[] } | undefined;
  ms: number;
}

/**
 * POST /api/kernels/:id/execute and reads the whole SSE stream; `onMessage` sees each message as it
 * arrives (to act while the cell still runs, e.g. interrupt it once it has shown something).
 */
export async function execute(
  url: string,
  headers: Record<string, string>,
  kernelId: string,
  code: string,
  extra: Record<string, unknown> = {},
  onMessage?: (message: KernelMessage) => void,
): Promise<Execution> {
  const started = performance.now();
  const res = await fetch(`${url}/api/kernels/${kernelId}/execute`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ code, ...extra }),
  });
  const messages: KernelMessage[] = [];
  const take = (block: string) => {
    const data = block
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => l.slice(6))
      .join('\n');
    if (!data) return;
    const message = JSON.parse(data) as KernelMessage;
    messages.push(message);
    onMessage?.(message);
  };
  if (res.status === 200 && res.body) {
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    let buffered = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      buffered += decoder.decode(chunk.value, { stream: true });
      let start = 0;
      for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n', start)) {
        take(buffered.slice(start, end));
        start = end + 2;
      }
      buffered = buffered.slice(start);
    }
    take(buffered);
  } else await res.text();
  const of = (t: string) => messages.filter((m) => m.header.msg_type === t);
  const streams = of('stream').map((m) => m.content as { name: string; text: string });
  return {
    status: res.status,
    messages,
    reply: of('execute_reply')[0]?.content as ExecuteReplyContent | undefined,
    stdout: streams
      .filter((s) => s.name === 'stdout')
      .map((s) => s.text)
      .join(''),
    stderr: streams
      .filter((s) => s.name === 'stderr')
      .map((s) => s.text)
      .join(''),
    result: (of('execute_result')[0]?.content as { data: Record<string, unknown> } | undefined)?.data,
    error: of('error')[0]?.content as Execution['error'],
    ms: performance.now() - started,
  };
}

export const post = (url: string, headers: Record<string, string>) =>
  fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });

import { KernelMime, type KernelView, OUT_OF_MEMORY_REASON } from '@atrium/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  bearer,
  createUser,
  hasDocker,
  type TestServer,
  type TestUser,
  tripwire,
  waitFor,
} from '../harness/index.js';
import { ensureImage, execute, post, RUNTIMES, startKernel, startSandboxServer } from './sandboxTesting.js';

const docker = hasDocker();

describe.runIf(docker).each(RUNTIMES)('kernels under %s', (runtime) => {
  let server: TestServer;
  let admin: TestUser;
  let alice: TestUser;
  let kernel: KernelView;
  const as = (u: TestUser) => bearer(u.token);

  beforeAll(async () => {
    ensureImage();
    // Far above what a memory hog or a fork bomb takes to meet its limit on a busy machine (12 s and
    // 45 s were seen at load 25), so the outcome tested is the limit's, never a timeout (10 MB of output
    // also takes seconds at load); the runaway loop asks for its own 1 s timeout.
    server = await startSandboxServer(runtime, { executionTimeoutS: 120 });
    admin = await createUser(server.url);
    alice = await createUser(server.url);
    kernel = await startKernel(server.url, as(alice));
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** Starts a cell on the shared kernel; `shown()` holds once it has sent a message of this type. */
  const runUntil = (code: string, type: 'display_data' | 'stream') => {
    let seen = false;
    const run = execute(server.url, as(alice), kernel.id, code, {}, (m) => {
      if (m.header.msg_type === type) seen = true;
    });
    const shown = () => waitFor(() => seen, { what: `the cell's first ${type}`, timeout: 30_000 });
    return { run, shown };
  };

  it('streams the Jupyter message sequence for a cell and keeps state between cells', async () => {
    const first = await execute(
      server.url,
      as(alice),
      kernel.id,
      'const greeting = "hello"; let n = 41; console.log(greeting); n + 1',
    );
    expect(first.status).toBe(200);
    const types = first.messages.map((m) => m.header.msg_type);
    expect(types[0]).toBe('status');
    expect(types).toEqual(['status', 'execute_input', 'stream', 'execute_result', 'execute_reply', 'status']);
    expect(first.messages.at(-1)?.content).toEqual({ execution_state: 'idle' });
    expect(first.stdout).toBe('hello\n');
    expect(first.result?.['text/plain']).toBe('42');
    expect(first.reply?.status).toBe('ok');
    const parents = new Set(first.messages.map((m) => m.parent_header.msg_id));
    expect(parents.size).toBe(1);

    const second = await execute(server.url, as(alice), kernel.id, '`${greeting} ${n}`');
    expect(second.result?.['text/plain']).toBe("'hello 41'");
    // Re-running a cell with const declarations must not fail with "already declared".
    const again = await execute(server.url, as(alice), kernel.id, 'const greeting = "again"; greeting');
    expect(again.reply?.status).toBe('ok');
  });

  it('supports top-level await, TypeScript cells and imports of the bundled libraries', async () => {
    const awaited = await execute(
      server.url,
      as(alice),
      kernel.id,
      'const v = await new Promise((r) => setTimeout(() => r(7), 20)); v * 6',
    );
    expect(awaited.result?.['text/plain']).toBe('42');
    const ts = await execute(
      server.url,
      as(alice),
      kernel.id,
      'interface P { x: number }\nconst p: P = { x: 2 };\nfunction sq(a: number): number { return a * a }\nsq(p.x)',
      {
        language: 'typescript',
      },
    );
    expect(ts.reply?.status).toBe('ok');
    expect(ts.result?.['text/plain']).toBe('4');
    const lib = await execute(
      server.url,
      as(alice),
      kernel.id,
      "import { pipeline, env } from '@huggingface/transformers';\nimport sharp from 'sharp';\nconst png = await sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } }).png().toBuffer();\n[typeof pipeline, png.length > 0]",
    );
    expect(lib.error).toBeUndefined();
    expect(lib.result?.[KernelMime.json]).toEqual(['function', true]);
  });

  it('shows rich output with display(): HTML, PNG, JSON, Vega-Lite, and updates in place', async () => {
    const run = await execute(
      server.url,
      as(alice),
      kernel.id,
      [
        'display(display.html("<b>bold</b>"));',
        "const png = require('fs').readFileSync('/dev/null');",
        "const img = await (await import('sharp')).default({ create: { width: 2, height: 2, channels: 3, background: 'blue' } }).png().toBuffer();",
        'display(img);',
        'display({ a: 1, b: [1, 2] });',
        "display({ $schema: 'https://vega.github.io/schema/vega-lite/v5.json', mark: 'bar', data: { values: [{ x: 1 }] } });",
        "const h = display('step 1'); h.update('step 2');",
      ].join('\n'),
    );
    expect(run.error).toBeUndefined();
    const displays = run.messages
      .filter((m) => m.header.msg_type === 'display_data')
      .map((m) => (m.content as { data: Record<string, unknown> }).data);
    expect(displays[0]?.[KernelMime.html]).toBe('<b>bold</b>');
    expect(Buffer.from(String(displays[1]?.[KernelMime.png]), 'base64').subarray(1, 4).toString()).toBe(
      'PNG',
    );
    expect(displays[2]?.[KernelMime.json]).toEqual({ a: 1, b: [1, 2] });
    const chart = displays[3]?.[KernelMime.vegaLite] as { mark: string } | undefined;
    expect(chart?.mark).toBe('bar');
    type Shown = { data: Record<string, unknown>; transient: { display_id: string } };
    const update = run.messages.find((m) => m.header.msg_type === 'update_display_data')?.content as
      | Shown
      | undefined;
    const firstHandle = run.messages.filter((m) => m.header.msg_type === 'display_data')[4]?.content as
      | Shown
      | undefined;
    expect(update?.data[KernelMime.text]).toBe('step 2');
    expect(update?.transient.display_id).toBe(firstHandle?.transient.display_id);
    expect(update?.transient.display_id).toBeTruthy();
  });

  it('reports errors with ename, evalue and a traceback naming the cell', async () => {
    await execute(server.url, as(alice), kernel.id, 'const beforeErrors = 41');
    const run = await execute(
      server.url,
      as(alice),
      kernel.id,
      'function boom() { throw new RangeError("too far") }\nboom()',
    );
    expect(run.reply?.status).toBe('error');
    expect(run.error).toMatchObject({ ename: 'RangeError', evalue: 'too far' });
    expect(run.error?.traceback.join('\n')).toMatch(/cell-\d+\.js/);
    const syntax = await execute(server.url, as(alice), kernel.id, 'let = = 2');
    expect(syntax.error?.ename).toBe('SyntaxError');
    // The kernel survives its errors.
    expect((await execute(server.url, as(alice), kernel.id, 'beforeErrors')).result?.['text/plain']).toBe(
      '41',
    );
  });

  it('interrupts a busy loop and a pending await, keeping the state', async () => {
    await execute(server.url, as(alice), kernel.id, 'const beforeInterrupt = 41');
    // The display leaves before the loop blocks the kernel: once it is seen, the loop is running.
    const loop = runUntil("display('looping'); while (true) {}", 'display_data');
    await loop.shown();
    const started = performance.now();
    expect((await post(`${server.url}/api/kernels/${kernel.id}/interrupt`, as(alice))).status).toBe(200);
    const stopped = await loop.run;
    expect(stopped.error?.ename).toBe('KeyboardInterrupt');
    // A hang tripwire: the latency goal (≤ 100 ms) is a bench/sandbox figure, and a kernel replaced
    // instead of interrupted shows below, as lost state.
    expect(performance.now() - started).toBeLessThan(tripwire(1000));

    const pending = runUntil("display('waiting'); await new Promise(() => {})", 'display_data');
    await pending.shown();
    await post(`${server.url}/api/kernels/${kernel.id}/interrupt`, as(alice));
    expect((await pending.run).error?.ename).toBe('KeyboardInterrupt');
    expect((await execute(server.url, as(alice), kernel.id, 'beforeInterrupt')).result?.['text/plain']).toBe(
      '41',
    );
  });

  it('keeps an interrupted async loop from writing into the next cell', async () => {
    const loop = runUntil(
      "while (true) { console.log('tick'); await new Promise((r) => setTimeout(r, 20)); }",
      'stream',
    );
    await loop.shown();
    await post(`${server.url}/api/kernels/${kernel.id}/interrupt`, as(alice));
    expect((await loop.run).error?.ename).toBe('KeyboardInterrupt');
    const next = await execute(
      server.url,
      as(alice),
      kernel.id,
      "console.log('next'); await new Promise((r) => setTimeout(r, 300)); 'done'",
    );
    expect(next.stdout).toBe('next\n');
    expect(next.result?.['text/plain']).toBe("'done'");
  });

  it('stops a runaway loop with TimeoutError at its execution timeout, and the kernel lives on', async () => {
    const run = await execute(server.url, as(alice), kernel.id, 'while (true) {}', { timeout_s: 1 });
    expect(run.error?.ename).toBe('TimeoutError');
    expect(run.ms).toBeGreaterThanOrEqual(1000);
    // A tripwire for a hang, not a goal: the timeout plus the interrupt's grace, with the machine busy.
    expect(run.ms).toBeLessThan(30_000);
    expect((await execute(server.url, as(alice), kernel.id, '2 * 21')).result?.['text/plain']).toBe('42');
  });

  it('restart gives a fresh state', async () => {
    await execute(server.url, as(alice), kernel.id, 'const greeting = "hello"');
    const res = await post(`${server.url}/api/kernels/${kernel.id}/restart`, as(alice));
    expect(res.status).toBe(200);
    expect(((await res.json()) as KernelView).executionCount).toBe(0);
    const after = await execute(server.url, as(alice), kernel.id, 'typeof greeting');
    expect(after.result?.['text/plain']).toBe("'undefined'");
  });

  it('delivers 10 MB of stdout complete and in order', async () => {
    const lines = 100_000;
    const run = await execute(
      server.url,
      as(alice),
      kernel.id,
      `for (let i = 0; i < ${lines}; i++) process.stdout.write(String(i).padStart(8, '0') + 'x'.repeat(91) + '\\n');`,
    );
    expect(run.reply?.status).toBe('ok');
    expect(run.stdout.length).toBe(lines * 100);
    const got = run.stdout.split('\n');
    for (let i = 0; i < lines; i += 1) {
      if (got[i]?.slice(0, 8) !== String(i).padStart(8, '0'))
        throw new Error(`line ${i} out of order: ${got[i]?.slice(0, 20)}`);
    }
  });

  it('caps output with a clear truncation notice', async () => {
    const run = await execute(
      server.url,
      as(alice),
      kernel.id,
      "const big = 'y'.repeat(1024 * 1024); for (let i = 0; i < 40; i++) console.log(big);",
    );
    expect(run.reply?.status).toBe('ok');
    expect(run.stdout.length).toBeLessThanOrEqual(32 * 1024 * 1024);
    expect(run.stderr).toContain('output truncated');
  });

  it('stops a memory hog with KernelDied "killed: out of memory"', async () => {
    const victim = await startKernel(server.url, as(alice));
    const run = await execute(
      server.url,
      as(alice),
      victim.id,
      'const hog = []; while (true) hog.push(Buffer.alloc(32 * 1024 * 1024, 1));',
    );
    expect(run.error).toMatchObject({ ename: 'KernelDied', evalue: OUT_OF_MEMORY_REASON });
    // A tripwire for a hang; how fast it is reported (goal 2 s) is measured in bench/sandbox/limits.ts.
    expect(run.ms).toBeLessThan(100_000);
    await fetch(`${server.url}/api/kernels/${victim.id}`, { method: 'DELETE', headers: as(alice) });
  }, 150_000);

  it('makes spawning fail with EAGAIN inside a fork bomb, and the kernel, the server and other kernels live on', async () => {
    const victim = await startKernel(server.url, as(alice));
    const bomb = await execute(
      server.url,
      as(alice),
      victim.id,
      `const cp = require('child_process'); let n = 0; const errors = [];
       for (let i = 0; i < 1000; i++) { const c = cp.spawn('/usr/local/bin/node', ['-e', 'setTimeout(() => {}, 20000)']); c.on('error', (e) => errors.push(e.code)); if (!c.pid) break; n++; }
       await new Promise((r) => setTimeout(r, 300)); ({ n, errors: errors.slice(0, 1) })`,
    );
    // The per-user process limit (threads included) refuses the next process under runc and runsc alike.
    expect(bomb.error).toBeUndefined();
    const facts = bomb.result?.[KernelMime.json] as { n: number; errors: string[] };
    expect(facts.errors).toEqual(['EAGAIN']);
    expect(facts.n).toBeGreaterThan(0);
    expect(facts.n).toBeLessThan(256);
    expect((await execute(server.url, as(alice), victim.id, '1 + 1')).result?.['text/plain']).toBe('2');
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect((await execute(server.url, as(alice), kernel.id, '1 + 1')).result?.['text/plain']).toBe('2');
    await fetch(`${server.url}/api/kernels/${victim.id}`, { method: 'DELETE', headers: as(alice) });
  }, 180_000);

  it('streams over the WebSocket channel too', async () => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/kernels/${kernel.id}/channels`, {
      headers: as(alice),
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const received: {
      header: { msg_type: string };
      parent_header: { msg_id?: string };
      content: Record<string, unknown>;
    }[] = [];
    const done = new Promise<void>((resolve) => {
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data));
        received.push(msg);
        if (msg.header?.msg_type === 'status' && msg.content.execution_state === 'idle') resolve();
      });
    });
    ws.send(
      JSON.stringify({
        header: { msg_id: 'client-1', msg_type: 'execute_request' },
        content: { code: '6 * 7' },
      }),
    );
    await done;
    ws.close();
    expect(received.every((m) => m.parent_header.msg_id === 'client-1')).toBe(true);
    expect(received.find((m) => m.header.msg_type === 'execute_result')?.content).toMatchObject({
      data: { 'text/plain': '42' },
    });
  });

  it('lets users see and control only their own kernels, and an admin see all', async () => {
    const mine = (await (
      await fetch(`${server.url}/api/kernels`, { headers: as(alice) })
    ).json()) as KernelView[];
    expect(mine.map((k) => k.id)).toContain(kernel.id);
    expect(mine.every((k) => k.owner === alice.name)).toBe(true);
    expect((await fetch(`${server.url}/api/kernels?all=1`, { headers: as(alice) })).status).toBe(403);
    const all = (await (
      await fetch(`${server.url}/api/kernels?all=1`, { headers: as(admin) })
    ).json()) as KernelView[];
    expect(all.map((k) => k.id)).toContain(kernel.id);
    const adminOwn = (await (
      await fetch(`${server.url}/api/kernels`, { headers: as(admin) })
    ).json()) as KernelView[];
    expect(adminOwn).toEqual([]);

    const bob = await createUser(server.url);
    expect((await fetch(`${server.url}/api/kernels/${kernel.id}`, { headers: as(bob) })).status).toBe(404);
    expect((await execute(server.url, as(bob), kernel.id, '1')).status).toBe(404);
    expect((await post(`${server.url}/api/kernels/${kernel.id}/interrupt`, as(bob))).status).toBe(404);
    const reader = await createUser(server.url, undefined, 'read');
    expect((await post(`${server.url}/api/kernels`, bearer(reader.token))).status).toBe(403);
    expect((await post(`${server.url}/api/kernels`, {})).status).toBe(401);
  });

  it('answers bad input with 4xx JSON and loses nothing', async () => {
    const bad = await fetch(`${server.url}/api/kernels/${kernel.id}/execute`, {
      method: 'POST',
      headers: { ...as(alice), 'content-type': 'application/json' },
      body: JSON.stringify({ code: 42 }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/code/);
    const unknown = await execute(server.url, as(alice), 'no-such-kernel', '1');
    expect(unknown.status).toBe(404);
    const lang = await execute(server.url, as(alice), kernel.id, '1', { language: 'cobol' });
    expect(lang.status).toBe(400);
    expect((await execute(server.url, as(alice), kernel.id, '2 + 2')).result?.['text/plain']).toBe('4');
  });

  it('shuts a kernel down and removes its container', async () => {
    const k = await startKernel(server.url, as(alice));
    const del = await fetch(`${server.url}/api/kernels/${k.id}`, { method: 'DELETE', headers: as(alice) });
    expect(del.status).toBe(204);
    expect((await fetch(`${server.url}/api/kernels/${k.id}`, { headers: as(alice) })).status).toBe(404);
    const { execFileSync } = await import('node:child_process');
    expect(
      execFileSync('docker', ['ps', '-aq', '--filter', `id=${k.containerId}`], { encoding: 'utf8' }).trim(),
    ).toBe('');
  });
});

import type { CompleteReplyContent, InspectReplyContent, KernelView } from '@atrium/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, hasDocker, type TestServer, type TestUser, waitFor } from '../harness/index.js';
import { execute, post, RUNTIMES } from '../sandbox/sandboxTesting.js';
import { ensurePythonImage, postJson, startPythonKernel, startPythonServer } from './pythonTesting.js';

const docker = hasDocker();

describe.runIf(docker).each(RUNTIMES)('Python kernels under %s', (runtime) => {
  let server: TestServer;
  let alice: TestUser;
  let kernel: KernelView;
  const as = (u: TestUser) => bearer(u.token);
  const run = (code: string, extra: Record<string, unknown> = {}) =>
    execute(server.url, as(alice), kernel.id, code, extra);

  beforeAll(async () => {
    ensurePythonImage();
    server = await startPythonServer(runtime, { executionTimeoutS: 120 });
    alice = await createUser(server.url);
    kernel = await startPythonKernel(server.url, as(alice));
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('runs Python cells with the Jupyter message sequence and keeps state between them', async () => {
    expect(kernel.image).toBe('python');
    const first = await run('greeting = "hello"\nn = 41\nprint(greeting)\nn + 1');
    expect(first.messages.map((m) => m.header.msg_type)).toEqual([
      'status',
      'execute_input',
      'stream',
      'execute_result',
      'execute_reply',
      'status',
    ]);
    expect(first.stdout).toBe('hello\n');
    expect(first.result?.['text/plain']).toBe('42');
    expect(new Set(first.messages.map((m) => m.parent_header.msg_id)).size).toBe(1);
    const second = await run('f"{greeting} {n}"');
    expect(second.result?.['text/plain']).toBe("'hello 41'");
  });

  it('shows rich reprs: a DataFrame as a table, a matplotlib figure as PNG, IPython.display objects', async () => {
    const frame = await run('import pandas as pd\npd.DataFrame({"a": [1, 2], "b": ["x", "y"]})');
    expect(String(frame.result?.['text/html'])).toContain('<table');
    const plot = await run('import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()');
    const png = plot.messages.find((m) => m.header.msg_type === 'display_data');
    expect(
      String((png?.content as { data?: Record<string, string> } | undefined)?.data?.['image/png']),
    ).toMatch(/^iVBORw0KGgo/);
    const shown = await run(
      'from IPython.display import display, HTML, Markdown, JSON\n' +
        'display(HTML("<b>bold</b>")); display(Markdown("# title")); display(JSON({"k": 1}))\n' +
        'h = display("first", display_id=True)\nh.update("second")',
    );
    const types = shown.messages.map((m) => m.header.msg_type);
    expect(types.filter((t) => t === 'display_data')).toHaveLength(4);
    expect(types).toContain('update_display_data');
    const bundles = shown.messages.map((m) => (m.content as { data?: Record<string, unknown> }).data ?? {});
    expect(bundles.some((d) => d['text/html'] === '<b>bold</b>')).toBe(true);
    expect(bundles.some((d) => d['text/markdown'] === '# title')).toBe(true);
    expect(bundles.some((d) => JSON.stringify(d['application/json']) === '{"k":1}')).toBe(true);
  });

  it('reports an error with its Python traceback in ANSI colours and clears output on request', async () => {
    const failed = await run('def f():\n    return 1 / 0\nf()');
    expect(failed.reply?.status).toBe('error');
    expect(failed.error?.ename).toBe('ZeroDivisionError');
    expect(failed.error?.traceback.join('\n')).toContain('\x1b[');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC.
    const plain = failed.error?.traceback.join('\n').replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain).toContain('return 1 / 0');
    const cleared = await run(
      'from IPython.display import clear_output\nprint("a")\nclear_output(wait=True)\nprint("b")',
    );
    const clear = cleared.messages.find((m) => m.header.msg_type === 'clear_output');
    expect(clear?.content).toEqual({ wait: true });
  });

  it('runs !ls shell lines and answers %pip install with the no-network message', async () => {
    const listed = await run('!ls /opt/atrium');
    expect(listed.stdout).toContain('python');
    const pip = await run('%pip install requests');
    expect(pip.reply?.status).toBe('ok');
    expect(pip.stderr).toContain('Sandboxes have no network');
  });

  it('collapses \\r progress redraws within a chunk, as Jupyter shows them', async () => {
    const bar = await run(
      'import sys\nfor i in range(50):\n    sys.stdout.write(f"\\r{i}%")\nsys.stdout.flush()\nprint()',
    );
    // The runner may send several chunks; each keeps at most one leading \r and its last redraw.
    const redraws = bar.stdout.split('\r').filter(Boolean);
    expect(redraws.length).toBeLessThan(50);
    expect(redraws.at(-1)).toBe('49%\n');
  });

  it('interrupts a running cell with KeyboardInterrupt and keeps the kernel state', async () => {
    await run('kept = 7');
    let started = false;
    const running = execute(
      server.url,
      as(alice),
      kernel.id,
      'import time\nprint("go", flush=True)\ntime.sleep(60)',
      {},
      (m) => {
        if (m.header.msg_type === 'stream') started = true;
      },
    );
    await waitFor(() => started, { what: 'the cell to start', timeout: 60_000 });
    expect((await post(`${server.url}/api/kernels/${kernel.id}/interrupt`, as(alice))).status).toBe(200);
    const stopped = await running;
    expect(stopped.error?.ename).toBe('KeyboardInterrupt');
    expect((await run('kept')).result?.['text/plain']).toBe('7');
  });

  it('ends a cell past its time limit with TimeoutError', async () => {
    const slow = await run('import time\ntime.sleep(60)', { timeout_s: 1 });
    expect(slow.error?.ename).toBe('TimeoutError');
    expect((await run('1 + 1')).result?.['text/plain']).toBe('2');
  });

  it('completes and inspects the name at the cursor', async () => {
    await run('pipeline_of_things = 1');
    const code = 'pipeline_of';
    const completed = await postJson<CompleteReplyContent>(
      `${server.url}/api/kernels/${kernel.id}/complete`,
      as(alice),
      { code, cursor_pos: code.length },
    );
    expect(completed.status).toBe(200);
    expect(completed.body.matches).toContain('pipeline_of_things');
    expect(completed.body.cursor_start).toBe(0);
    const inspected = await postJson<InspectReplyContent>(
      `${server.url}/api/kernels/${kernel.id}/inspect`,
      as(alice),
      { code: 'len', cursor_pos: 3 },
    );
    expect(inspected.body.found).toBe(true);
    expect(String(inspected.body.data['text/plain'])).toContain('Return the number of items');
    const bad = await postJson<{ error: string }>(
      `${server.url}/api/kernels/${kernel.id}/complete`,
      as(alice),
      {
        code: 'x',
        cursor_pos: 5,
      },
    );
    expect(bad.status).toBe(400);
  });

  it('runs cells as an unprivileged user without network, unable to read the runner that holds the key', async () => {
    const probe = await run(
      'import os, socket\n' +
        'print(os.getuid() >= 100000)\n' +
        'try:\n    socket.create_connection(("1.1.1.1", 80), timeout=2); print("net")\nexcept OSError: print("no net")\n' +
        'try:\n    open("/usr/bin/x", "w"); print("rw")\nexcept OSError: print("ro")\n' +
        'try:\n    open(f"/proc/{os.getppid()}/mem", "rb").read(1); print("read")\nexcept OSError: print("no mem")',
    );
    expect(probe.stdout).toBe('True\nno net\nro\nno mem\n');
  });

  it('restarts into a fresh interpreter', async () => {
    await run('forgotten = 1');
    expect((await post(`${server.url}/api/kernels/${kernel.id}/restart`, as(alice))).status).toBe(200);
    const after = await run('forgotten');
    expect(after.error?.ename).toBe('NameError');
  });
});

import { createHmac } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { KernelMessage } from '@atrium/protocol';
import { describe, expect, it } from 'vitest';
import { KernelSession } from './KernelSession.js';
import type { SandboxChannel } from './SandboxDriver.js';

/** A channel whose far end is this test playing the runner. */
function fakeChannel() {
  const input = new PassThrough();
  const output = new PassThrough();
  let end: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    end = resolve;
  });
  const channel: SandboxChannel = { input, output, errors: new PassThrough(), ended, close: () => end() };
  const requests: KernelMessage[] = [];
  let key: Buffer | null = null;
  input.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      const parsed = JSON.parse(line);
      if (!key) key = Buffer.from(parsed.atrium_key, 'hex');
      else requests.push(parsed);
    }
  });
  const sign = (json: string) => (key ? createHmac('sha256', key).update(json).digest('hex') : '-');
  /** Writes a raw JSON line, signed with the session key (a runner gone hostile can do that). */
  const sayRaw = (json: string) => output.write(`${sign(json)} ${json}\n`);
  const say = (type: string, content: unknown, parentId?: string, signature?: string) => {
    const json = JSON.stringify({
      header: { msg_id: Math.random().toString(36), msg_type: type },
      parent_header: parentId ? { msg_id: parentId } : {},
      metadata: {},
      content,
    });
    output.write(`${signature ?? sign(json)} ${json}\n`);
  };
  return { channel, requests, say, sayRaw, end };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('KernelSession', () => {
  it('is ready when the runner first says idle', async () => {
    const { channel, say } = fakeChannel();
    const session = new KernelSession(channel);
    const ready = session.waitReady(1000);
    await tick(); // the runner reads the key first
    say('status', { execution_state: 'starting' });
    say('status', { execution_state: 'idle' });
    await expect(ready).resolves.toBeUndefined();
    expect(session.state).toBe('idle');
  });

  it('routes outputs to their request and settles on the idle after the reply', async () => {
    const { channel, requests, say } = fakeChannel();
    const session = new KernelSession(channel);
    const seen: string[] = [];
    const done = session.execute({ code: '1+1' }, (m) => seen.push(m.header.msg_type));
    await tick();
    const id = requests[0]?.header.msg_id as string;
    expect(requests[0]?.header.msg_type).toBe('execute_request');
    say('status', { execution_state: 'busy' }, id);
    say('stream', { name: 'stdout', text: 'x' }, 'someone-else');
    say('execute_result', { data: { 'text/plain': '2' }, metadata: {}, execution_count: 1 }, id);
    // Lines not signed with the session key (cell code writing on the channel) are dropped.
    say('execute_reply', { status: 'error', execution_count: 1 }, id, 'f'.repeat(64));
    say('execute_reply', { status: 'error', execution_count: 1 }, id, '-');
    say('execute_reply', { status: 'ok', execution_count: 1 }, id);
    let settled = false;
    void done.then(() => {
      settled = true;
    });
    await tick();
    expect(settled).toBe(false);
    say('status', { execution_state: 'idle' }, id);
    await expect(done).resolves.toEqual({ status: 'ok', execution_count: 1 });
    expect(seen).toEqual(['status', 'execute_result', 'execute_reply', 'status']);
    expect(session.forgedLines).toBe(2);
  });

  it('ends pending executions with the reason when the kernel dies', async () => {
    const { channel } = fakeChannel();
    const session = new KernelSession(channel);
    const seen: KernelMessage[] = [];
    const done = session.execute({ code: 'while (true) {}' }, (m) => seen.push(m));
    session.markDead('killed: out of memory');
    await expect(done).resolves.toMatchObject({
      status: 'error',
      ename: 'KernelDied',
      evalue: 'killed: out of memory',
    });
    expect(seen.map((m) => m.header.msg_type)).toEqual(['error', 'execute_reply', 'status']);
    // Later requests fail the same way at once.
    await expect(session.execute({ code: '1' })).resolves.toMatchObject({ evalue: 'killed: out of memory' });
  });

  it('fails to become ready when the sandbox exits first', async () => {
    const { channel, end } = fakeChannel();
    const session = new KernelSession(channel);
    const ready = session.waitReady(1000);
    end();
    await expect(ready).rejects.toThrow(/exited before it was ready/);
  });

  it('drops validly signed lines that are not kernel messages, and keeps serving', async () => {
    const { channel, requests, say, sayRaw } = fakeChannel();
    const session = new KernelSession(channel);
    const seen: string[] = [];
    const done = session.execute({ code: '1' }, (m) => seen.push(m.header.msg_type));
    await tick();
    const id = requests[0]?.header.msg_id as string;
    for (const json of [
      '{"parent_header":{},"content":{}}',
      '{"header":null}',
      'null',
      '[1]',
      `{"header":{"msg_id":"x","msg_type":"stream"},"parent_header":{"msg_id":"${id}"},"content":{"name":"stdout","text":42}}`,
      `{"header":{"msg_id":"x","msg_type":"status"},"parent_header":{"msg_id":"${id}"},"content":null}`,
    ])
      sayRaw(json);
    say('execute_reply', { status: 'ok', execution_count: 1 }, id);
    say('status', { execution_state: 'idle' }, id);
    await expect(done).resolves.toEqual({ status: 'ok', execution_count: 1 });
    expect(seen).toEqual(['execute_reply', 'status']);
    expect(session.state).not.toBe('dead');
  });
});

import fs from 'node:fs';
import { KernelMime, type KernelView } from '@atrium/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, hasDocker, type TestServer, type TestUser } from '../harness/index.js';
import { expectForgedLinesDropped, type Facts, probe } from './isolationProbe.js';
import {
  dockerInspect,
  ensureImage,
  execute,
  RUNTIMES,
  startKernel,
  startSandboxServer,
} from './sandboxTesting.js';

const docker = hasDocker();

describe.runIf(docker).each(RUNTIMES)('isolation under %s', (runtime) => {
  let server: TestServer;
  let user: TestUser;
  let kernel: KernelView;
  let facts: Facts;

  beforeAll(async () => {
    ensureImage();
    server = await startSandboxServer(runtime);
    user = await createUser(server.url);
    kernel = await startKernel(server.url, bearer(user.token));
    const run = await execute(server.url, bearer(user.token), kernel.id, probe(server.port));
    if (!run.result) throw new Error(`probe failed: ${JSON.stringify(run.error)}`);
    facts = run.result[KernelMime.json] as Facts;
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('runs user code as a non-root user with no capabilities', () => {
    expect(facts.uid).not.toBe(0);
    expect(facts.gid).not.toBe(0);
    expect(facts.capEff).toBe('0000000000000000');
  });

  it('sets no-new-privileges and the default seccomp filter', () => {
    const inspect = dockerInspect(kernel.containerId);
    expect(inspect.HostConfig.SecurityOpt).toContain('no-new-privileges');
    expect(String(inspect.HostConfig.SecurityOpt)).not.toContain('seccomp=unconfined');
    if (runtime === 'runc') {
      expect(facts.noNewPrivs).toBe('1');
      expect(facts.seccomp).toBe('2');
    } else {
      // gVisor's /proc does not show the host's filters: check the sandbox process on the host,
      // which is what executes the user's system calls.
      const host = fs.readFileSync(`/proc/${inspect.State.Pid}/status`, 'utf8');
      expect(host).toMatch(/^NoNewPrivs:\s+1$/m);
      expect(host).toMatch(/^Seccomp:\s+2$/m);
    }
  });

  it('has a read-only root filesystem and a writable /tmp', () => {
    expect(facts.writeRoot).toMatch(/EROFS|EACCES/);
    expect(facts.writeApp).toMatch(/EROFS|EACCES/);
    expect(facts.writeTmp).toBe('ok');
  });

  it('has no network interface but loopback and cannot reach the server on the host', () => {
    expect(facts.interfaces).toEqual(['lo']);
    expect(facts.loopbackToServer).not.toBe('connected');
    expect(facts.hostGatewayToServer).not.toBe('connected');
  });

  it('has no docker.sock', () => {
    expect(facts.dockerSock).toEqual([]);
  });

  it('drops lines cell code writes onto the control channel itself', async () => {
    await expectForgedLinesDropped(server.url, user.token, kernel.id);
  });

  it('runs with the configured limits and labels', () => {
    const inspect = dockerInspect(kernel.containerId);
    const hc = inspect.HostConfig as Record<string, unknown>;
    // A user of its own per sandbox, far from the host's: the per-user process limit is the sandbox's alone.
    expect(inspect.Config.User).toBe(`${facts.uid}:${facts.gid}`);
    expect(facts.uid).toBeGreaterThanOrEqual(100_000);
    expect(JSON.stringify(hc.Ulimits)).toContain('"Name":"nproc"');
    expect(hc.Runtime).toBe(runtime);
    expect(hc.CapDrop).toEqual(['ALL']);
    expect(hc.ReadonlyRootfs).toBe(true);
    expect(hc.NetworkMode).toBe('none');
    expect(hc.Init).toBe(true);
    expect(hc.PidsLimit).toBeGreaterThan(0);
    expect(hc.Memory).toBe(512 * 1024 * 1024);
    expect(hc.MemorySwap).toBe(hc.Memory);
    expect(hc.NanoCpus).toBe(1e9);
    expect(JSON.stringify(hc.Ulimits)).toContain('nofile');
    expect(hc.LogConfig).toMatchObject({ Type: 'json-file', Config: { 'max-size': '1m' } });
    expect(Object.keys(hc.Tmpfs as object)).toEqual(['/tmp']);
    expect(inspect.Config.Labels).toMatchObject({
      'atrium.instance': server.services.runtime.instanceId,
      'atrium.owner': user.name,
      'atrium.purpose': 'kernel',
      'atrium.kernel': kernel.id,
    });
  });
});

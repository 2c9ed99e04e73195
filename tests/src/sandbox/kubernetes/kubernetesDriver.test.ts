import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { KernelView } from '@atrium/protocol';
import { createLogger } from '@atrium/server/logger';
import { openAttachChannel } from '@atrium/server/runtime/kubernetes/attachChannel';
import { createKubernetesDriver } from '@atrium/server/runtime/kubernetes/createKubernetesDriver';
import { networkPolicyProblems, podHardeningProblems } from '@atrium/server/runtime/kubernetes/hardening';
import type { KubernetesConfig } from '@atrium/server/runtime/kubernetes/kubernetesConfig';
import type { SandboxSpec } from '@atrium/server/runtime/SandboxDriver';
import { KubeConfig, type V1NetworkPolicy, type V1Pod } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, createUser, startTestServer, type TestServer, waitFor } from '../../harness/index.js';
import { execute, startKernel, uniqueInstance } from '../sandboxTesting.js';
import { FakeKubernetesApi } from './FakeKubernetesApi.js';

/**
 * The Kubernetes driver against a recording FAKE API server: the requests it makes, the attach framing
 * (v5 and v4), the NetworkPolicy it insists on, and a real Atrium server running kernels through it.
 * The fake's pods are local processes: none of this says the hardening holds on a node (that is
 * kubernetesIsolation.test.ts, against a real cluster).
 */
const log = createLogger('silent');
const NODE = '/usr/local/bin/node';
const TOKEN = 'fake-bearer-token';
/** Reads stdin lines and echoes them; exits when stdin ends. */
const ECHO = `require('readline').createInterface({ input: process.stdin }).on('line', (l) => process.stdout.write('out:' + l + '\\n'));`;

let api: FakeKubernetesApi | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await api?.stop();
  api = undefined;
});

const startFake = async (
  options: Partial<ConstructorParameters<typeof FakeKubernetesApi>[0]> = {},
  driverOptions: { policyRecheckMs?: number } = {},
) => {
  api = await new FakeKubernetesApi({ token: TOKEN, ...options }).start();
  const driver = createKubernetesDriver(log, {
    kubeconfig: api.writeKubeconfig(),
    namespace: undefined,
    gvisorRuntimeClass: 'gvisor',
    activeDeadlineSeconds: 3600,
    volumesClaim: undefined,
    volumesDir: undefined,
    pollMs: 20,
    ...driverOptions,
  });
  return { api, driver };
};

const spec = (instance: string, extra: Partial<SandboxSpec> = {}): SandboxSpec => ({
  name: `atrium-${instance}-kernel-${Math.random().toString(16).slice(2, 10)}`,
  image: 'registry.example/atrium-sandbox:0123456789ab',
  runtime: 'runsc',
  memoryMb: 256,
  cpus: 0.5,
  command: [NODE, '-e', ECHO],
  env: {},
  labels: { 'atrium.instance': instance, 'atrium.purpose': 'kernel' },
  ...extra,
});

describe('the Kubernetes driver against a fake API server', () => {
  it('makes the default-deny NetworkPolicy before the first pod, then a hardened pod, with the kubeconfig token', async () => {
    const { api, driver } = await startFake();
    const id = await driver.create(spec(uniqueInstance()));
    const writes = api.requests.filter((r) => r.method === 'POST');
    expect(writes.map((r) => r.path)).toEqual([
      '/apis/networking.k8s.io/v1/namespaces/sandboxes/networkpolicies',
      '/api/v1/namespaces/sandboxes/pods',
    ]);
    expect(networkPolicyProblems(writes[0]?.body as V1NetworkPolicy)).toEqual([]);
    const pod = writes[1]?.body as V1Pod;
    expect(podHardeningProblems(pod)).toEqual([]);
    expect(pod.metadata?.name).toBe(id);
    expect(pod.spec?.runtimeClassName).toBe('gvisor');
    expect(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    // A second sandbox does not ask for the policy again.
    await driver.create(spec(uniqueInstance()));
    expect(api.made('POST', /networkpolicies/)).toHaveLength(1);
  });

  it('attaches to the sandbox container over v5 and ends its stdin with a close frame', async () => {
    const { api, driver } = await startFake();
    const id = await driver.create(spec(uniqueInstance()));
    const channel = await driver.attach(id);
    await driver.start(id);
    const [attach] = api.made('GET', /\/attach$/);
    expect(attach?.path).toBe(`/api/v1/namespaces/sandboxes/pods/${id}/attach`);
    expect(attach?.query).toEqual({
      container: 'sandbox',
      stdin: 'true',
      stdout: 'true',
      stderr: 'true',
      tty: 'false',
    });
    expect(attach?.protocols).toEqual(['v5.channel.k8s.io', 'v4.channel.k8s.io']);
    let out = '';
    channel.output.on('data', (c: Buffer) => {
      out += c.toString();
    });
    channel.input.write('ping\n');
    await waitFor(() => out === 'out:ping\n', { what: 'the echo through the attach framing' });
    // v5: ending our side closes the sandbox's stdin, so the echo program exits by itself.
    channel.input.end();
    await channel.ended;
    const info = await waitFor(
      async () => {
        const i = await driver.inspect(id);
        return i && !i.running ? i : undefined;
      },
      { what: 'the pod to have exited' },
    );
    expect(info.exitCode).toBe(0);
  });

  it('speaks v4 framing to an API server without v5, keeping stdin open until the channel closes', async () => {
    const { driver } = await startFake({ attachProtocols: ['v4.channel.k8s.io'] });
    const id = await driver.create(spec(uniqueInstance()));
    const channel = await driver.attach(id);
    let out = '';
    channel.output.on('data', (c: Buffer) => {
      out += c.toString();
    });
    channel.input.write('one\ntwo\n');
    await waitFor(() => out === 'out:one\nout:two\n', { what: 'both lines echoed over v4' });
    channel.input.end();
    // v4 has no half-close: the sandbox keeps running until the channel (or the pod) goes.
    expect((await driver.inspect(id))?.running).toBe(true);
    channel.close();
    await channel.ended;
    await driver.remove(id);
  });

  it('sends a stdin line of several MiB in frames of at most 1 MiB, each on the stdin stream', async () => {
    const { api, driver } = await startFake();
    const id = await driver.create(spec(uniqueInstance()));
    const channel = await driver.attach(id);
    let out = '';
    channel.output.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const line = 'x'.repeat(3 * 1024 * 1024 + 17);
    channel.input.write(`${line}\n`);
    await waitFor(() => out.endsWith('\n'), { what: 'the long line echoed', timeout: 30_000 });
    expect(out).toBe(`out:${line}\n`);
    expect(api.largestStdinFrame).toBeGreaterThan(1);
    expect(api.largestStdinFrame).toBeLessThanOrEqual(1024 * 1024 + 1);
    channel.close();
    await driver.remove(id);
  });

  it('refuses to create a sandbox when the NetworkPolicy cannot be made, and makes no pod', async () => {
    const { api, driver } = await startFake({ refuseNetworkPolicies: true });
    await expect(driver.create(spec(uniqueInstance()))).rejects.toThrow(/NetworkPolicy could not be ensured/);
    expect(api.made('POST', /\/pods$/)).toEqual([]);
    expect(api.pods.size).toBe(0);
  });

  it('repairs a NetworkPolicy someone loosened to let traffic out', async () => {
    const { api, driver } = await startFake();
    api.networkPolicies.set('atrium-sandboxes-deny-all', {
      metadata: { name: 'atrium-sandboxes-deny-all', resourceVersion: '7' },
      spec: {
        podSelector: { matchLabels: { 'atrium.sandbox': 'true' } },
        policyTypes: ['Ingress', 'Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
      },
    });
    await driver.create(spec(uniqueInstance()));
    const [put] = api.made('PUT', /networkpolicies\/atrium-sandboxes-deny-all$/);
    const repaired = put?.body as V1NetworkPolicy;
    expect(networkPolicyProblems(repaired)).toEqual([]);
    expect(repaired.metadata?.resourceVersion).toBe('7');
  });

  it('makes the NetworkPolicy again before a pod once its last check is old, after someone deleted it', async () => {
    const { api, driver } = await startFake({}, { policyRecheckMs: 0 });
    await driver.create(spec(uniqueInstance()));
    api.networkPolicies.clear();
    await driver.create(spec(uniqueInstance()));
    expect(api.made('POST', /networkpolicies/)).toHaveLength(2);
    expect(
      networkPolicyProblems(api.networkPolicies.get('atrium-sandboxes-deny-all') as V1NetworkPolicy),
    ).toEqual([]);
  });

  it('repairs a NetworkPolicy loosened while pods run when the pod list is read again', async () => {
    const { api, driver } = await startFake({}, { policyRecheckMs: 0 });
    const instance = uniqueInstance();
    await driver.create(spec(instance));
    const stop = driver.events({ 'atrium.instance': instance }, () => {});
    try {
      await waitFor(() => api.openWatches > 0, { what: 'the pod watch' });
      const policy = api.networkPolicies.get('atrium-sandboxes-deny-all') as V1NetworkPolicy;
      api.networkPolicies.set('atrium-sandboxes-deny-all', {
        ...policy,
        spec: { ...policy.spec, egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] },
      });
      api.dropWatches();
      await waitFor(
        () =>
          networkPolicyProblems(api.networkPolicies.get('atrium-sandboxes-deny-all') as V1NetworkPolicy)
            .length === 0,
        { what: 'the policy to be repaired' },
      );
    } finally {
      stop();
    }
  });

  it('deletes pods at once on remove and says nothing of one already gone', async () => {
    const { api, driver } = await startFake();
    const id = await driver.create(spec(uniqueInstance()));
    await driver.remove(id);
    await driver.remove(id);
    const deletes = api.made('DELETE', /\/pods\//);
    expect(deletes).toHaveLength(2);
    expect(deletes.map((d) => d.query.gracePeriodSeconds)).toEqual(['0', '0']);
    expect(await driver.inspect(id)).toBeNull();
  });
});

describe('the attach channel against an API server that misbehaves', () => {
  const servers: http.Server[] = [];
  const upgraded: Duplex[] = [];
  afterEach(async () => {
    for (const socket of upgraded.splice(0)) socket.destroy();
    for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
  });
  /** An HTTP server whose upgrade handler is `onUpgrade`, and a kubeconfig pointing at it. */
  const apiServer = async (onUpgrade: (socket: Duplex) => void) => {
    const s = http.createServer();
    s.on('upgrade', (_req, socket: Duplex) => {
      upgraded.push(socket);
      onUpgrade(socket);
    });
    servers.push(s);
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        { name: 'c', server: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, skipTLSVerify: true },
      ],
      users: [{ name: 'u', token: TOKEN }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    return kubeConfig;
  };

  it('fails a refused attach and closes its connection', async () => {
    let closed = false;
    const kubeConfig = await apiServer((socket) => {
      // The client's end of the connection (the server keeps its half open: allowHalfOpen).
      socket.on('end', () => {
        closed = true;
      });
      // A body that never completes: only the client giving the request up ends this connection.
      socket.write('HTTP/1.1 403 Forbidden\r\ncontent-length: 1000\r\n\r\nforbidden');
    });
    await expect(openAttachChannel(kubeConfig, 'sandboxes', 'p', 'sandbox')).rejects.toThrow(
      'attach to p refused: HTTP 403',
    );
    await waitFor(() => closed, { what: 'the refused connection to be closed' });
  });

  it('fails an attach the API server never answers once its handshake time is up', async () => {
    const kubeConfig = await apiServer(() => {});
    const started = performance.now();
    await expect(
      openAttachChannel(kubeConfig, 'sandboxes', 'p', 'sandbox', { handshakeTimeoutMs: 300 }),
    ).rejects.toThrow(/handshake has timed out/);
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

const sandboxDist = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@atrium/sandbox/package.json')),
  'dist',
);

describe('an Atrium server with ATRIUM_SANDBOX_DRIVER=kubernetes on a fake API server', () => {
  const kubernetes = (kubeconfig: string): KubernetesConfig => ({
    kind: 'kubernetes',
    kubeconfig,
    namespace: undefined,
    image: 'registry.example/atrium-sandbox:0123456789ab',
    pythonImage: undefined,
    gvisorRuntimeClass: 'gvisor',
    activeDeadlineSeconds: 3600,
    volumesClaim: undefined,
    volumesDir: undefined,
    startTimeoutMs: 30_000,
  });

  it('removes the pods a dead server of its instance left, and only those, at start-up', async () => {
    const { api, driver } = await startFake();
    const mine = uniqueInstance();
    const other = uniqueInstance();
    const left = [await driver.create(spec(mine)), await driver.create(spec(mine))];
    const kept = await driver.create(spec(other));
    server = await startTestServer({
      sandboxDriver: kubernetes(api.writeKubeconfig()),
      instanceId: mine,
      sandboxPoolSize: 0,
      sandboxPoolEager: false,
    });
    await server.services.runtime.whenReady();
    expect([...api.pods.keys()]).toEqual([kept]);
    expect(
      api
        .made('DELETE', /\/pods\//)
        .map((r) => r.path.split('/').pop())
        .sort(),
    ).toEqual(left.sort());
    const list = api
      .made('GET', /\/pods$/)
      .find((r) => r.query.watch === undefined && r.query.limit === undefined);
    expect(list?.query.labelSelector).toBe(`atrium.sandbox=true,atrium.instance=${mine}`);
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as {
      checks: { docker: { ok: boolean; driver: string }; sandboxImage: { state: string; tag: string } };
    };
    expect(health.checks.docker).toMatchObject({ ok: true, driver: 'kubernetes' });
    expect(health.checks.sandboxImage).toMatchObject({
      state: 'present',
      tag: 'registry.example/atrium-sandbox:0123456789ab',
    });
  });

  it('runs a notebook kernel whose signed messages cross the attach framing', async () => {
    // The fake runs the pod's command here: the runner from sandbox/dist stands in for the image's.
    api = await new FakeKubernetesApi({
      token: TOKEN,
      pathMap: { '/opt/atrium/': `${sandboxDist}/` },
    }).start();
    server = await startTestServer({
      sandboxDriver: kubernetes(api.writeKubeconfig()),
      instanceId: uniqueInstance(),
      sandboxPoolSize: 0,
      sandboxPoolEager: false,
      executionTimeoutS: 60,
    });
    await server.services.runtime.whenReady();
    const user = await createUser(server.url);
    const kernel: KernelView = await startKernel(server.url, bearer(user.token));
    const run = await execute(
      server.url,
      bearer(user.token),
      kernel.id,
      'console.log("hi from the pod"); 6 * 7',
    );
    expect(run.reply?.status).toBe('ok');
    expect(run.stdout).toBe('hi from the pod\n');
    expect(run.result?.['text/plain']).toBe('42');
    const pod = api.pods.get(kernel.containerId)?.pod as unknown as V1Pod;
    expect(podHardeningProblems(pod)).toEqual([]);
    expect(pod.metadata?.labels).toMatchObject({ 'atrium.owner': user.name, 'atrium.purpose': 'kernel' });
    const shutdown = await fetch(`${server.url}/api/kernels/${kernel.id}`, {
      method: 'DELETE',
      headers: bearer(user.token),
    });
    expect(shutdown.status).toBeLessThan(300);
    await waitFor(() => !api?.pods.has(kernel.containerId), { what: 'the kernel pod to be deleted' });
  });

  it('ends a kernel whose attach dropped while its pod ran on, and deletes the pod', async () => {
    api = await new FakeKubernetesApi({
      token: TOKEN,
      pathMap: { '/opt/atrium/': `${sandboxDist}/` },
    }).start();
    server = await startTestServer({
      sandboxDriver: kubernetes(api.writeKubeconfig()),
      instanceId: uniqueInstance(),
      sandboxPoolSize: 0,
      sandboxPoolEager: false,
    });
    await server.services.runtime.whenReady();
    const user = await createUser(server.url);
    const kernel: KernelView = await startKernel(server.url, bearer(user.token));
    expect(api.dropAttaches()).toBe(1);
    const view = async () =>
      (await (
        await fetch(`${server?.url}/api/kernels/${kernel.id}`, { headers: bearer(user.token) })
      ).json()) as KernelView;
    await waitFor(async () => (await view()).state === 'dead', {
      what: 'the kernel to be dead',
      timeout: 20_000,
    });
    expect((await view()).reason).toBe('lost its channel');
    await waitFor(() => !api?.pods.has(kernel.containerId), { what: 'the cut-off pod to be deleted' });
  });
});

import { KernelMime, type KernelView } from '@atrium/protocol';
import { networkPolicyProblems, podHardeningProblems } from '@atrium/server/runtime/kubernetes/hardening';
import { NETWORK_POLICY_NAME } from '@atrium/server/runtime/kubernetes/sandboxNetworkPolicy';
import { CoreV1Api, KubeConfig, NetworkingV1Api, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createUser, startTestServer, type TestServer, type TestUser } from '../../harness/index.js';
import { expectForgedLinesDropped, type Facts, probe } from '../isolationProbe.js';
import { execute, startKernel, uniqueInstance } from '../sandboxTesting.js';

/**
 * The isolation suite on a REAL cluster: what user code sees from inside a Kubernetes sandbox, and the
 * pod the API server kept (admission may change what the driver sent). Opt-in, since no cluster runs
 * on the CI machines:
 *
 *   ATRIUM_TEST_KUBECONFIG=~/.kube/config            a cluster whose CNI enforces NetworkPolicy
 *   ATRIUM_TEST_K8S_IMAGE=registry/atrium-sandbox:…  the sandbox image, pushed (or `kind load`ed)
 *   ATRIUM_TEST_K8S_NAMESPACE=atrium-test            default atrium-test; must exist
 *   ATRIUM_TEST_K8S_GVISOR_CLASS=gvisor              also run under gVisor through this RuntimeClass
 */
const kubeconfig = process.env.ATRIUM_TEST_KUBECONFIG;
const image = process.env.ATRIUM_TEST_K8S_IMAGE;
const namespace = process.env.ATRIUM_TEST_K8S_NAMESPACE ?? 'atrium-test';
const gvisorClass = process.env.ATRIUM_TEST_K8S_GVISOR_CLASS;
const runtimes = gvisorClass ? (['runc', 'runsc'] as const) : (['runc'] as const);

if (!kubeconfig || !image)
  console.info(
    'kubernetesIsolation.test.ts skipped: set ATRIUM_TEST_KUBECONFIG and ATRIUM_TEST_K8S_IMAGE to run it on a real cluster (no Kubernetes API server can run on this machine)',
  );

describe.runIf(kubeconfig && image).each(runtimes)(
  'isolation on a Kubernetes cluster under %s',
  (runtime) => {
    let server: TestServer;
    let user: TestUser;
    let kernel: KernelView;
    let facts: Facts;
    let pod: V1Pod;
    const kube = new KubeConfig();

    beforeAll(async () => {
      kube.loadFromFile(kubeconfig as string);
      server = await startTestServer({
        sandboxDriver: {
          kind: 'kubernetes',
          kubeconfig,
          namespace,
          image: image as string,
          pythonImage: undefined,
          gvisorRuntimeClass: gvisorClass ?? 'gvisor',
          activeDeadlineSeconds: 3600,
          volumesClaim: undefined,
          volumesDir: undefined,
          startTimeoutMs: 300_000,
        },
        sandboxRuntime: runtime,
        instanceId: uniqueInstance(),
        sandboxPoolSize: 0,
        sandboxPoolEager: false,
        executionTimeoutS: 60,
      });
      await server.services.runtime.whenReady();
      user = await createUser(server.url);
      kernel = await startKernel(server.url, bearer(user.token));
      const run = await execute(server.url, bearer(user.token), kernel.id, probe(server.port));
      if (!run.result) throw new Error(`probe failed: ${JSON.stringify(run.error)}`);
      facts = run.result[KernelMime.json] as Facts;
      pod = await kube.makeApiClient(CoreV1Api).readNamespacedPod({ name: kernel.containerId, namespace });
    });

    afterAll(async () => {
      await server?.stop();
    });

    it('keeps every hardening field on the pod the API server stored, in Guaranteed QoS', () => {
      expect(podHardeningProblems(pod)).toEqual([]);
      expect(pod.status?.qosClass).toBe('Guaranteed');
      expect(pod.spec?.runtimeClassName).toBe(runtime === 'runsc' ? gvisorClass : undefined);
      expect(pod.metadata?.labels).toMatchObject({
        'atrium.instance': server.services.runtime.instanceId,
        'atrium.purpose': 'kernel',
        'atrium.sandbox': 'true',
      });
    });

    it('puts the namespace behind the default-deny NetworkPolicy', async () => {
      const policy = await kube
        .makeApiClient(NetworkingV1Api)
        .readNamespacedNetworkPolicy({ name: NETWORK_POLICY_NAME, namespace });
      expect(networkPolicyProblems(policy)).toEqual([]);
    });

    it('runs user code as a non-root user of its own with no capabilities', () => {
      expect(facts.uid).toBeGreaterThanOrEqual(100_000);
      expect(facts.gid).toBe(facts.uid);
      expect(facts.capEff).toBe('0000000000000000');
      // gVisor's /proc does not show the host's filter; under runc the kernel reports it.
      if (runtime === 'runc') {
        expect(facts.noNewPrivs).toBe('1');
        expect(facts.seccomp).toBe('2');
      }
    });

    it('has a read-only root filesystem and a writable /tmp', () => {
      expect(facts.writeRoot).toMatch(/EROFS|EACCES/);
      expect(facts.writeApp).toMatch(/EROFS|EACCES/);
      expect(facts.writeTmp).toBe('ok');
    });

    it('reaches neither the API server, nor the internet, nor DNS, and holds no service-account token', () => {
      expect(facts.kubernetesApi).not.toBe('connected');
      expect(facts.internet).not.toBe('connected');
      expect(facts.dnsLookup).not.toBe('resolved');
      expect(facts.serviceAccountToken).toBe(false);
      expect(facts.dockerSock).toEqual([]);
    });

    it('drops lines cell code writes onto the channel through /proc/1/fd/1', async () => {
      await expectForgedLinesDropped(server.url, user.token, kernel.id);
    });

    it('ends a memory hog with "killed: out of memory" at the pod limit', async () => {
      const hog = await startKernel(server.url, bearer(user.token));
      const run = await execute(
        server.url,
        bearer(user.token),
        hog.id,
        'const keep = []; for (;;) keep.push(Buffer.alloc(1 << 20, 1));',
      );
      expect(run.error?.ename).toBe('KernelDied');
      expect(run.error?.evalue).toMatch(/out of memory/);
    });
  },
);

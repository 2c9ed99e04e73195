import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { SandboxLabel, type SandboxSpec } from '../SandboxDriver.js';
import { sandboxUid } from '../sandboxUid.js';
import { networkPolicyProblems, podHardeningProblems } from './hardening.js';
import { decodeLabels, labelSelector } from './podLabels.js';
import { buildSandboxNetworkPolicy } from './sandboxNetworkPolicy.js';
import { buildSandboxPod, type KubernetesSandboxSettings } from './sandboxPod.js';

const goldenDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');
/** `ATRIUM_UPDATE_GOLDEN=1` rewrites the files; a reviewer then reads the diff of the exact objects. */
const matchesGolden = (name: string, value: unknown) => {
  const file = path.join(goldenDir, name);
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (process.env.ATRIUM_UPDATE_GOLDEN === '1') fs.writeFileSync(file, text);
  // Parsed, not as text: Biome formats checked-in JSON its own way; the object must match key for key.
  expect(JSON.parse(text)).toStrictEqual(JSON.parse(fs.readFileSync(file, 'utf8')));
};

const settings: KubernetesSandboxSettings = {
  namespace: 'atrium-sandboxes',
  gvisorRuntimeClass: 'gvisor',
  activeDeadlineSeconds: 86_400,
  volumesClaim: 'atrium-volumes',
};

const spec = (over: Partial<SandboxSpec> = {}): SandboxSpec => ({
  name: 'atrium-0123abcd-kernel-5f2c9e1a7b3d',
  image: 'registry.example/atrium-sandbox:0123456789ab',
  runtime: 'runsc',
  memoryMb: 512,
  cpus: 1,
  env: { ATRIUM_EXECUTION_TIMEOUT_S: '300', ATRIUM_MODELS_DIR: '/models' },
  labels: {
    [SandboxLabel.instance]: '0123abcd4567ef89',
    [SandboxLabel.owner]: 'alice',
    [SandboxLabel.purpose]: 'kernel',
    [SandboxLabel.kernel]: '5f2c9e1a-7b3d-4c1e-9a8b-0c1d2e3f4a5b',
  },
  readOnlyMounts: [{ type: 'volume', source: 'atrium-models-a1b2c3d4e5f6', target: '/models' }],
  ...over,
});

const fixedUid = () => 123_456_789;

/** Deletes the field at a dotted path (`spec.containers.0.securityContext.privileged`) from a copy. */
const without = (pod: V1Pod, dotted: string): V1Pod => {
  const copy = structuredClone(pod) as unknown as Record<string, unknown>;
  const keys = dotted.split('.');
  const last = keys.pop() as string;
  let at: Record<string, unknown> = copy;
  for (const k of keys) at = at[k] as Record<string, unknown>;
  delete at[last];
  return copy as V1Pod;
};

describe('the sandbox pod builder', () => {
  it('builds exactly the checked-in pod for a gVisor kernel with a model view', () => {
    const pod = buildSandboxPod(spec(), settings, fixedUid);
    matchesGolden('sandboxPod.runsc.json', pod);
    expect(podHardeningProblems(pod)).toEqual([]);
  });

  it('builds exactly the checked-in pod for a runc Space app with no mounts', () => {
    const pod = buildSandboxPod(
      spec({
        name: 'atrium-0123abcd-app-9f8e7d6c5b4a',
        runtime: 'runc',
        memoryMb: 1024,
        cpus: 0.5,
        tmpfsMb: 128,
        command: ['/usr/bin/python3', '/opt/atrium/python/atrium_runner/main.py'],
        env: { ATRIUM_RUNNER_MODE: 'app' },
        labels: { [SandboxLabel.instance]: '0123abcd4567ef89', 'atrium.space': 'alice/sentiment' },
        readOnlyMounts: [],
      }),
      settings,
      fixedUid,
    );
    matchesGolden('sandboxPod.runc-app.json', pod);
    expect(podHardeningProblems(pod)).toEqual([]);
  });

  it('asks gVisor by RuntimeClass only for runsc and requests exactly what it limits', () => {
    const gvisor = buildSandboxPod(spec(), settings, fixedUid);
    const runc = buildSandboxPod(spec({ runtime: 'runc', cpus: 1.5 }), settings, fixedUid);
    expect(gvisor.spec?.runtimeClassName).toBe('gvisor');
    expect(runc.spec?.runtimeClassName).toBeUndefined();
    const resources = runc.spec?.containers[0]?.resources;
    expect(resources?.limits).toEqual({ memory: '512Mi', cpu: '1500m' });
    expect(resources?.requests).toEqual(resources?.limits);
  });

  it('draws a non-root uid of its own for every sandbox', () => {
    const uids = new Set(
      [1, 2, 3].map(() => buildSandboxPod(spec(), settings, sandboxUid).spec?.securityContext?.runAsUser),
    );
    expect(uids.size).toBe(3);
    for (const uid of uids) expect(uid).toBeGreaterThanOrEqual(100_000);
    const drawn = buildSandboxPod(spec(), settings, () => 100_001).spec?.securityContext;
    expect(drawn).toMatchObject({ runAsUser: 100_001, runAsGroup: 100_001, runAsNonRoot: true });
  });

  it.each([
    'spec.automountServiceAccountToken',
    'spec.enableServiceLinks',
    'spec.activeDeadlineSeconds',
    'spec.restartPolicy',
    'spec.securityContext.runAsNonRoot',
    'spec.securityContext.runAsUser',
    'spec.securityContext.seccompProfile',
    'spec.containers.0.securityContext.allowPrivilegeEscalation',
    'spec.containers.0.securityContext.readOnlyRootFilesystem',
    'spec.containers.0.securityContext.capabilities',
    'spec.containers.0.resources.requests',
    'spec.containers.0.resources.limits.memory',
    'spec.volumes.0.emptyDir.sizeLimit',
    'spec.containers.0.volumeMounts.1.readOnly',
    'metadata.labels.atrium.sandbox',
  ])('fails the hardening check and the golden file without %s', (field) => {
    const built = buildSandboxPod(spec(), settings, fixedUid);
    // `metadata.labels.atrium.sandbox` is one key with a dot: delete it by hand.
    const pod =
      field === 'metadata.labels.atrium.sandbox'
        ? (() => {
            const copy = structuredClone(built);
            delete copy.metadata?.labels?.['atrium.sandbox'];
            return copy;
          })()
        : without(built, field);
    expect(podHardeningProblems(pod).length).toBeGreaterThan(0);
    expect(JSON.stringify(pod)).not.toBe(JSON.stringify(built));
  });

  it('fails the hardening check for a privileged, root or capable container', () => {
    const built = buildSandboxPod(spec(), settings, fixedUid);
    const tamper = (change: (pod: V1Pod) => void) => {
      const copy = structuredClone(built);
      change(copy);
      return podHardeningProblems(copy);
    };
    const container = (pod: V1Pod) => pod.spec?.containers[0] as NonNullable<V1Pod['spec']>['containers'][0];
    expect(
      tamper((p) => Object.assign(container(p).securityContext ?? {}, { privileged: true })),
    ).toHaveLength(1);
    expect(tamper((p) => Object.assign(container(p).securityContext ?? {}, { runAsUser: 0 }))).toHaveLength(
      1,
    );
    expect(
      tamper((p) =>
        Object.assign(container(p).securityContext ?? {}, {
          capabilities: { drop: ['ALL'], add: ['NET_RAW'] },
        }),
      ),
    ).toHaveLength(1);
    expect(tamper((p) => Object.assign(p.spec ?? {}, { hostNetwork: true }))).toHaveLength(1);
    expect(tamper((p) => p.spec?.volumes?.push({ name: 'host', hostPath: { path: '/' } }))).toHaveLength(1);
  });

  it('refuses host folders and volumes without a shared claim', () => {
    expect(() =>
      buildSandboxPod(
        spec({ readOnlyMounts: [{ type: 'bind', source: '/srv/x', target: '/models' }] }),
        settings,
        fixedUid,
      ),
    ).toThrow(/host folders/);
    expect(() => buildSandboxPod(spec(), { ...settings, volumesClaim: undefined }, fixedUid)).toThrow(
      /ATRIUM_K8S_VOLUMES_CLAIM/,
    );
  });

  it('keeps label values Kubernetes refuses in annotations and selects by their digest', () => {
    const pod = buildSandboxPod(spec({ labels: { 'atrium.space': 'alice/sentiment' } }), settings, fixedUid);
    const stored = pod.metadata?.labels?.['atrium.space'] ?? '';
    expect(stored).toMatch(/^h-[0-9a-f]{40}$/);
    expect(labelSelector({ 'atrium.space': 'alice/sentiment' })).toBe(
      `atrium.sandbox=true,atrium.space=${stored}`,
    );
    expect(decodeLabels(pod.metadata?.labels, pod.metadata?.annotations)).toEqual({
      'atrium.space': 'alice/sentiment',
    });
  });
});

describe('the sandbox NetworkPolicy builder', () => {
  it('builds exactly the checked-in default-deny policy', () => {
    const policy = buildSandboxNetworkPolicy('atrium-sandboxes');
    matchesGolden('networkPolicy.json', policy);
    expect(networkPolicyProblems(policy)).toEqual([]);
  });

  it.each(['policyTypes', 'podSelector'])('fails the check without %s', (field) => {
    const policy = buildSandboxNetworkPolicy('atrium-sandboxes');
    delete (policy.spec as unknown as Record<string, unknown>)[field];
    expect(networkPolicyProblems(policy).length).toBeGreaterThan(0);
  });

  it('fails the check when a rule lets anything in or out', () => {
    const policy = buildSandboxNetworkPolicy('atrium-sandboxes');
    policy.spec?.egress?.push({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] });
    expect(networkPolicyProblems(policy)).toEqual(['no egress rules']);
  });
});

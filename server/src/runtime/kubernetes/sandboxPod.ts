import { NODE_PATH_IN_IMAGE } from '@atrium/sandbox/image/collectImageFiles';
import { runnerCommand } from '@atrium/sandbox/image/runnerCommand';
import type { V1Pod } from '@kubernetes/client-node';
import type { SandboxSpec } from '../SandboxDriver.js';
import { encodeLabels, SANDBOX_POD_LABEL } from './podLabels.js';

/** Where the cluster differs from one Docker host; every field has a README entry. */
export interface KubernetesSandboxSettings {
  namespace: string;
  /** The RuntimeClass that gives gVisor (a sandbox asking for `runsc` gets it); `gvisor` on GKE Sandbox. */
  gvisorRuntimeClass: string;
  /** A pod is ended by the kubelet after this long whatever the server does (a dead server's leftovers too). */
  activeDeadlineSeconds: number;
  /** A ReadWriteMany claim the server also mounts: read-only mounts of "volumes" are its sub-folders. */
  volumesClaim: string | undefined;
}

/** The only container of a sandbox pod (attach names it). */
export const SANDBOX_CONTAINER = 'sandbox';
/** The tmpfs at /tmp is a memory-backed emptyDir of this size unless the spec says otherwise. */
const DEFAULT_TMPFS_MB = 64;
/** As Docker's `stop -t 2`: the runner has two seconds after SIGTERM. */
const GRACE_SECONDS = 2;

/** Set in a gated pod's environment; the gate removes it, so the processes the runner forks pass through. */
export const ATTACH_GATE_ENV = 'ATRIUM_ATTACH_GATE';

/**
 * A pod runs before anything can attach to it, and what it writes meanwhile goes to its log, not to the
 * channel (a Space app's runner says `app_waiting` at once). So the image's node first reads stdin up to
 * one newline, byte by byte (leaving the rest to the runner), which the driver sends on attaching: the
 * Docker guarantee "attach, then start" without a change to the image. Runners ignore empty lines.
 */
const ATTACH_GATE = `import { readSync } from 'node:fs';
if (process.env.${ATTACH_GATE_ENV} === '1') {
  delete process.env.${ATTACH_GATE_ENV};
  const byte = Buffer.alloc(1);
  for (;;) {
    let n = 0;
    try { n = readSync(0, byte, 0, 1, null); }
    catch (e) { if (e.code !== 'EAGAIN') throw e; Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); continue; }
    if (n === 0 || byte[0] === 10) break;
  }
}`;

/** The command, behind the attach gate when it is the image's node (other runners wait for their key). */
const gated = (command: string[]): { command: string[]; gated: boolean } =>
  command[0] === NODE_PATH_IN_IMAGE
    ? {
        command: [
          NODE_PATH_IN_IMAGE,
          '--import',
          `data:text/javascript,${encodeURIComponent(ATTACH_GATE)}`,
          ...command.slice(1),
        ],
        gated: true,
      }
    : { command, gated: false };

/** A uid from the same range the Docker driver draws from (runAsUser must be set for runAsNonRoot). */
export type UidSource = () => number;

/** Pod names are DNS-1123 subdomains: lower-case, `-` for anything else, at most 253 characters. */
export const podName = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 253);

/**
 * The pod of one sandbox: the Docker driver's hardening in Kubernetes terms (sandbox/README.md).
 * Non-root uid of its own, no capabilities, no privilege escalation, RuntimeDefault seccomp, read-only
 * root with a memory-backed /tmp, Guaranteed QoS (requests = limits), no service-account token, no
 * service links, no cluster DNS, the pause container as PID 1 (Docker's `Init`), a deadline, and the
 * labels the reconciler lists by. Tests hold it to a golden file.
 */
export function buildSandboxPod(
  spec: SandboxSpec,
  settings: KubernetesSandboxSettings,
  uid: UidSource,
): V1Pod {
  const id = uid();
  const memory = `${spec.memoryMb}Mi`;
  const cpu = `${Math.round(spec.cpus * 1000)}m`;
  const { labels, annotations } = encodeLabels(spec.labels);
  const run = gated(spec.command ?? runnerCommand(spec.memoryMb));
  const mounts = spec.readOnlyMounts ?? [];
  for (const m of mounts) {
    // A host folder exists on one node only, and hostPath is what a hardened namespace forbids.
    if (m.type !== 'volume')
      throw new Error(`Kubernetes sandboxes cannot mount host folders (${m.target}); use volumes`);
    if (!settings.volumesClaim)
      throw new Error('Kubernetes sandboxes need ATRIUM_K8S_VOLUMES_CLAIM to mount volumes');
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName(spec.name),
      namespace: settings.namespace,
      labels: { ...labels, [SANDBOX_POD_LABEL]: 'true' },
      annotations,
    },
    spec: {
      restartPolicy: 'Never',
      ...(spec.runtime === 'runsc' ? { runtimeClassName: settings.gvisorRuntimeClass } : {}),
      activeDeadlineSeconds: settings.activeDeadlineSeconds,
      terminationGracePeriodSeconds: GRACE_SECONDS,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      hostNetwork: false,
      hostPID: false,
      hostIPC: false,
      // The pause container becomes PID 1 and reaps orphans, as Docker's `Init: true` (tini) does.
      shareProcessNamespace: true,
      // No cluster DNS in resolv.conf: the NetworkPolicy denies egress, and names would say where we are.
      dnsPolicy: 'None',
      dnsConfig: { nameservers: ['127.0.0.1'] },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: id,
        runAsGroup: id,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name: SANDBOX_CONTAINER,
          image: spec.image,
          imagePullPolicy: 'IfNotPresent',
          command: run.command,
          // The uid has no passwd entry: HOME and USER say what os.homedir() and tools would look up.
          env: Object.entries({
            HOME: '/tmp',
            USER: 'sandbox',
            ...spec.env,
            ...(run.gated ? { [ATTACH_GATE_ENV]: '1' } : {}),
          }).map(([name, value]) => ({
            name,
            value,
          })),
          // The control channel: stdin stays open across attaches, no terminal (as Docker's OpenStdin).
          stdin: true,
          stdinOnce: false,
          tty: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: id,
            runAsGroup: id,
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
            procMount: 'Default',
          },
          // requests = limits for both: Guaranteed QoS, and a node without swap gives none (Memory = MemorySwap).
          resources: { requests: { memory, cpu }, limits: { memory, cpu } },
          volumeMounts: [
            { name: 'tmp', mountPath: '/tmp' },
            // One claim, one sub-folder per mount (a "volume" is a folder of the shared claim).
            ...mounts.map((m) => ({
              name: 'shared-volumes',
              mountPath: m.target,
              subPath: m.source,
              readOnly: true,
            })),
          ],
        },
      ],
      volumes: [
        { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: `${spec.tmpfsMb ?? DEFAULT_TMPFS_MB}Mi` } },
        ...(mounts.length > 0 && settings.volumesClaim
          ? [
              {
                name: 'shared-volumes',
                persistentVolumeClaim: { claimName: settings.volumesClaim, readOnly: true },
              },
            ]
          : []),
      ],
    },
  };
}

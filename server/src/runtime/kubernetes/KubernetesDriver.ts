import {
  ApiException,
  CoreV1Api,
  type KubeConfig,
  NetworkingV1Api,
  type V1Pod,
  Watch,
} from '@kubernetes/client-node';
import type { Logger } from '../../logger.js';
import type {
  SandboxChannel,
  SandboxDriver,
  SandboxEvent,
  SandboxInfo,
  SandboxSpec,
  SandboxVolume,
} from '../SandboxDriver.js';
import { sandboxUid } from '../sandboxUid.js';
import { openAttachChannel } from './attachChannel.js';
import { networkPolicyProblems, podHardeningProblems } from './hardening.js';
import { PodEventTracker } from './PodEventTracker.js';
import { labelSelector } from './podLabels.js';
import { podStartFailure, sandboxInfoOf } from './podState.js';
import { SharedFolderVolumes } from './SharedFolderVolumes.js';
import { buildSandboxNetworkPolicy, NETWORK_POLICY_NAME } from './sandboxNetworkPolicy.js';
import { buildSandboxPod, type KubernetesSandboxSettings, podName, SANDBOX_CONTAINER } from './sandboxPod.js';

export interface KubernetesDriverOptions extends KubernetesSandboxSettings {
  /** Where this server sees the volumes claim (its own mount of it); unset: no volumes. */
  volumesDir: string | undefined;
  /** How long a new pod may take to run (scheduling, an image pull) before its kernel fails. */
  startTimeoutMs?: number;
  /** How often a pod's state is read while waiting for it. */
  pollMs?: number;
  /** How long a verified NetworkPolicy is trusted before it is read again (a minute by default). */
  policyRecheckMs?: number;
}

const statusOf = (err: unknown) => (err instanceof ApiException ? err.code : undefined);
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long a verified NetworkPolicy is trusted before it is read again. */
const POLICY_RECHECK_MS = 60_000;

/**
 * Sandboxes as pods of one namespace, hardened as the Docker driver's containers are (sandboxPod.ts),
 * behind a default-deny NetworkPolicy the driver keeps in place. The id of a sandbox is its pod's name.
 * A pod runs as soon as it is scheduled, so `attach` waits for it to run and `start` only checks it does.
 */
export class KubernetesDriver implements SandboxDriver {
  private readonly core: CoreV1Api;
  private readonly networking: NetworkingV1Api;
  private readonly volumes: SharedFolderVolumes;
  private policy: Promise<void> | null = null;
  /** When the policy was last read or written. */
  private policyCheckedAt = 0;

  constructor(
    private readonly log: Logger,
    private readonly kubeConfig: KubeConfig,
    private readonly options: KubernetesDriverOptions,
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.networking = kubeConfig.makeApiClient(NetworkingV1Api);
    this.volumes = new SharedFolderVolumes(options.volumesClaim ? options.volumesDir : undefined);
  }

  private get namespace() {
    return this.options.namespace;
  }

  async ping(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.core.listNamespacedPod({
          namespace: this.namespace,
          limit: 1,
          labelSelector: labelSelector({}),
        }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), 2000);
        }),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The default-deny policy, made or repaired before a pod when the last check is older than a minute
   * (someone may have deleted or loosened it since), and from the pods' relist loop: a sandbox is never
   * created where it would have the network (the create fails instead, and the next one tries again).
   */
  private ensureNetworkPolicy(): Promise<void> {
    if (
      this.policy &&
      Date.now() - this.policyCheckedAt >= (this.options.policyRecheckMs ?? POLICY_RECHECK_MS)
    )
      this.policy = null;
    this.policy ??= (async () => {
      this.policyCheckedAt = Date.now();
      const body = buildSandboxNetworkPolicy(this.namespace);
      try {
        await this.networking.createNamespacedNetworkPolicy({ namespace: this.namespace, body });
      } catch (err) {
        if (statusOf(err) !== 409) throw err;
        const existing = await this.networking.readNamespacedNetworkPolicy({
          name: NETWORK_POLICY_NAME,
          namespace: this.namespace,
        });
        if (networkPolicyProblems(existing).length === 0) return;
        this.log.warn({ policy: NETWORK_POLICY_NAME }, 'repairing the sandboxes NetworkPolicy');
        await this.networking.replaceNamespacedNetworkPolicy({
          name: NETWORK_POLICY_NAME,
          namespace: this.namespace,
          body: {
            ...body,
            metadata: { ...body.metadata, resourceVersion: existing.metadata?.resourceVersion },
          },
        });
      }
    })().catch((err) => {
      this.policy = null;
      throw new Error(`The sandboxes' NetworkPolicy could not be ensured: ${(err as Error).message}`);
    });
    return this.policy;
  }

  async create(spec: SandboxSpec): Promise<string> {
    await this.ensureNetworkPolicy();
    const body = buildSandboxPod(spec, this.options, sandboxUid);
    const problems = podHardeningProblems(body);
    if (problems.length > 0) throw new Error(`Refusing an unhardened sandbox pod: ${problems.join('; ')}`);
    try {
      return (await this.core.createNamespacedPod({ namespace: this.namespace, body })).metadata?.name ?? '';
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
      // A stale pod holds the name (a crash left it behind): remove it, then start afresh.
      this.log.warn({ name: spec.name }, 'removing a stale sandbox with the same name');
      const name = podName(spec.name);
      await this.remove(name);
      await this.waitFor(name, (pod) => (pod === null ? true : null), 'the stale pod to go');
      return (await this.core.createNamespacedPod({ namespace: this.namespace, body })).metadata?.name ?? '';
    }
  }

  private async readPod(name: string): Promise<V1Pod | null> {
    // An empty name would read the collection, not a pod.
    if (!name) return null;
    try {
      return await this.core.readNamespacedPod({ name, namespace: this.namespace });
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  /** Reads the pod until `done` answers something other than null; throws its failure or on time out. */
  private async waitFor<T>(name: string, done: (pod: V1Pod | null) => T | null, what: string): Promise<T> {
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 120_000);
    for (;;) {
      const answer = done(await this.readPod(name));
      if (answer !== null) return answer;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what} (${name})`);
      await delay(this.options.pollMs ?? 200);
    }
  }

  private waitRunning(name: string): Promise<true> {
    return this.waitFor(
      name,
      (pod) => {
        if (!pod) throw new Error(`No such sandbox pod: ${name}`);
        const failure = podStartFailure(pod);
        if (failure) throw new Error(failure);
        return sandboxInfoOf(pod).running ? true : null;
      },
      'the sandbox pod to run',
    );
  }

  async attach(id: string): Promise<SandboxChannel> {
    await this.waitRunning(id);
    return openAttachChannel(this.kubeConfig, this.namespace, id, SANDBOX_CONTAINER);
  }

  /** The kubelet started the pod when it was scheduled: this only makes sure it runs. */
  async start(id: string): Promise<void> {
    await this.waitRunning(id);
  }

  /** A pod cannot be stopped and kept: stopping deletes it, with this grace after SIGTERM. */
  async stop(id: string, graceSeconds = 2): Promise<void> {
    await this.deletePod(id, graceSeconds);
  }

  async remove(id: string): Promise<void> {
    await this.deletePod(id, 0);
  }

  private async deletePod(name: string, gracePeriodSeconds: number): Promise<void> {
    try {
      await this.core.deleteNamespacedPod({ name, namespace: this.namespace, gracePeriodSeconds });
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
  }

  async list(labels: Record<string, string>): Promise<SandboxInfo[]> {
    const pods = await this.core.listNamespacedPod({
      namespace: this.namespace,
      labelSelector: labelSelector(labels),
    });
    return pods.items.map(sandboxInfoOf);
  }

  async inspect(id: string): Promise<SandboxInfo | null> {
    const pod = await this.readPod(id);
    return pod ? sandboxInfoOf(pod) : null;
  }

  createVolume(name: string, labels: Record<string, string>): Promise<SandboxVolume> {
    return this.volumes.create(name, labels);
  }

  removeVolume(name: string): Promise<void> {
    return this.volumes.remove(name);
  }

  listVolumes(labels: Record<string, string>): Promise<string[]> {
    return this.volumes.list(labels);
  }

  /**
   * List, then watch from the list's version; when the watch ends (the API server closes it every few
   * minutes, or the connection drops) list again, reporting what changed meanwhile, and watch anew.
   */
  events(labels: Record<string, string>, onEvent: (event: SandboxEvent) => void): () => void {
    let stopped = false;
    let current: AbortController | null = null;
    let retry: NodeJS.Timeout | null = null;
    let backoff = 250;
    const selector = labelSelector(labels);
    const tracker = new PodEventTracker((event) => {
      try {
        onEvent(event);
      } catch (err) {
        // One event's handler failing must not stop the stream for the next ones.
        this.log.error({ err, event: event.action }, 'a sandbox event handler failed');
      }
    });
    const schedule = () => {
      if (stopped) return;
      retry = setTimeout(connect, backoff);
      retry.unref();
      backoff = Math.min(backoff * 2, 5000);
    };
    const connect = async () => {
      if (stopped) return;
      try {
        const listed = await this.core.listNamespacedPod({
          namespace: this.namespace,
          labelSelector: selector,
        });
        if (stopped) return;
        tracker.resync(listed.items);
        // Every relist (minutes apart) also notices a policy deleted or edited while pods run.
        this.ensureNetworkPolicy().catch((err) =>
          this.log.error({ err: (err as Error).message }, 'the sandboxes NetworkPolicy is not in place'),
        );
        let opened = false;
        const watch = await new Watch(this.kubeConfig).watch(
          `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods`,
          {
            labelSelector: selector,
            resourceVersion: listed.metadata?.resourceVersion,
            allowWatchBookmarks: false,
          },
          (type, pod: V1Pod) => {
            opened = true;
            backoff = 250;
            if (type === 'DELETED') tracker.remove(pod);
            else if (type === 'ADDED' || type === 'MODIFIED') tracker.update(pod);
          },
          (err) => {
            if (stopped) return;
            if (err) this.log.debug({ err: (err as Error).message }, 'the pod watch failed');
            else if (opened) this.log.debug('the pod watch ended; listing again');
            current = null;
            schedule();
          },
        );
        if (stopped) watch.abort();
        else current = watch;
      } catch (err) {
        this.log.debug({ err: (err as Error).message }, 'pods cannot be listed; retrying');
        schedule();
      }
    };
    void connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      current?.abort();
      current = null;
    };
  }
}

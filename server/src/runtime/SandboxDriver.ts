import type { Readable, Writable } from 'node:stream';

/** Labels every sandbox carries, so an instance can find (and reconcile) its own containers. */
export const SandboxLabel = {
  instance: 'atrium.instance',
  owner: 'atrium.owner',
  purpose: 'atrium.purpose',
  kernel: 'atrium.kernel',
} as const;

export type SandboxRuntime = 'runc' | 'runsc';

/** What to start: the hardening is the driver's job, not the caller's. */
export interface SandboxSpec {
  name: string;
  image: string;
  runtime: SandboxRuntime;
  memoryMb: number;
  cpus: number;
  /** The container's command; the Node runner's (sized to memoryMb) when absent. */
  command?: string[];
  /** Extra environment for the runner (never secrets of the platform). */
  env: Record<string, string>;
  labels: Record<string, string>;
  /** The cgroup's pids limit: a backstop above the per-user process limit, where a fork bomb stops. */
  pidsLimit?: number;
  /** Size of the writable /tmp, the only writable path. */
  tmpfsMb?: number;
  /** Folders shown inside the sandbox, always read-only (e.g. the sandbox's model view at /models). */
  readOnlyMounts?: SandboxMount[];
}

/**
 * A read-only mount: a Docker-managed named volume (its host path is Docker's, not Atrium's data
 * directory) or a host folder bound in (whose host path runc shows in /proc/self/mountinfo).
 */
export interface SandboxMount {
  type: 'volume' | 'bind';
  /** The volume's name, or the host folder's absolute path. */
  source: string;
  target: string;
}

/** A named volume the driver made, and where its files are on this host (to fill it from here). */
export interface SandboxVolume {
  name: string;
  mountpoint: string;
}

/** The control channel: the container's stdin, and its stdout/stderr demultiplexed. */
export interface SandboxChannel {
  input: Writable;
  output: Readable;
  errors: Readable;
  /** Resolves when the container's output ends (it exited or was removed). */
  ended: Promise<void>;
  close: () => void;
}

export interface SandboxInfo {
  id: string;
  name: string;
  running: boolean;
  exitCode: number | null;
  oomKilled: boolean;
  /** The engine ended it for running past its time limit (a pod's activeDeadlineSeconds); only Kubernetes has one. */
  timeLimitReached?: boolean;
  labels: Record<string, string>;
}

/** Why a sandbox the engine ended for its time limit is gone (a Space app restarts on it). */
export const TIME_LIMIT_REASON = 'reached its time limit';

/** A lifecycle event of a sandbox, from the engine's event stream. */
export interface SandboxEvent {
  id: string;
  action: 'start' | 'die' | 'oom' | 'destroy' | string;
  exitCode: number | null;
  labels: Record<string, string>;
}

/** The engine under the kernel manager: Docker today, something else later, a double in unit tests. */
export interface SandboxDriver {
  /** Whether the engine answers. */
  ping(): Promise<boolean>;
  /** Creates (not starts) a hardened sandbox; a stale container with the same name is removed first. */
  create(spec: SandboxSpec): Promise<string>;
  /** Attaches to stdio; call before start so no output is lost. */
  attach(id: string): Promise<SandboxChannel>;
  start(id: string): Promise<void>;
  stop(id: string, graceSeconds?: number): Promise<void>;
  /** Removes the sandbox whatever its state; a missing one is not an error. */
  remove(id: string): Promise<void>;
  /** Every sandbox carrying all these labels, in any state. */
  list(labels: Record<string, string>): Promise<SandboxInfo[]>;
  inspect(id: string): Promise<SandboxInfo | null>;
  /** Follows lifecycle events of sandboxes carrying these labels, reconnecting when the stream drops. */
  events(labels: Record<string, string>, onEvent: (event: SandboxEvent) => void): () => void;
  /** Creates a named volume carrying these labels. */
  createVolume(name: string, labels: Record<string, string>): Promise<SandboxVolume>;
  /** Removes a volume; a missing one is not an error (one still mounted is: remove its sandbox first). */
  removeVolume(name: string): Promise<void>;
  /** Names of the volumes carrying all these labels. */
  listVolumes(labels: Record<string, string>): Promise<string[]>;
}

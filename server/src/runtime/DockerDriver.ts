import { PassThrough, type Readable } from 'node:stream';
import { runnerCommand } from '@atrium/sandbox/image/runnerCommand';
import Docker from 'dockerode';
import type { Logger } from '../logger.js';
import { unpacedShare } from '../sandboxOutput/LoopShare.js';
import { parseJsonLine } from '../sandboxOutput/parseJsonLine.js';
import { readBoundedLines } from '../sandboxOutput/readBoundedLines.js';
import type {
  SandboxChannel,
  SandboxDriver,
  SandboxEvent,
  SandboxInfo,
  SandboxSpec,
  SandboxVolume,
} from './SandboxDriver.js';
import { sandboxUser } from './sandboxUid.js';

/**
 * Processes (threads, in fact) each sandbox's user may run: RLIMIT_NPROC makes a fork bomb's spawn
 * fail with EAGAIN inside the sandbox under runc and runsc alike (measured: 40 and 38 node children).
 * It counts per uid on the host, so every sandbox runs as a user of its own (sandboxUser).
 */
export const SANDBOX_NPROC = 256;
/** The cgroup pids limit, a backstop above SANDBOX_NPROC (runc counts the sandbox's own tasks). */
const RUNC_PIDS_LIMIT = 512;
/**
 * Under gVisor the cgroup counts the sentry's host threads, not the guest's processes, and busy I/O
 * alone grows them past 128 (the sandbox then dies with exit 2); the guest is held by SANDBOX_NPROC.
 */
const RUNSC_PIDS_LIMIT = 1024;
/** Docker's event lines are small; a longer one is cut (and then not JSON). */
const EVENT_LINE_BYTES = 1024 * 1024;

const labelFilters = (labels: Record<string, string>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`);
const statusOf = (err: unknown) => (err as { statusCode?: number }).statusCode;

/** The Docker engine through dockerode; every container it makes is locked down the same way. */
export class DockerDriver implements SandboxDriver {
  readonly docker: Docker;
  /** Open event streams (a test cuts them to prove the reconnection). */
  private readonly eventStreams = new Set<NodeJS.ReadableStream & { destroy?: () => void }>();

  constructor(
    private readonly log: Logger,
    docker?: Docker,
  ) {
    this.docker = docker ?? new Docker();
  }

  async ping(): Promise<boolean> {
    try {
      await this.docker.ping({ abortSignal: AbortSignal.timeout(2000) } as never);
      return true;
    } catch {
      return false;
    }
  }

  /** The hardening every sandbox gets (DESIGN.md §4). */
  private options(spec: SandboxSpec): Docker.ContainerCreateOptions {
    const memory = spec.memoryMb * 1024 * 1024;
    return {
      name: spec.name,
      Image: spec.image,
      Cmd: spec.command ?? runnerCommand(spec.memoryMb),
      User: sandboxUser(),
      // The uid has no passwd entry: HOME and USER say what os.homedir() and tools would look up.
      Env: Object.entries({ HOME: '/tmp', USER: 'sandbox', ...spec.env }).map(([k, v]) => `${k}=${v}`),
      Labels: spec.labels,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      OpenStdin: true,
      StdinOnce: false,
      Tty: false,
      NetworkDisabled: true,
      HostConfig: {
        Runtime: spec.runtime,
        NetworkMode: 'none',
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        ReadonlyRootfs: true,
        Tmpfs: { '/tmp': `rw,nosuid,nodev,noexec,size=${spec.tmpfsMb ?? 64}m` },
        PidsLimit: spec.pidsLimit ?? (spec.runtime === 'runsc' ? RUNSC_PIDS_LIMIT : RUNC_PIDS_LIMIT),
        Memory: memory,
        MemorySwap: memory,
        NanoCpus: Math.round(spec.cpus * 1e9),
        Init: true,
        Ulimits: [
          { Name: 'nofile', Soft: 1024, Hard: 1024 },
          { Name: 'nproc', Soft: SANDBOX_NPROC, Hard: SANDBOX_NPROC },
        ],
        LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } },
        IpcMode: 'private',
        Mounts: (spec.readOnlyMounts ?? []).map((m) => ({
          Type: m.type,
          Source: m.source,
          Target: m.target,
          ReadOnly: true,
        })),
      },
    };
  }

  async create(spec: SandboxSpec): Promise<string> {
    try {
      return (await this.docker.createContainer(this.options(spec))).id;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
      // A stale container holds the name (a crash left it behind): remove it, then start afresh.
      this.log.warn({ name: spec.name }, 'removing a stale sandbox with the same name');
      await this.remove(spec.name);
      return (await this.docker.createContainer(this.options(spec))).id;
    }
  }

  async attach(id: string): Promise<SandboxChannel> {
    const stream = (await this.docker.getContainer(id).attach({
      stream: true,
      stdin: true,
      stdout: true,
      stderr: true,
      hijack: true,
    })) as NodeJS.ReadWriteStream & { end: () => void; destroy: () => void };
    const output = new PassThrough();
    const errors = new PassThrough();
    this.docker.modem.demuxStream(stream, output, errors);
    // demuxStream writes without heeding back-pressure; output readers pause when the server is busy
    // (sandboxOutput/LoopShare), so without this a flooding sandbox would pile up in these buffers.
    // Pausing the socket instead blocks the sandbox's own writes.
    stream.on('data', () => {
      if (output.writableNeedDrain || errors.writableNeedDrain) stream.pause();
    });
    const resumeWhenDrained = () => {
      if (!output.writableNeedDrain && !errors.writableNeedDrain) stream.resume();
    };
    output.on('drain', resumeWhenDrained);
    errors.on('drain', resumeWhenDrained);
    const ended = new Promise<void>((resolve) => {
      const done = () => {
        output.end();
        errors.end();
        resolve();
      };
      stream.once('end', done);
      stream.once('close', done);
      // Writing to a sandbox that just died fails with EPIPE: that is the end, never a crash.
      stream.on('error', done);
    });
    return {
      input: stream as unknown as NodeJS.WritableStream as import('node:stream').Writable,
      output,
      errors,
      ended,
      close: () => stream.destroy(),
    };
  }

  async start(id: string): Promise<void> {
    await this.docker.getContainer(id).start();
  }

  async stop(id: string, graceSeconds = 2): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: graceSeconds });
    } catch (err) {
      if (statusOf(err) !== 304 && statusOf(err) !== 404) throw err;
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (err) {
      // 404: already gone; 409: removal already in progress.
      if (statusOf(err) !== 404 && statusOf(err) !== 409) throw err;
    }
  }

  async list(labels: Record<string, string>): Promise<SandboxInfo[]> {
    const found = await this.docker.listContainers({ all: true, filters: { label: labelFilters(labels) } });
    return found.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? '').replace(/^\//, ''),
      running: c.State === 'running',
      exitCode: null,
      oomKilled: false,
      labels: c.Labels,
    }));
  }

  async inspect(id: string): Promise<SandboxInfo | null> {
    try {
      const c = await this.docker.getContainer(id).inspect();
      return {
        id: c.Id,
        name: c.Name.replace(/^\//, ''),
        running: c.State.Running,
        exitCode: c.State.Running ? null : c.State.ExitCode,
        oomKilled: c.State.OOMKilled,
        labels: c.Config.Labels ?? {},
      };
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  async createVolume(name: string, labels: Record<string, string>): Promise<SandboxVolume> {
    // dockerode resolves with a Volume handle (its typings say the JSON answer): ask for the details.
    const volume = (await this.docker.createVolume({
      Name: name,
      Labels: labels,
    })) as unknown as Docker.Volume;
    const info = await volume.inspect();
    return { name: info.Name, mountpoint: info.Mountpoint };
  }

  async removeVolume(name: string): Promise<void> {
    // A container being removed (its removal answered 409 "already in progress") still holds its
    // volumes for a moment: wait for it rather than leave the volume behind.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.docker.getVolume(name).remove();
        return;
      } catch (err) {
        if (statusOf(err) === 404) return;
        if (statusOf(err) !== 409 || attempt >= 20) throw err;
        await new Promise((r) => setTimeout(r, 100 + attempt * 50));
      }
    }
  }

  async listVolumes(labels: Record<string, string>): Promise<string[]> {
    const found = await this.docker.listVolumes({ filters: { label: labelFilters(labels) } });
    return (found.Volumes ?? []).map((v) => v.Name);
  }

  events(labels: Record<string, string>, onEvent: (event: SandboxEvent) => void): () => void {
    let stopped = false;
    let current: (NodeJS.ReadableStream & { destroy?: () => void }) | null = null;
    let retry: NodeJS.Timeout | null = null;
    let backoff = 250;
    // After a drop, ask for the events since shortly before it, so none in the gap is missed.
    let since: number | null = null;
    const connect = async () => {
      if (stopped) return;
      try {
        const stream = (await this.docker.getEvents({
          ...(since !== null ? { since: Math.floor(since / 1000) } : {}),
          filters: {
            type: ['container'],
            label: labelFilters(labels),
            event: ['start', 'die', 'oom', 'destroy'],
          },
        })) as NodeJS.ReadableStream & { destroy?: () => void };
        if (stopped) return stream.destroy?.();
        current = stream;
        this.eventStreams.add(stream);
        backoff = 250;
        readBoundedLines(stream as unknown as Readable, {
          maxBytes: EVENT_LINE_BYTES,
          longLines: 'cut',
          // Docker's own events, not a sandbox's output: never paced behind sandboxes that flood.
          loopShare: unpacedShare,
          onLine: (line) => {
            const event = parseJsonLine(line.trim());
            if (!event.ok || !event.value || typeof event.value !== 'object') return;
            const e = event.value as {
              id?: unknown;
              Action?: unknown;
              Actor?: { Attributes?: Record<string, string> };
            };
            if (typeof e.id !== 'string' || typeof e.Action !== 'string') return;
            const attrs = e.Actor?.Attributes ?? {};
            try {
              onEvent({
                id: e.id,
                action: e.Action,
                exitCode: attrs.exitCode ? Number(attrs.exitCode) : null,
                labels: attrs,
              });
            } catch (err) {
              // One event's handler failing must not stop the stream for the next ones.
              this.log.error({ err, event: e.Action }, 'a sandbox event handler failed');
            }
          },
          onError: (err) => this.log.debug({ err }, 'the Docker events stream failed'),
        });
        const reconnect = () => {
          this.eventStreams.delete(stream);
          if (stopped || current !== stream) return;
          current = null;
          since = Date.now() - 1000;
          this.log.warn('Docker events stream ended; reconnecting');
          schedule();
        };
        stream.once('end', reconnect);
        stream.once('close', reconnect);
        stream.on('error', reconnect);
      } catch (err) {
        this.log.debug({ err }, 'Docker events stream unavailable; retrying');
        schedule();
      }
    };
    const schedule = () => {
      if (stopped) return;
      retry = setTimeout(connect, backoff);
      retry.unref();
      backoff = Math.min(backoff * 2, 5000);
    };
    void connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      current?.destroy?.();
      current = null;
    };
  }
}

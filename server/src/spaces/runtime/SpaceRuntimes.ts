import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { SpaceRuntimeView, SpaceStage } from '@atrium/protocol';
import { parseCardData } from '../../hub/cardData.js';
import type { RepoRecord } from '../../hub/RepoStore.js';
import { fullId } from '../../hub/views.js';
import type { Logger } from '../../logger.js';
import { cardModels } from '../../models/declaredModels.js';
import { logModelFetch } from '../../models/provideToSandbox.js';
import { TIME_LIMIT_REASON } from '../../runtime/SandboxDriver.js';
import type { Services } from '../../services.js';
import { DemoHostBackend } from '../gradio/DemoHostBackend.js';
import type { AppSandbox } from './AppSandbox.js';
import type { AppSandboxes } from './AppSandboxes.js';
import { callTimeoutSeconds } from './callTimeout.js';
import { appToSleep } from './fairShare.js';
import { LogBuffer } from './LogBuffer.js';
import type { SpaceSettingsStore } from './SpaceSettingsStore.js';
import type { SpaceCommitListener } from './watchSpaceCommits.js';

export interface SpaceRuntimesOptions {
  /** Idle seconds before a Space sleeps when its owner set nothing (the Hub's free tier: 48 h). */
  defaultSleepS: number;
  /** Apps running at once; starting one more puts one of the busiest owner's to sleep (fairShare.ts). */
  maxRunning: number;
  /** How long an app may take to import (models load here). */
  loadTimeoutMs: number;
  /** A demo call's time limit when the card sets no `call_duration_timeout` (0: none). */
  defaultCallTimeoutS: number;
  log: Logger;
}

/** One Space's runtime state, by repository id (survives renames). */
interface SpaceInstance {
  repoId: string;
  spaceId: string;
  stage: SpaceStage;
  error?: string;
  sha: string | null;
  sdk: string | null;
  /** The file a static Space serves at its root. */
  appFile: string;
  /** Bumped by every start/stop: an older build that finishes late is thrown away. */
  generation: number;
  app?: { sandbox: AppSandbox; sha: string };
  lastVisit: number;
  buildLog: LogBuffer;
  runLog: LogBuffer;
}

const FILE_LIMIT = 10 * 1024 * 1024;
const TOTAL_LIMIT = 50 * 1024 * 1024;
const SETTLED: SpaceStage[] = [
  'RUNNING',
  'BUILD_ERROR',
  'RUNTIME_ERROR',
  'CONFIG_ERROR',
  'NO_APP_FILE',
  'PAUSED',
  'STOPPED',
  'SLEEPING',
];

/**
 * The Space runtime: stages with the Hub's names, build and run logs, restart on commit, pause,
 * sleep after idleness and wake on a visit. `sdk: atrium` apps run in app-mode sandboxes and are
 * served through the Gradio-compatible API (services.gradio); `sdk: static` files are served as is.
 */
export class SpaceRuntimes implements SpaceCommitListener {
  private readonly spaces = new Map<string, SpaceInstance>();
  private readonly events = new EventEmitter();
  private readonly sleepTimer: NodeJS.Timeout;
  /**
   * Spaces (owner/name) to be created asleep until their first visit (seeded demos: no start-up
   * cost), named before the creation so no ordering of its report matters.
   */
  private readonly bornAsleep = new Set<string>();
  private closed = false;

  constructor(
    private readonly services: Services,
    /** Sleep time, paused, variables and secrets. */
    readonly settings: SpaceSettingsStore,
    private readonly sandboxes: AppSandboxes,
    private readonly options: SpaceRuntimesOptions,
  ) {
    this.events.setMaxListeners(0);
    this.sleepTimer = setInterval(
      () =>
        void this.sleepIdle().catch((err) =>
          options.log.error({ err }, 'putting idle Spaces to sleep failed'),
        ),
      1000,
    );
    this.sleepTimer.unref();
  }

  private instance(repo: RepoRecord): SpaceInstance {
    let inst = this.spaces.get(repo.id);
    if (!inst) {
      inst = {
        repoId: repo.id,
        spaceId: fullId(repo),
        stage: 'SLEEPING',
        sha: repo.head,
        sdk: repo.sdk,
        appFile: 'index.html',
        generation: 0,
        lastVisit: Date.now(),
        buildLog: new LogBuffer(),
        runLog: new LogBuffer(),
      };
      this.spaces.set(repo.id, inst);
    }
    return inst;
  }

  private setStage(inst: SpaceInstance, stage: SpaceStage, error?: string): void {
    inst.stage = stage;
    inst.error = error;
    this.events.emit(inst.repoId, stage);
  }

  /** The Hub's runtime view; a visit (wake) starts a sleeping Space. */
  async view(repo: RepoRecord, options: { wake: boolean }): Promise<SpaceRuntimeView> {
    const inst = this.instance(repo);
    if (options.wake) await this.visit(repo);
    else if (inst.stage === 'SLEEPING' && (await this.settings.paused(repo.id))) inst.stage = 'PAUSED';
    const sleep = await this.sleepSeconds(inst);
    const running = inst.stage === 'RUNNING' || inst.stage === 'RUNNING_BUILDING';
    return {
      stage: inst.stage,
      hardware: { current: running ? 'cpu-basic' : null, requested: 'cpu-basic' },
      storage: null,
      gcTimeout: sleep,
      ...(inst.error ? { errorMessage: inst.error } : {}),
      sha: inst.sha,
      replicas: { current: running ? 1 : 0, requested: 1 },
    };
  }

  /** Someone looked at the Space (its page, its app): it stays awake, and wakes if it slept. */
  async visit(repo: RepoRecord): Promise<SpaceInstance> {
    const inst = this.instance(repo);
    inst.lastVisit = Date.now();
    if (inst.stage === 'SLEEPING' || inst.stage === 'STOPPED') {
      if (await this.settings.paused(repo.id)) this.setStage(inst, 'PAUSED');
      else void this.start(repo, 'wake');
    }
    return inst;
  }

  /** Waits until the Space is no longer building (or the time is up); returns its stage. */
  async settled(repo: RepoRecord, timeoutMs: number): Promise<SpaceInstance> {
    const inst = this.instance(repo);
    if (SETTLED.includes(inst.stage) && inst.stage !== 'SLEEPING') return inst;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      const listener = (stage: SpaceStage) => {
        if (SETTLED.includes(stage)) {
          this.events.off(inst.repoId, listener);
          done();
        }
      };
      this.events.on(inst.repoId, listener);
      setTimeout(() => this.events.off(inst.repoId, listener), timeoutMs).unref();
    });
    return inst;
  }

  logs(repo: RepoRecord, kind: 'build' | 'run'): LogBuffer {
    const inst = this.instance(repo);
    return kind === 'build' ? inst.buildLog : inst.runLog;
  }

  /** What the app URL serves: a static Space's commit and root file, or nothing when it is not running. */
  staticSite(repo: RepoRecord): { stage: SpaceStage; sha: string | null; appFile: string } | undefined {
    const inst = this.spaces.get(repo.id);
    if (inst?.sdk !== 'static') return undefined;
    return { stage: inst.stage, sha: inst.stage === 'RUNNING' ? inst.sha : null, appFile: inst.appFile };
  }

  private async sleepSeconds(inst: SpaceInstance): Promise<number | null> {
    if (inst.sdk === 'static') return null;
    const set = await this.settings.sleepSeconds(inst.repoId);
    return set === undefined ? this.options.defaultSleepS : set;
  }

  /** `POST …/restart`: unpauses and rebuilds from the head of main. */
  async restart(repo: RepoRecord): Promise<void> {
    await this.settings.setPaused(repo.id, false);
    void this.start(repo, 'restart');
  }

  /** `POST …/pause`: stops the app until someone restarts it. */
  async pause(repo: RepoRecord): Promise<void> {
    await this.settings.setPaused(repo.id, true);
    const inst = this.instance(repo);
    await this.stop(inst, 'PAUSED');
    inst.buildLog.write('Paused');
  }

  /** `POST …/sleeptime`. */
  async setSleepTime(repo: RepoRecord, seconds: number): Promise<void> {
    await this.settings.setSleepSeconds(repo.id, seconds === -1 ? null : seconds);
    this.instance(repo).lastVisit = Date.now();
  }

  /** A commit landed on a Space's main, or a Space was created or duplicated: rebuild unless paused. */
  async onNewCommit(repoId: string): Promise<void> {
    if (this.closed) return;
    const repo = await this.services.hub.repos.findById(repoId);
    if (repo?.type !== 'space') return;
    if (await this.settings.paused(repo.id)) return;
    void this.start(repo, 'commit');
  }

  /** A new Space starts; a duplicate first takes its source's variables and sleep time (never secrets). */
  async onCreated(repoId: string, forkedFromRepoId: string | null): Promise<void> {
    if (forkedFromRepoId) await this.settings.copyPublicSettings(forkedFromRepoId, repoId);
    const repo = await this.services.hub.repos.findById(repoId);
    if (repo && this.bornAsleep.delete(`${repo.ownerName}/${repo.name}`)) return;
    await this.onNewCommit(repoId);
  }

  /**
   * The Space about to be created as owner/name sleeps until someone visits it; call before creating
   * it. Returns the undo for a creation that failed.
   */
  expectAsleep(owner: string, name: string): () => void {
    const key = `${owner}/${name}`;
    this.bornAsleep.add(key);
    return () => this.bornAsleep.delete(key);
  }

  /** The Space was deleted: its app stops and its state goes. */
  async onRemoved(repoId: string): Promise<void> {
    const inst = this.spaces.get(repoId);
    if (!inst) return;
    await this.stop(inst, 'STOPPED');
    this.spaces.delete(repoId);
  }

  /** The Space was renamed or transferred: the app under the old URL stops and starts under the new one. */
  async onMoved(repoId: string): Promise<void> {
    await this.onRemoved(repoId);
    this.onNewCommit(repoId).catch((err) =>
      this.options.log.error({ err, repoId }, 'a moved Space did not restart'),
    );
  }

  /** Variables or secrets changed: a running app restarts to see them (as on the Hub). */
  async onSettingsChanged(repo: RepoRecord): Promise<void> {
    const inst = this.spaces.get(repo.id);
    if (inst?.app || inst?.stage === 'BUILDING') void this.start(repo, 'restart');
  }

  /** Stops the app at once (nothing keeps serving from it meanwhile), then builds it again; says why. */
  private async restartNow(inst: SpaceInstance, why: string): Promise<void> {
    if (this.closed || !this.spaces.has(inst.repoId)) return;
    this.options.log.info({ space: inst.spaceId, why }, 'restarting a Space app');
    inst.runLog.write(why);
    await this.stop(inst, 'STOPPED', why);
    const repo = await this.services.hub.repos.findById(inst.repoId);
    if (repo && !(await this.settings.paused(repo.id))) await this.start(repo, 'restart', why);
  }

  /** Stops the app (if any) and leaves the Space in `stage`. */
  private async stop(inst: SpaceInstance, stage: SpaceStage, error?: string): Promise<void> {
    inst.generation += 1;
    const app = inst.app;
    inst.app = undefined;
    this.setStage(inst, stage, error);
    if (app) {
      this.services.gradio.unregister(inst.spaceId);
      await this.sandboxes.release(app.sandbox);
    }
  }

  /**
   * Builds and starts the app of main's head; never rejects (callers fire and forget): a failure
   * nobody foresaw is logged and leaves the Space in BUILD_ERROR, unless a newer build took over.
   */
  async start(repo: RepoRecord, why: 'wake' | 'restart' | 'commit', note?: string): Promise<void> {
    const inst = this.instance(repo);
    const build = this.build(repo, why, note);
    const generation = inst.generation;
    try {
      await build;
    } catch (err) {
      this.options.log.error({ err, space: inst.spaceId }, 'a Space build failed unexpectedly');
      if (generation !== inst.generation || this.closed) return;
      const message = `The build failed: ${err instanceof Error ? err.message : String(err)}`;
      inst.buildLog.write(message);
      await this.stop(inst, 'BUILD_ERROR', message).catch((e) =>
        this.options.log.error({ err: e, space: inst.spaceId }, 'could not stop a failed Space'),
      );
    }
  }

  /** The build itself: the previous app keeps serving until the new one runs. */
  private async build(repo: RepoRecord, why: 'wake' | 'restart' | 'commit', note?: string): Promise<void> {
    const inst = this.instance(repo);
    const generation = ++inst.generation;
    const stale = () => generation !== inst.generation || this.closed;
    const fresh = await this.services.hub.repos.findById(repo.id);
    const sha = fresh?.head ?? null;
    inst.sha = sha;
    inst.buildLog.clear();
    const log = (line: string) => inst.buildLog.write(line);
    const fail = async (stage: SpaceStage, message: string) => {
      if (stale()) return;
      log(message);
      await this.stop(inst, stage, message);
    };
    this.setStage(inst, inst.app ? 'RUNNING_BUILDING' : 'BUILDING');
    log(`===== Build (${why}) of ${inst.spaceId} at ${sha?.slice(0, 12) ?? 'no commit'} =====`);
    if (note) log(note);
    if (note) log(note);
    if (!sha) return fail('NO_APP_FILE', 'The Space has no commit');
    const readme = await this.readText(sha, 'README.md');
    const card: Record<string, unknown> = (readme ? parseCardData(readme) : undefined) ?? {};
    const sdk = typeof card.sdk === 'string' ? card.sdk : (fresh?.sdk ?? null);
    inst.sdk = sdk;
    if (sdk !== 'atrium' && sdk !== 'static')
      return fail(
        'CONFIG_ERROR',
        `sdk "${sdk ?? ''}" is not supported: use "atrium" or "static" in README.md`,
      );
    const appFile =
      typeof card.app_file === 'string' ? card.app_file : sdk === 'static' ? 'index.html' : 'app.ts';
    inst.appFile = appFile;
    if (!(await this.services.hub.repos.entry(sha, appFile)))
      return fail('NO_APP_FILE', `The app file ${appFile} is missing (set app_file in README.md)`);

    if (sdk === 'static') {
      const previous = inst.app;
      inst.app = undefined;
      if (previous) {
        this.services.gradio.unregister(inst.spaceId);
        await this.sandboxes.release(previous.sandbox);
      }
      if (stale()) return;
      log(`Serving ${appFile} and the files beside it`);
      return this.setStage(inst, 'RUNNING');
    }

    const callLimit = callTimeoutSeconds(card, this.options.defaultCallTimeoutS);
    if (callLimit.warning) log(callLimit.warning);
    const models = [...new Set(cardModels(card))];
    let sandbox: AppSandbox | undefined;
    try {
      const files = await this.readFiles(sha);
      const env: Record<string, string> = {
        SPACE_ID: inst.spaceId,
        SPACE_REPO_NAME: repo.name,
        SPACE_AUTHOR_NAME: repo.ownerName,
      };
      for (const kind of ['variable', 'secret'] as const)
        for (const e of await this.settings.env(repo.id, kind)) env[e.key] = e.value;
      if (this.services.runtime.image.state !== 'present') {
        log('Waiting for the sandbox image');
        await this.services.runtime.whenReady();
      }
      if (this.services.runtime.image.state !== 'present')
        return fail(
          'BUILD_ERROR',
          `Sandboxes are unavailable (${this.services.runtime.image.state}${this.services.runtime.image.error ? `: ${this.services.runtime.image.error}` : ''})`,
        );
      if (stale()) return;
      this.makeRoom(inst);
      // The app sees public models and its owner's private ones (models/sandboxViews/sandboxReaders.ts).
      const acquired = await this.sandboxes.acquire(
        inst.spaceId,
        { kind: 'space', ownerId: (fresh ?? repo).ownerId },
        (ids) =>
          void this.restartNow(
            inst,
            `Access to ${ids.join(', ')} was taken away: restarting the app so it no longer uses ${ids.length > 1 ? 'them' : 'it'}`,
          ),
      );
      sandbox = acquired.sandbox;
      const target = sandbox;
      log(acquired.pooled ? 'Sandbox ready (warm)' : 'Sandbox started');
      if (stale()) return void (await this.sandboxes.release(sandbox));
      if (models.length > 0) log(`Providing models: ${models.join(', ')}`);
      for (const model of models) {
        const answer = await acquired.provideModel(model, logModelFetch(log));
        if (answer.status === 'error') log(`Warning: ${answer.evalue}`);
      }
      if (stale()) return void (await this.sandboxes.release(sandbox));
      // The new app's output waits here until it serves (the old app's run log stays meanwhile).
      let runLog = new LogBuffer();
      sandbox.onLog((line) => runLog.write(line));
      log(`Loading ${appFile}`);
      const reply = await sandbox.load(
        { type: 'load', id: randomUUID(), files, appFile, env },
        this.options.loadTimeoutMs,
      );
      if (stale()) return void (await this.sandboxes.release(sandbox));
      if (reply.type === 'app_load_error') {
        inst.runLog.clear();
        inst.runLog.write(
          `===== The app failed to start at ${new Date().toISOString()} (${sha.slice(0, 12)}) =====`,
        );
        for (const l of runLog.history()) inst.runLog.write(l.data);
        runLog = inst.runLog;
        if (!runLog.history().some((l) => l.data.includes(reply.message))) runLog.write(reply.message);
        // Output still in flight (stderr is a separate stream) reaches the run log before the container goes.
        setTimeout(() => void this.sandboxes.release(target), 250).unref();
        return fail(reply.phase === 'build' ? 'BUILD_ERROR' : 'RUNTIME_ERROR', reply.message);
      }
      if (reply.type !== 'app_loaded') return;
      log(`App loaded in ${Math.round(reply.durationMs)} ms`);
      await this.services.gradio.register(inst.spaceId, new DemoHostBackend(sandbox.demoChannel()), {
        callTimeoutMs: callLimit.seconds * 1000,
        onCallTimeout: (line) => inst.runLog.write(line),
        // A call that ignores its cancel holds a place in the app's own queue: only a restart frees it.
        onStuck: (line) => {
          if (inst.app?.sandbox === target) void this.restartNow(inst, `${line}: restarting it`);
        },
      });
      if (stale()) return void (await this.sandboxes.release(sandbox));
      const previous = inst.app;
      inst.app = { sandbox, sha };
      inst.runLog.clear();
      inst.runLog.write(
        `===== Application startup at ${new Date().toISOString()} (${sha.slice(0, 12)}) =====`,
      );
      for (const l of runLog.history()) inst.runLog.write(l.data);
      runLog = inst.runLog;
      inst.lastVisit = Date.now();
      this.setStage(inst, 'RUNNING');
      log('Running');
      // The old app's container goes after the new one serves: removing it takes a Docker round trip.
      if (previous) void this.sandboxes.release(previous.sandbox);
      sandbox.ended
        .then(async (reason) => {
          if (inst.app?.sandbox !== target) return;
          // A pod's deadline (ATRIUM_K8S_POD_DEADLINE_S) is a backstop for a server that is gone, not
          // a verdict on the app: one that outlives it (a Space that never sleeps) starts afresh.
          if (reason === TIME_LIMIT_REASON)
            return void (await this.restartNow(inst, `The app's sandbox ${reason}: restarting it`));
          inst.runLog.write(`The app stopped: ${reason}`);
          await this.stop(inst, 'RUNTIME_ERROR', `The app stopped: ${reason}`);
        })
        .catch((err) => this.options.log.error({ err, space: inst.spaceId }, 'could not stop a dead app'));
    } catch (err) {
      if (sandbox && inst.app?.sandbox !== sandbox) await this.sandboxes.release(sandbox);
      await fail('BUILD_ERROR', err instanceof Error ? err.message : String(err));
    }
  }

  private async readText(sha: string, path: string): Promise<string | undefined> {
    const entry = await this.services.hub.repos.entry(sha, path);
    if (!entry || entry.lfs || entry.size > FILE_LIMIT) return undefined;
    return (await this.services.hub.blobs.readBuffer(entry.sha256)).toString('utf8');
  }

  /** The Space's files for the sandbox (LFS and very large files stay out: models come through /models). */
  private async readFiles(sha: string): Promise<{ path: string; base64: string }[]> {
    const out: { path: string; base64: string }[] = [];
    let total = 0;
    for (const e of await this.services.hub.repos.entries(sha, '')) {
      if (e.lfs || e.size > FILE_LIMIT || total + e.size > TOTAL_LIMIT || e.path === '.gitattributes')
        continue;
      total += e.size;
      out.push({
        path: e.path,
        base64: (await this.services.hub.blobs.readBuffer(e.sha256)).toString('base64'),
      });
    }
    return out;
  }

  /**
   * Keeps the number of running apps under the cap, shared fairly between owners (fairShare.ts): the
   * owner running the most gives up their least recently visited app.
   */
  private makeRoom(starting: SpaceInstance): void {
    const ownerOf = (s: SpaceInstance) => s.spaceId.split('/')[0] ?? s.spaceId;
    const running = [...this.spaces.values()]
      .filter((s) => s.app && s !== starting)
      .map((s) => ({ owner: ownerOf(s), lastVisit: s.lastVisit, inst: s }));
    const victim = appToSleep(running, ownerOf(starting), this.options.maxRunning)?.inst;
    if (!victim) return;
    this.options.log.info(
      { space: victim.spaceId, starting: starting.spaceId },
      "too many apps running: the busiest owner's least recently visited sleeps",
    );
    victim.buildLog.write(
      `Sleeping: ${this.options.maxRunning} apps may run at once, and ${ownerOf(victim)} ran the most when ${starting.spaceId} started`,
    );
    void this.stop(victim, 'SLEEPING');
  }

  /** Puts apps idle for longer than their sleep time to sleep. */
  private async sleepIdle(): Promise<void> {
    for (const inst of this.spaces.values()) {
      if (inst.stage !== 'RUNNING' || !inst.app) continue;
      const seconds = await this.sleepSeconds(inst);
      if (seconds !== null && Date.now() - inst.lastVisit > seconds * 1000) {
        inst.buildLog.write(`Sleeping after ${seconds} s without visitors`);
        await this.stop(inst, 'SLEEPING');
      }
    }
  }

  stats() {
    const stages: Record<string, number> = {};
    for (const s of this.spaces.values()) stages[s.stage] = (stages[s.stage] ?? 0) + 1;
    return { stages, ...this.sandboxes.stats() };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sleepTimer);
    for (const inst of this.spaces.values()) inst.generation += 1;
    await this.sandboxes.close();
  }
}

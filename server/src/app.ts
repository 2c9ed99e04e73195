import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { accountMigrations } from './accounts/migrations.js';
import { sqlAccountStore } from './accounts/sqlAccountStore.js';
import { ensurePrivateDir } from './atRest/privateFiles.js';
import { loadSecretKey, SecretBox } from './atRest/SecretBox.js';
import { sealPlaintextSecretsOnce } from './atRest/sealSecretsOnce.js';
import { inProcessAccessEvents } from './auth/AccessEvents.js';
import { authenticate, identityResolver } from './auth/authenticate.js';
import { csrfProtection } from './auth/csrf.js';
import { LiveAccess } from './auth/LiveAccess.js';
import { createCollab } from './collab/createCollab.js';
import { collabMigrations } from './collab/migrations.js';
import { type Config, loadConfig } from './config.js';
import { metaMigrations, sqlMetaStore } from './db/metaStore.js';
import type { Migration } from './db/migrations.js';
import { holdOneProcessLock } from './db/oneProcessLock.js';
import { openDatabase } from './db/openDatabase.js';
import { demoSeeds } from './demoContent/demoSeeds.js';
import { errorMiddleware, notFoundHandler } from './errors.js';
import { HealthChecks } from './health/HealthChecks.js';
import { databaseCheck } from './health/handlers.js';
import { bodyDeadline } from './http/bodyDeadline.js';
import { baseSecurityHeaders } from './http/securityHeaders.js';
import { permissionOnStored } from './hub/access.js';
import { openBlobStore } from './hub/blobs/openBlobStore.js';
import { createHub } from './hub/hub.js';
import { hubMigrations } from './hub/migrations.js';
import { createLogger, type Logger } from './logger.js';
import { ModelCache, modelCacheDir } from './models/ModelCache.js';
import { ModelViews } from './models/sandboxViews/ModelViews.js';
import { sandboxReader } from './models/sandboxViews/sandboxReaders.js';
import { chooseViewStorage } from './models/sandboxViews/ViewStorage.js';
import { modelSeeds } from './models/seeds.js';
import { NotebookKernels } from './notebooks/NotebookKernels.js';
import { UploadQuota } from './quota/UploadQuota.js';
import { mountRoutes, upgradeRoutes } from './routes.js';
import { Runtime } from './runtime/Runtime.js';
import { type SandboxDriver, SandboxLabel } from './runtime/SandboxDriver.js';
import { baseSeeds, runSeeds } from './seed.js';
import type { Services } from './services.js';
import { findClientDir, serveClient, serveClientAssets } from './shell/serveClient.js';
import { GradioApps } from './spaces/gradio/GradioApps.js';
import { createSpaceRuntimes } from './spaces/runtime/createSpaceRuntimes.js';
import { spaceRuntimeMigrations } from './spaces/runtime/migrations.js';
import { routeUpgrades } from './upgrade.js';
import { taskWorkerLimits } from './work/limits.js';
import { TaskWorker } from './work/TaskWorker.js';

export type { Services };
export { type Config, loadConfig };

/** Every schema change of every concern, in the order they apply. */
export const migrations: Migration[] = [
  ...metaMigrations,
  ...accountMigrations,
  ...hubMigrations,
  ...collabMigrations,
  ...spaceRuntimeMigrations,
];

export interface Atrium {
  /** Base URL the server listens on, e.g. http://127.0.0.1:41234. */
  url: string;
  port: number;
  server: http.Server;
  services: Services;
  /** Stops accepting, closes sockets and sandboxes, flushes and closes the database. Idempotent. */
  close: () => Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /**
   * Sandboxes on this driver instead of the configured engine, with no image to build (tests run
   * kernel and Space lifecycles on `LocalProcessDriver` without Docker).
   */
  sandboxDriver?: SandboxDriver;
}

/** Opens the data directory, builds the services and starts listening. */
export async function startAtrium(
  config: Config = loadConfig(),
  options: StartOptions = {},
): Promise<Atrium> {
  const log = options.log ?? createLogger(config.logLevel);
  // Everyone's content and secrets live here: owner-only, whatever the umask (server/src/atRest).
  ensurePrivateDir(config.dataDir);
  const secretBox = new SecretBox(loadSecretKey(config.dataDir, config.secretKey));
  // One process per PostgreSQL database: a second one refuses to start (db/oneProcessLock.ts).
  const releaseLock = config.databaseUrl ? await holdOneProcessLock(config.databaseUrl, log) : async () => {};
  const db = await openDatabase(
    {
      file: path.join(config.dataDir, 'atrium.db'),
      url: config.databaseUrl,
      onConnectionError: (err) => log.warn({ err }, 'a PostgreSQL connection broke; the pool replaces it'),
    },
    migrations,
  ).catch(async (err) => {
    await releaseLock();
    throw err;
  });
  const meta = sqlMetaStore(db);
  await sealPlaintextSecretsOnce(db, meta, secretBox, log);
  const accounts = sqlAccountStore(db);
  const shutdownHooks: (() => Promise<void> | void)[] = [];
  const hub = await createHub(db, await openBlobStore(config), meta);
  const modelCache = new ModelCache(hub, modelCacheDir(config.dataDir), {
    upstream: config.upstreamHub,
    onProgress: (p) => {
      if (p.source === 'upstream' && p.filesDone === p.filesTotal)
        log.info({ model: p.id, files: p.filesTotal, bytes: p.bytesDone }, 'pulled from the upstream hub');
    },
  });
  const accessEvents = inProcessAccessEvents(log);
  const liveAccess = new LiveAccess(
    accessEvents,
    (identity, repoId) => permissionOnStored(services, identity, repoId),
    log.child({ concern: 'access' }),
  );
  // Sandboxes lose a model within the change that took its access away (models/sandboxViews).
  accessEvents.subscribe((change) =>
    change.kind === 'token-revoked' || change.kind === 'session-ended'
      ? undefined
      : services.runtime.models?.onAccessChanged(),
  );
  const services: Services = {
    config,
    log,
    db,
    meta,
    accounts,
    hub,
    modelCache,
    resolveIdentity: identityResolver(accounts),
    accessEvents,
    liveAccess,
    health: new HealthChecks(),
    runtime: await Runtime.create(config, meta, log, {
      driver: options.sandboxDriver,
      makeModelViews: (driver, instanceId) =>
        new ModelViews({
          cache: modelCache,
          hub,
          readerFor: (principal) => sandboxReader(services, principal),
          chooseStorage: () =>
            chooseViewStorage({
              driver,
              labels: { [SandboxLabel.instance]: instanceId, [SandboxLabel.purpose]: 'models' },
              foldersRoot: path.join(config.dataDir, 'model-views'),
              log,
            }),
          log: log.child({ concern: 'models' }),
        }),
    }),
    onShutdown: (hook) => shutdownHooks.push(hook),
    secretBox,
    work: new TaskWorker(new URL('./work/workerMain.js', import.meta.url), taskWorkerLimits, log),
    gradio: new GradioApps(new UploadQuota(config.demoUploadQuotaBytes)),
    collab: createCollab(
      { db, log, config, accessEvents, onShutdown: (hook) => shutdownHooks.push(hook) },
      () => services,
    ),
    notebooks: undefined as unknown as NotebookKernels,
    spaceRuntimes: undefined as unknown as Services['spaceRuntimes'],
  };
  services.notebooks = new NotebookKernels({
    collab: services.collab,
    kernels: () => services.runtime.kernels,
    log: log.child({ concern: 'notebooks' }),
    provideModels: (kernelId, ids) => services.runtime.kernels.provideModels(kernelId, ids),
    exists: async (repoId) => {
      const [owner = '', name = ''] = repoId.split('/');
      return (await services.hub.repos.find('notebook', owner, name)) !== undefined;
    },
    events: accessEvents,
  });
  services.onShutdown(() => services.work.close());
  services.onShutdown(() => services.notebooks.close());
  services.onShutdown(() => services.gradio.close());
  services.spaceRuntimes = createSpaceRuntimes(services);
  services.health.register('database', databaseCheck(services), { maxAgeMs: 2000 });
  services.health.register('blobs', () => services.hub.blobs.check(), { maxAgeMs: 2000 });
  services.health.register('docker', services.runtime.dockerHealth, { maxAgeMs: 2000 });
  services.health.register('sandboxImage', services.runtime.imageHealth);
  services.health.register('pythonSandboxImage', services.runtime.pythonImageHealth);
  services.health.register('sandboxOutput', services.runtime.outputHealth);
  // Sandboxes are removed on shutdown; start-up never waits for Docker or an image build.
  services.onShutdown(() => services.runtime.close());
  void services.runtime.startInBackground();
  if (config.seed) await runSeeds(services, [...baseSeeds, ...modelSeeds, ...demoSeeds]);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('etag', false);
  app.use(bodyDeadline({ timeoutMs: config.bodyTimeoutMs, minBytesPerSecond: config.bodyMinRate, log }));
  app.use(baseSecurityHeaders);
  const clientDir = findClientDir(config.clientDir);
  if (clientDir) app.use('/assets', serveClientAssets(clientDir));
  app.use(authenticate(services.resolveIdentity));
  app.use(csrfProtection());
  mountRoutes(app, services);
  app.use('/api', notFoundHandler);
  if (clientDir) app.use(serveClient(clientDir));
  app.use(notFoundHandler);
  app.use(errorMiddleware(log));

  const server = http.createServer(app);
  // Slow-loris guard without cutting long downloads or streams short (bodies: bodyDeadline).
  server.headersTimeout = 30_000;
  server.requestTimeout = 0;
  // Node's 5 s idle keep-alive races clients that pause between requests (the Hub client hashing a
  // 50 MB file under load reused a socket the server was closing: ECONNRESET). Longer than a proxy's
  // usual 60 s idle timeout, so the proxy, not Atrium, closes idle connections.
  server.keepAliveTimeout = 65_000;
  routeUpgrades(server, upgradeRoutes(services), log);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host}:${port}`;
  log.info({ url, dataDir: config.dataDir, client: clientDir ?? 'not built' }, 'Atrium is listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const hook of shutdownHooks.reverse()) {
        try {
          await hook();
        } catch (err) {
          log.warn({ err }, 'shutdown hook failed');
        }
      }
      server.closeIdleConnections();
      server.closeAllConnections();
      await closed;
      // Storage closes last: shutdown hooks (Spaces, notebooks, live documents) and requests still
      // being answered read and write blobs and rows until here.
      try {
        services.hub.blobs.close();
      } catch (err) {
        log.warn({ err }, 'closing the blob store failed');
      }
      await db.close();
      await releaseLock();
      log.info('Atrium stopped');
    })();
    return closing;
  };

  return { url, port, server, services, close };
}

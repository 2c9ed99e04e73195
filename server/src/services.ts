import type { AccountStore } from './accounts/AccountStore.js';
import type { SecretBox } from './atRest/SecretBox.js';
import type { AccessEvents } from './auth/AccessEvents.js';
import type { ResolveIdentity } from './auth/authenticate.js';
import type { LiveAccess } from './auth/LiveAccess.js';
import type { CollabServer } from './collab/CollabServer.js';
import type { Config } from './config.js';
import type { MetaStore } from './db/metaStore.js';
import type { Database } from './db/openDatabase.js';
import type { HealthChecks } from './health/HealthChecks.js';
import type { Hub } from './hub/hub.js';
import type { Logger } from './logger.js';
import type { ModelCache } from './models/ModelCache.js';
import type { NotebookKernels } from './notebooks/NotebookKernels.js';
import type { Runtime } from './runtime/Runtime.js';
import type { GradioApps } from './spaces/gradio/GradioApps.js';
import type { SpaceRuntimes } from './spaces/runtime/SpaceRuntimes.js';
import type { TaskWorker } from './work/TaskWorker.js';

/** Everything a handler or command may need, built once per server in app.ts. */
export interface Services {
  config: Config;
  log: Logger;
  /** SQLite (default) or PostgreSQL behind one Kysely (server/src/db). */
  db: Database;
  meta: MetaStore;
  accounts: AccountStore;
  /** Repositories, commits and the blob store (server/src/hub). */
  hub: Hub;
  /** Models materialised for sandboxes, each of which sees its own view at /models (server/src/models). */
  modelCache: ModelCache;
  resolveIdentity: ResolveIdentity;
  /** Where commands announce changes of access (collaborators, visibility, members, tokens, log out): auth/README.md. */
  accessEvents: AccessEvents;
  /** Open connections and what access they hold; re-checked on every access change (auth/README.md). */
  liveAccess: LiveAccess;
  health: HealthChecks;
  /** Live documents (server/src/collab): the y-websocket room core and server-side document holds. */
  collab: CollabServer;
  /** Sandboxes and kernels (server/src/runtime): `runtime.kernels.execute(id, request, onMessage)`. */
  runtime: Runtime;
  /** Running demos behind the Gradio-compatible API, by Space id (server/src/spaces/gradio). */
  gradio: GradioApps;
  /** Spaces' apps: stages, logs, restart on commit, sleep/wake, variables and secrets (server/src/spaces/runtime). */
  spaceRuntimes: SpaceRuntimes;
  /** Notebooks' shared kernels and execution queues (server/src/notebooks). */
  notebooks: NotebookKernels;
  /** Seals secrets stored in the database, with a key kept outside it (server/src/atRest). */
  secretBox: SecretBox;
  /** Heavy parsing of large request bodies, off the event loop and within limits (server/src/work). */
  work: TaskWorker;
  /** Run in reverse order of registration on shutdown, before the database closes. */
  onShutdown: (hook: () => Promise<void> | void) => void;
}

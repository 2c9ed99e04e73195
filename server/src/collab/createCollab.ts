import type { Services } from '../services.js';
import { CollabServer } from './CollabServer.js';
import { hubDocumentAccess } from './hubDocumentAccess.js';
import { hubDocumentSeeder } from './hubDocumentSeeder.js';
import { sqliteCollabStore } from './sqliteCollabStore.js';
import { UpdateDecoder } from './UpdateDecoder.js';

/** Builds the room core on the server's database, hub permissions and a decoding worker. */
export function createCollab(
  services: Pick<Services, 'db' | 'log' | 'config' | 'onShutdown'>,
  all: () => Services,
): CollabServer {
  const decoder = new UpdateDecoder(new URL('./decodeWorker.js', import.meta.url), services.log);
  const collab = new CollabServer({
    store: sqliteCollabStore(services.db),
    access: { permission: (identity, doc) => hubDocumentAccess(all()).permission(identity, doc) },
    seeder: { stateOf: (doc) => hubDocumentSeeder(all()).stateOf(doc) },
    decoder,
    log: services.log.child({ concern: 'collab' }),
    idleMs: services.config.collabIdleMs,
    docMaxBytes: services.config.collabDocMaxBytes,
  });
  services.onShutdown(async () => {
    collab.close();
    await decoder.close();
  });
  return collab;
}

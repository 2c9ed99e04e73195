import { collabDocumentName } from '@atrium/protocol';
import { markLostRuns } from '../notebooks/lostRuns.js';
import type { Services } from '../services.js';
import { CollabServer } from './CollabServer.js';
import { hubDocumentAccess } from './hubDocumentAccess.js';
import { hubDocumentSeeder } from './hubDocumentSeeder.js';
import { sqlCollabStore } from './sqlCollabStore.js';
import { UpdateDecoder } from './UpdateDecoder.js';

/** Builds the room core on the server's database, hub permissions and a decoding worker. */
export function createCollab(
  services: Pick<Services, 'db' | 'log' | 'config' | 'onShutdown' | 'accessEvents'>,
  all: () => Services,
): CollabServer {
  const decoder = new UpdateDecoder(new URL('./decodeWorker.js', import.meta.url), services.log);
  const access = () => hubDocumentAccess(all());
  const collab = new CollabServer({
    store: sqlCollabStore(services.db),
    access: {
      canonical: (doc) => access().canonical(doc),
      permission: (identity, doc) => access().permission(identity, doc),
      changesHeard: () => access().changesHeard(),
      watch: (connection, since) => access().watch(connection, since),
    },
    seeder: { stateOf: (doc) => hubDocumentSeeder(all()).stateOf(doc) },
    decoder,
    log: services.log.child({ concern: 'collab' }),
    // A notebook loaded after a crash may still say a cell is running: it is not, its kernel is gone.
    onLoad: (ref, doc) => {
      if (ref.kind !== 'notebook') return;
      const cells = markLostRuns(doc, 'kernel-lost');
      if (cells > 0)
        services.log.info(
          { doc: ref.name, cells },
          'cells left running by a stopped server marked as interrupted',
        );
    },
    idleMs: services.config.collabIdleMs,
    docMaxBytes: services.config.collabDocMaxBytes,
  });
  // A live document follows its repository: renamed, it moves (unsaved edits too); deleted, it goes.
  services.accessEvents.subscribe((change) => {
    if (change.kind !== 'repo-moved' && change.kind !== 'repo-deleted') return;
    const kind = change.repoType;
    if (kind !== 'notebook' && kind !== 'space') return;
    const done =
      change.kind === 'repo-moved'
        ? collab.moveDocument(collabDocumentName(kind, change.from), collabDocumentName(kind, change.to))
        : collab.removeDocument(collabDocumentName(kind, change.name));
    done.catch((err) => services.log.error({ err, change }, 'moving or removing a live document failed'));
  });
  services.onShutdown(async () => {
    await collab.close();
    await decoder.close();
  });
  return collab;
}

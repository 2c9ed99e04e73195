import { collabDocumentName } from '@atrium/protocol';
import type { AccessEvents } from '../auth/AccessEvents.js';
import type { CollabServer } from '../collab/CollabServer.js';
import type { DocumentRef } from '../collab/documentName.js';
import type { Logger } from '../logger.js';
import type { KernelManager } from '../runtime/KernelManager.js';
import { NotebookSession } from './NotebookSession.js';

/** Every notebook's session (queue + shared kernel), created on first run, one per document. */
export class NotebookKernels {
  private readonly sessions = new Map<string, NotebookSession>();

  constructor(
    private readonly deps: {
      collab: CollabServer;
      kernels: () => KernelManager;
      log: Logger;
      provideModels?: (kernelId: string, ids: string[]) => Promise<unknown>;
      /** Whether a notebook repository (`owner/name`) still exists. */
      exists?: (repoId: string) => Promise<boolean>;
      /** Access changes: a notebook deleted or renamed ends its session and kernel at once. */
      events?: AccessEvents;
    },
  ) {
    deps.events?.subscribe((change) => {
      if (change.kind === 'repo-deleted' && change.repoType === 'notebook')
        void this.end(collabDocumentName('notebook', change.name));
      if (change.kind === 'repo-moved' && change.repoType === 'notebook')
        void this.end(collabDocumentName('notebook', change.from));
    });
  }

  /** The session of a notebook, created if needed; `owner` is the account its kernel counts against. */
  session(ref: DocumentRef): NotebookSession {
    let s = this.sessions.get(ref.name);
    if (!s || s.closed) {
      const owner = ref.repoId.split('/')[0] ?? ref.repoId;
      s = new NotebookSession(ref, owner, {
        collab: this.deps.collab,
        kernels: this.deps.kernels(),
        log: this.deps.log,
        provideModels: this.deps.provideModels,
        exists: this.deps.exists
          ? () => (this.deps.exists as (id: string) => Promise<boolean>)(ref.repoId)
          : undefined,
      });
      this.sessions.set(ref.name, s);
    }
    return s;
  }

  /** The session if one exists (status without starting anything). */
  find(name: string): NotebookSession | undefined {
    return this.sessions.get(name);
  }

  /** Ends a notebook's session and kernel (the notebook was deleted or renamed). */
  async end(name: string): Promise<void> {
    const s = this.sessions.get(name);
    this.sessions.delete(name);
    await s?.close();
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
    this.sessions.clear();
  }
}

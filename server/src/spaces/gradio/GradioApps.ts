import type { UploadQuota } from '../../quota/UploadQuota.js';
import type { DemoBackend } from './DemoBackend.js';
import { GradioApp, type GradioAppOptions } from './GradioApp.js';

/**
 * The running demos, by Space id ("owner/name"). The Space runtime registers a demo when its app
 * reaches RUNNING and unregisters it when it stops; the routes look demos up here.
 */
export class GradioApps {
  private readonly apps = new Map<string, GradioApp>();

  constructor(
    /** What each person may hold in demo uploads, across every app. */
    readonly uploadQuota?: UploadQuota,
  ) {}

  /** Serves `backend` for `spaceId`, replacing (and closing) any previous app of that Space. */
  async register(spaceId: string, backend: DemoBackend, options?: GradioAppOptions): Promise<GradioApp> {
    const app = await GradioApp.create(backend, { uploadQuota: this.uploadQuota, ...options });
    const unheard = this.apps.get(spaceId)?.close();
    if (unheard) app.adoptSessions(unheard);
    this.apps.set(spaceId, app);
    return app;
  }

  unregister(spaceId: string): void {
    this.apps.get(spaceId)?.close();
    this.apps.delete(spaceId);
  }

  get(spaceId: string): GradioApp | undefined {
    return this.apps.get(spaceId);
  }

  close(): void {
    for (const app of this.apps.values()) app.close();
    this.apps.clear();
  }
}

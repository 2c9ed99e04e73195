import type { Request } from 'express';
import { atLeast, permissionOn } from '../../hub/access.js';
import { fullId } from '../../hub/views.js';
import type { Services } from '../../services.js';
import type { GradioApp } from './GradioApp.js';
import type { WatchGradioAccess } from './handlers.js';

/** Where a Space's app URL is mounted (protocol's spaceAppPath with route parameters). */
export const SPACE_APP_ROUTE = '/spaces/:owner/:name/app';

/** The Space id ("owner/name") an app URL request names. */
export const spaceIdOf = (req: Request) => `${req.params.owner}/${req.params.name}`;

const spaceOf = (services: Services, req: Request) =>
  services.hub.repos.find('space', String(req.params.owner), String(req.params.name));

/**
 * The running app an app URL names, if the caller may read its Space: a private Space's app is
 * "not found" to others, exactly like its repository. Any spelling of the Space's name reaches its
 * one app. An app registered without a Space repository (development, tests) is served as is.
 */
export function resolveSpaceApp(services: Services) {
  return async (req: Request): Promise<GradioApp | undefined> => {
    const repo = await spaceOf(services, req);
    const app = services.gradio.get(repo ? fullId(repo) : spaceIdOf(req));
    if (!app) return undefined;
    if (repo && !atLeast(await permissionOn(services, req.identity, repo), 'read')) return undefined;
    return app;
  };
}

/** An app session's stream ends as soon as its caller may no longer read the Space (auth/README.md). */
export function watchSpaceAccess(services: Services): WatchGradioAccess {
  return async (req, lost) => {
    const repo = await spaceOf(services, req);
    if (!repo) return () => {};
    return services.liveAccess.claim({
      identity: req.identity,
      repoId: repo.id,
      need: 'read',
      lost: (_code, reason) => lost(`This Space is no longer available to you: ${reason}`),
    });
  };
}

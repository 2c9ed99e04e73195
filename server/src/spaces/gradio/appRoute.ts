import type { Request } from 'express';
import { atLeast, permissionOn } from '../../hub/access.js';
import type { Services } from '../../services.js';
import type { GradioApp } from './GradioApp.js';

/** Where a Space's app URL is mounted (protocol's spaceAppPath with route parameters). */
export const SPACE_APP_ROUTE = '/spaces/:owner/:name/app';

/** The Space id ("owner/name") an app URL request names. */
export const spaceIdOf = (req: Request) => `${req.params.owner}/${req.params.name}`;

/**
 * The running app an app URL names, if the caller may read its Space: a private Space's app is
 * "not found" to others, exactly like its repository. An app registered without a Space repository
 * (development, tests) is served as is.
 */
export function resolveSpaceApp(services: Services) {
  return async (req: Request): Promise<GradioApp | undefined> => {
    const app = services.gradio.get(spaceIdOf(req));
    if (!app) return undefined;
    const repo = await services.hub.repos.find('space', String(req.params.owner), String(req.params.name));
    if (repo && !atLeast(await permissionOn(services, req.identity, repo), 'read')) return undefined;
    return app;
  };
}

import type { Request } from 'express';

/** Where a Space's app URL is mounted (protocol's spaceAppPath with route parameters). */
export const SPACE_APP_ROUTE = '/spaces/:owner/:name/app';

/** The Space id ("owner/name") an app URL request names. */
export const spaceIdOf = (req: Request) => `${req.params.owner}/${req.params.name}`;

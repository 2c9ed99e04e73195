import type { IncomingMessage } from 'node:http';
import { forbidden } from '../errors.js';
import type { ResolveIdentity } from './authenticate.js';
import type { Identity } from './Identity.js';

/**
 * Whether an `Origin` header names Atrium itself: the origin of `publicUrl` when it is set, else
 * the request's own Host (any scheme). `null` (sandboxed frames, opaque origins) and unparsable
 * values are foreign.
 */
export function isOwnOrigin(
  origin: string,
  host: string | undefined,
  publicUrl: string | undefined,
): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (publicUrl) return parsed.origin === new URL(publicUrl).origin;
  return host !== undefined && parsed.host === host;
}

/**
 * WebSockets are not covered by CORS, and browsers send the session cookie on upgrades from any page
 * of the same site (another port of the same host included): a cookie-authenticated upgrade must come
 * from Atrium's own origin. Tokens are explicit and requests without an Origin (scripts, servers)
 * carry no borrowed authority, so both pass. Throws 403 `cross_origin`.
 */
export function refuseForeignCookieUpgrade(
  req: IncomingMessage,
  identity: Identity,
  publicUrl: string | undefined,
): void {
  const origin = req.headers.origin;
  if (identity.via !== 'session' || origin === undefined) return;
  if (!isOwnOrigin(origin, req.headers.host, publicUrl))
    throw forbidden(
      'WebSocket refused: a session cookie is only accepted from Atrium’s own origin (use a token from elsewhere)',
      'cross_origin',
    );
}

/** Who opens a WebSocket: resolved like any request, then held to the origin rule above. */
export async function identityOfUpgrade(
  resolve: ResolveIdentity,
  req: IncomingMessage,
  publicUrl: string | undefined,
): Promise<Identity> {
  const identity = await resolve(req);
  refuseForeignCookieUpgrade(req, identity, publicUrl);
  return identity;
}

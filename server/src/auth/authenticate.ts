import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { AccountStore } from '../accounts/AccountStore.js';
import { unauthorized } from '../errors.js';
import { cookiesOf, SESSION_COOKIE } from './cookies.js';
import { ANONYMOUS, type Identity } from './Identity.js';
import { hashSecret } from './secrets.js';

declare module 'express-serve-static-core' {
  interface Request {
    identity: Identity;
  }
}

// Writing last_used_at on every request would turn each read into a write; once a minute is plenty.
const TOUCH_INTERVAL_MS = 60_000;

/** Resolves who sent a request (HTTP or WebSocket upgrade) from a Bearer token or the session cookie. */
export function identityResolver(accounts: AccountStore) {
  const lastTouch = new Map<string, number>();

  return async function resolveIdentity(
    req: IncomingMessage & { cookies?: Record<string, string | undefined> },
  ): Promise<Identity> {
    const header = req.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1])
        throw unauthorized('Malformed Authorization header: expected "Bearer <token>"', 'bad_authorization');
      const found = await accounts.findToken(hashSecret(match[1]));
      if (!found) throw unauthorized('Invalid credentials in Authorization header', 'invalid_token');
      const now = Date.now();
      if ((lastTouch.get(found.token.id) ?? 0) + TOUCH_INTERVAL_MS < now) {
        lastTouch.set(found.token.id, now);
        await accounts.touchToken(found.token.id, new Date(now).toISOString());
      }
      return {
        user: found.user,
        via: 'token',
        tokenRole: found.token.role,
        tokenId: found.token.id,
        tokenName: found.token.displayName,
        sessionId: null,
      };
    }
    const session = cookiesOf(req)[SESSION_COOKIE];
    if (session) {
      const sessionId = hashSecret(session);
      const user = await accounts.userOfSession(sessionId, Date.now());
      // An expired or unknown session cookie is treated as no session: the page shows "log in".
      if (user) return { user, via: 'session', tokenRole: null, tokenId: null, tokenName: null, sessionId };
    }
    return ANONYMOUS;
  };
}

export type ResolveIdentity = ReturnType<typeof identityResolver>;

/** Express middleware putting `req.identity` on every request. */
export function authenticate(resolve: ResolveIdentity): RequestHandler {
  return async (req, _res, next) => {
    req.identity = await resolve(req);
    next();
  };
}

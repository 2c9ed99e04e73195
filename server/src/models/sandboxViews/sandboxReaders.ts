import { ANONYMOUS, type Identity } from '../../auth/Identity.js';
import { permissionOn } from '../../hub/access.js';
import type { Services } from '../../services.js';
import type { ModelReader } from '../ModelCache.js';

/**
 * Whose access decides what a sandbox sees at /models:
 * - `account`: a kernel's owner (a user, or the organization owning a notebook): public models plus
 *   every private one that account may read on the hub now (its own, its organizations', those it
 *   collaborates on);
 * - `space`: a Space's app, which anyone who can see the Space may call: public models plus the
 *   private ones of the Space's owner (not everything its owner happens to be able to read).
 */
export type SandboxPrincipal = { kind: 'account'; name: string } | { kind: 'space'; ownerId: string };

/** The reader for a principal, answering from the hub's records at the time of each question. */
export function sandboxReader(services: Services, principal: SandboxPrincipal): ModelReader {
  if (principal.kind === 'space') return (repo) => !repo.private || repo.ownerId === principal.ownerId;
  return async (repo) => {
    if (!repo.private) return true;
    const account = await services.accounts.findByName(principal.name);
    if (!account) return false;
    // An instance admin may read everything on the hub; code in their sandboxes (which collaborators
    // on their notebooks can run) gets only what their memberships and roles give.
    const identity: Identity = { ...ANONYMOUS, user: { ...account, isAdmin: false }, via: 'session' };
    return (await permissionOn(services, identity, repo)) !== 'none';
  };
}

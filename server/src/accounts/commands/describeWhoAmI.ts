import type { Identity } from '../../auth/Identity.js';
import { unauthorized } from '../../errors.js';
import type { AccountStore } from '../AccountStore.js';
import { avatarUrl } from '../views.js';

/** `GET /api/whoami-v2` in the Hugging Face Hub's JSON shape, so @huggingface/hub's whoAmI works. */
export async function describeWhoAmI(accounts: AccountStore, identity: Identity) {
  const user = identity.user;
  if (!user) throw unauthorized('Invalid credentials in Authorization header', 'invalid_token');
  const memberships = await accounts.membershipsOfUser(user.id);
  return {
    type: 'user' as const,
    id: user.id,
    name: user.name,
    fullname: user.fullname,
    email: user.email,
    emailVerified: user.email !== null,
    canPay: false,
    periodEnd: null,
    isPro: false,
    avatarUrl: avatarUrl(user.name),
    isAdmin: user.isAdmin,
    orgs: memberships.map((m) => ({
      type: 'org' as const,
      id: m.org.id,
      name: m.org.name,
      fullname: m.org.fullname,
      email: null,
      canPay: false,
      periodEnd: null,
      avatarUrl: avatarUrl(m.org.name),
      roleInOrg: m.role,
      isEnterprise: false,
    })),
    auth:
      identity.via === 'token'
        ? { type: 'access_token', accessToken: { displayName: identity.tokenName, role: identity.tokenRole } }
        : { type: 'cookie' },
  };
}

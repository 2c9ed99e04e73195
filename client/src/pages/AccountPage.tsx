import type { OrgProfileView, UserProfileView } from '@atrium/protocol';
import { useParams } from 'react-router-dom';
import { ApiError, accountsApi } from '../api';
import { usePageTitle } from '../hooks/usePageTitle';
import { useResource } from '../hooks/useResource';
import { NotFound } from './NotFound';
import { OrganizationPage } from './OrganizationPage';
import { UserPage } from './UserPage';

type Account = { kind: 'user'; user: UserProfileView } | { kind: 'org'; org: OrgProfileView };

/** A name is a user or an organization (one namespace, as on the Hub): ask for a user, then an org. */
async function loadAccount(name: string): Promise<Account> {
  try {
    return { kind: 'user', user: await accountsApi.user(name) };
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
  return { kind: 'org', org: await accountsApi.org(name) };
}

/** `/:name`: the profile page of a user or an organization. */
export function AccountPage() {
  const name = useParams().name ?? '';
  usePageTitle(name);
  const { resource, reload } = useResource(name, () => loadAccount(name));
  if (resource.state === 'loading') return <p className="muted page-loading">Loading…</p>;
  if (resource.state === 'failed') {
    return resource.status === 404 ? (
      <NotFound message={`No user or organization is called “${name}”.`} />
    ) : (
      <NotFound message={resource.error} />
    );
  }
  const account = resource.data;
  return account.kind === 'user' ? (
    <UserPage user={account.user} />
  ) : (
    <OrganizationPage org={account.org} onChange={reload} />
  );
}

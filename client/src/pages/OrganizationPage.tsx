import type { OrgProfileView, OrgRole } from '@atrium/protocol';
import { Link } from 'react-router-dom';
import { accountsApi } from '../api';
import { useSession } from '../auth';
import { Avatar, ErrorMessage, ProfileHeader } from '../components';
import { useAction } from '../hooks/useAction';
import { AddMemberForm } from './AddMemberForm';
import { OwnerRepos } from './OwnerRepos';

export const ROLES: OrgRole[] = ['admin', 'write', 'read'];

/** An organization's page: its members, and for its admins the controls to manage them. */
export function OrganizationPage({ org, onChange }: { org: OrgProfileView; onChange: () => void }) {
  const { session, refresh } = useSession();
  const me = session.user?.name;
  const isAdmin = org.members.some((m) => m.user === me && m.role === 'admin');
  const isMember = org.members.some((m) => m.user === me);
  const change = useAction(async (work: () => Promise<unknown>) => {
    await work();
    onChange();
    await refresh();
  });
  return (
    <div className="profile">
      <ProfileHeader name={org.name} fullname={org.fullname} avatarUrl={org.avatarUrl} org />
      <div className="profile-body">
        <aside className="card profile-aside">
          <h3>Members ({org.members.length})</h3>
          <ErrorMessage message={change.error} />
          <ul className="plain-list member-list" aria-label="Members">
            {org.members.map((m) => (
              <li key={m.user}>
                <Link to={`/${m.user}`} className="inline-account member-name" title={m.user}>
                  <Avatar src={`/api/avatars/${encodeURIComponent(m.user)}.svg`} name={m.user} size={24} />
                  <span>{m.user}</span>
                  {m.user === me && <span className="muted small">(you)</span>}
                </Link>
                {isAdmin ? (
                  <span className="member-controls">
                    <select
                      aria-label={`Role of ${m.user}`}
                      value={m.role}
                      disabled={change.pending}
                      onChange={(e) =>
                        change.run(() => accountsApi.setMember(org.name, m.user, e.target.value as OrgRole))
                      }
                    >
                      {ROLES.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                    <button
                      type="button"
                      className="icon-button danger"
                      aria-label={`Remove ${m.user}`}
                      title={`Remove ${m.user}`}
                      disabled={change.pending}
                      onClick={() => change.run(() => accountsApi.removeMember(org.name, m.user))}
                    >
                      ×
                    </button>
                  </span>
                ) : (
                  <span className="badge">{m.role}</span>
                )}
              </li>
            ))}
          </ul>
          {isAdmin && <AddMemberForm org={org.name} onAdded={onChange} />}
          {isMember && !isAdmin && me && (
            <button
              type="button"
              className="button button-danger button-small"
              disabled={change.pending}
              onClick={() => change.run(() => accountsApi.removeMember(org.name, me))}
            >
              Leave organization
            </button>
          )}
        </aside>
        <OwnerRepos owner={org.name} />
      </div>
    </div>
  );
}

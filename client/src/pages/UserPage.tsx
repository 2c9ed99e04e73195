import type { UserProfileView } from '@atrium/protocol';
import { Link } from 'react-router-dom';
import { Avatar, ProfileHeader, RelativeTime } from '../components';
import { OwnerRepos } from './OwnerRepos';

/** A user's public page: who they are, their organizations, and (later) what they published. */
export function UserPage({ user }: { user: UserProfileView }) {
  return (
    <div className="profile">
      <ProfileHeader name={user.name} fullname={user.fullname} avatarUrl={user.avatarUrl}>
        {user.isAdmin && <span className="badge">Instance admin</span>}
      </ProfileHeader>
      <div className="profile-body">
        <aside className="card profile-aside">
          <h3>Organizations</h3>
          {user.orgs.length === 0 ? (
            <p className="muted">Not a member of any organization.</p>
          ) : (
            <ul className="plain-list">
              {user.orgs.map((org) => (
                <li key={org.name}>
                  <Link to={`/${org.name}`} className="inline-account">
                    <Avatar src={org.avatarUrl} name={org.name} size={24} org />
                    {org.fullname || org.name}
                  </Link>
                </li>
              ))}
            </ul>
          )}
          <p className="muted small">
            Joined <RelativeTime iso={user.createdAt} />
          </p>
        </aside>
        <OwnerRepos owner={user.name} />
      </div>
    </div>
  );
}

import type { WhoAmIView } from '@atrium/protocol';
import { Link, useNavigate } from 'react-router-dom';
import { useSession } from '../auth';
import { Avatar } from './Avatar';
import { Menu } from './Menu';

/** The signed-in person's menu: profile, organizations, settings, log out. */
export function UserMenu({ user }: { user: WhoAmIView }) {
  const { logOut } = useSession();
  const navigate = useNavigate();
  const onLogOut = async () => {
    await logOut();
    navigate('/');
  };
  return (
    <Menu label="User menu" button={<Avatar src={user.avatarUrl} name={user.name} size={30} />}>
      <div className="menu-header">
        <span className="muted small">Signed in as</span>
        <strong>{user.name}</strong>
        {user.fullname && user.fullname !== user.name && <span className="muted">{user.fullname}</span>}
      </div>
      <Link role="menuitem" to={`/${user.name}`}>
        Profile
      </Link>
      {user.orgs.map((org) => (
        <Link role="menuitem" key={org.name} to={`/${org.name}`}>
          {org.fullname || org.name}
        </Link>
      ))}
      <Link role="menuitem" to="/settings/tokens">
        Settings
      </Link>
      <hr />
      <button type="button" role="menuitem" onClick={onLogOut}>
        Log out
      </button>
    </Menu>
  );
}

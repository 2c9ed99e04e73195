import { Link, NavLink } from 'react-router-dom';
import { useSession } from '../auth';
import { NewMenu } from './NewMenu';
import { SearchBox } from './SearchBox';
import { UserMenu } from './UserMenu';

/** The top bar on every page. Later issues add their sections to `sections`. */
const sections = [
  { to: '/models', label: 'Models' },
  { to: '/spaces', label: 'Spaces' },
  { to: '/notebooks', label: 'Notebooks' },
];

export function NavBar() {
  const { session } = useSession();
  return (
    <header className="navbar">
      <div className="navbar-inner">
        <Link to="/" className="logo">
          <span className="logo-mark" aria-hidden="true">
            A
          </span>
          Atrium
        </Link>
        <SearchBox />
        <nav className="nav-links" aria-label="Main">
          {sections.map((s) => (
            <NavLink key={s.to} to={s.to} end>
              {s.label}
            </NavLink>
          ))}
        </nav>
        <div className="nav-account">
          {session.status === 'signedIn' && (
            <>
              <NewMenu />
              <UserMenu user={session.user} />
            </>
          )}
          {session.status === 'signedOut' && (
            <>
              <Link to="/login" className="nav-plain">
                Log in
              </Link>
              <Link to="/signup" className="button button-primary button-small">
                Sign up
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

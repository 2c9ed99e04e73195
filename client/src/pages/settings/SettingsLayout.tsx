import { NavLink, Outlet } from 'react-router-dom';

/** Settings pages share a side menu; later issues add their own entries here. */
const entries = [
  { to: '/settings/tokens', label: 'Access Tokens' },
  { to: '/settings/storage', label: 'Storage' },
];

export function SettingsLayout() {
  return (
    <div className="settings">
      <nav className="settings-nav card" aria-label="Settings">
        <h3>Settings</h3>
        {entries.map((e) => (
          <NavLink key={e.to} to={e.to}>
            {e.label}
          </NavLink>
        ))}
      </nav>
      <div className="settings-content">
        <Outlet />
      </div>
    </div>
  );
}

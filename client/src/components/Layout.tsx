import { Outlet } from 'react-router-dom';
import { NavBar } from './NavBar';

/** The one layout: top navigation, the page, a quiet footer. */
export function Layout() {
  return (
    <div className="app">
      <NavBar />
      <main className="page">
        <Outlet />
      </main>
      <footer className="footer muted">Atrium — open AI demos and collaborative notebooks</footer>
    </div>
  );
}

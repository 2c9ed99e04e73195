import { createBrowserRouter, Navigate, RouterProvider } from 'react-router-dom';
import { RequireSignIn, SessionProvider } from './auth';
import { Layout } from './components';
import { AccountPage } from './pages/AccountPage';
import { Home } from './pages/Home';
import { LogIn } from './pages/LogIn';
import { NewOrganization } from './pages/NewOrganization';
import { NotFound } from './pages/NotFound';
import { repoRoutes } from './pages/repo/routes';
import { SignUp } from './pages/SignUp';
import { SettingsLayout } from './pages/settings/SettingsLayout';
import { Storage } from './pages/settings/Storage';
import { Tokens } from './pages/settings/Tokens';
import { SPACE_TABS, type SpaceTab } from './pages/space/spaceTabs';

/**
 * The client route table: every page of Atrium, in one list. Add new pages here; fixed paths go
 * above the `/:name` catch-all for users and organizations.
 */
const router = createBrowserRouter([
  // Embed pages are the app or the notebook alone (no navigation), for iframes on other sites.
  {
    path: '/embed/spaces/:owner/:name',
    lazy: async () => ({ Component: (await import('./pages/space')).EmbedPage }),
  },
  {
    path: '/embed/notebooks/:owner/:name',
    lazy: async () => {
      const { NotebookPage } = await import('./pages/notebook');
      return { element: <NotebookPage embedded /> };
    },
  },
  {
    element: <Layout />,
    children: [
      { path: '/', element: <Home /> },
      { path: '/signup', element: <SignUp /> },
      { path: '/login', element: <LogIn /> },
      {
        path: '/organizations/new',
        element: (
          <RequireSignIn>
            <NewOrganization />
          </RequireSignIn>
        ),
      },
      {
        path: '/settings',
        element: (
          <RequireSignIn>
            <SettingsLayout />
          </RequireSignIn>
        ),
        children: [
          { index: true, element: <Navigate to="/settings/tokens" replace /> },
          { path: 'tokens', element: <Tokens /> },
          { path: 'storage', element: <Storage /> },
        ],
      },
      {
        path: '/notebooks/new',
        // Notebook pages carry CodeMirror: loaded on first visit, not with every page.
        lazy: async () => {
          const { NewNotebook } = await import('./pages/notebook');
          return {
            element: (
              <RequireSignIn>
                <NewNotebook />
              </RequireSignIn>
            ),
          };
        },
      },
      {
        path: '/notebooks/:owner/:name',
        lazy: async () => ({ Component: (await import('./pages/notebook')).NotebookPage }),
      },
      // Spaces (pages/space): every tab under the Space's banner; they carry Monaco and @gradio/client,
      // loaded on first visit. `/runtime` was the Settings tab's address before it took `/settings`.
      ...Object.entries(SPACE_TABS).map(([tab, { path: suffix }]) => ({
        path: suffix ? `/spaces/:owner/:name/${suffix}` : '/spaces/:owner/:name',
        lazy: async () => {
          const { SpacePage } = await import('./pages/space');
          return { element: <SpacePage tab={tab as SpaceTab} /> };
        },
      })),
      {
        path: '/spaces/:owner/:name/runtime',
        element: <Navigate to="../settings" relative="path" replace />,
      },
      {
        path: '/spaces/new',
        lazy: async () => {
          const { NewSpace } = await import('./pages/space');
          return {
            element: (
              <RequireSignIn>
                <NewSpace />
              </RequireSignIn>
            ),
          };
        },
      },
      { path: '/explore', lazy: async () => ({ Component: (await import('./pages/explore')).ExplorePage }) },
      // One list page per kind, with search, sort and task filters (pages/explore).
      ...(['space', 'model', 'notebook'] as const).map((type) => ({
        path: `/${type}s`,
        lazy: async () => {
          const { ExplorePage } = await import('./pages/explore');
          return { element: <ExplorePage key={type} defaultType={type} /> };
        },
      })),
      {
        path: '/search',
        lazy: async () => ({ Component: (await import('./pages/explore')).SearchPage }),
      },
      ...repoRoutes,
      { path: '/:name', element: <AccountPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

export function App() {
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}

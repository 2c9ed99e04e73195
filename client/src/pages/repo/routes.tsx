import type { RouteObject } from 'react-router-dom';
import { RequireSignIn } from '../../auth';
import { NewRepo } from './NewRepo';
import { RepoPage } from './RepoPage';

/** Repository pages with the Hub's URLs: models at `/owner/name`, Spaces and notebooks under their prefix. */
export const repoRoutes: RouteObject[] = [
  {
    path: '/new',
    element: (
      <RequireSignIn>
        <NewRepo />
      </RequireSignIn>
    ),
  },
  ...(['model', 'space', 'notebook'] as const).flatMap((type) => {
    const base = type === 'model' ? '/:owner/:name' : `/${type}s/:owner/:name`;
    return [
      // A notebook's own page (the live editor) belongs to pages/notebook; here only its files and history.
      // A Space's own page (its app, live files, logs) belongs to pages/space.
      ...(type !== 'model' ? [] : [{ path: base, element: <RepoPage type={type} view="card" /> }]),
      { path: `${base}/tree/:rev/*`, element: <RepoPage type={type} view="tree" /> },
      { path: `${base}/blob/:rev/*`, element: <RepoPage type={type} view="blob" /> },
      // A Space's history, duplicates and settings are tabs of its page, under its banner (pages/space).
      ...(type === 'space'
        ? []
        : [
            { path: `${base}/commits/:rev`, element: <RepoPage type={type} view="commits" /> },
            { path: `${base}/forks`, element: <RepoPage type={type} view="forks" /> },
            { path: `${base}/settings`, element: <RepoPage type={type} view="settings" /> },
          ]),
    ];
  }),
];

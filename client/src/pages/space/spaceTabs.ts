/**
 * The Space page's tabs and their paths under `/spaces/:owner/:name`, in the order the header shows
 * them, with the header's name for each and who sees it (`only`: writers, or admins). One table for
 * the route list (App.tsx) and the header, so a tab's name and page never part.
 */
export const SPACE_TABS = {
  app: { path: '', label: 'App' },
  files: { path: 'files', label: 'Files' },
  logs: { path: 'logs', label: 'Logs' },
  card: { path: 'card', label: 'Card' },
  history: { path: 'commits/:rev', label: 'History' },
  api: { path: 'api', label: 'Use via API' },
  duplicates: { path: 'forks', label: 'Duplicates' },
  settings: { path: 'settings', label: 'Settings', only: 'write' },
  repository: { path: 'repository', label: 'Repository', only: 'admin' },
} as const satisfies Record<string, { path: string; label: string; only?: 'write' | 'admin' }>;

/** One tab of the Space page. */
export type SpaceTab = keyof typeof SPACE_TABS;

/** The link to a tab of the Space `id` (history on main). */
export const spaceTabPath = (id: string, tab: SpaceTab) => {
  const suffix = SPACE_TABS[tab].path.replace(':rev', 'main');
  return suffix ? `/spaces/${id}/${suffix}` : `/spaces/${id}`;
};

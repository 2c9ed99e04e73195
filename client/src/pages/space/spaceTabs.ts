/**
 * The Space page's tabs and their paths under `/spaces/:owner/:name`, in the order the header shows
 * them. One table for the route list (App.tsx) and the header, so a tab's name and page never part.
 */
export const SPACE_TABS = {
  app: '',
  files: 'files',
  logs: 'logs',
  card: 'card',
  history: 'commits/:rev',
  api: 'api',
  duplicates: 'forks',
  settings: 'settings',
  repository: 'repository',
} as const;

/** One tab of the Space page. */
export type SpaceTab = keyof typeof SPACE_TABS;

/** The link to a tab of the Space `id` (history on main). */
export const spaceTabPath = (id: string, tab: SpaceTab) => {
  const suffix = SPACE_TABS[tab].replace(':rev', 'main');
  return suffix ? `/spaces/${id}/${suffix}` : `/spaces/${id}`;
};

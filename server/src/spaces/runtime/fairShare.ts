/** A running app as the cap sees it. */
export interface RunningApp {
  /** Whose it is: the Space's owner (a user or an organization). */
  owner: string;
  lastVisit: number;
}

/**
 * Which running app sleeps so one more can start under the cap, shared fairly between owners: the
 * owner with the most apps running (counting the one starting) gives one up, their least recently
 * visited; on a tie the starting owner gives it up. So one owner's Spaces can put only their own to
 * sleep, or those of an owner running at least as many. Null when there is room.
 */
export function appToSleep<T extends RunningApp>(
  running: readonly T[],
  startingOwner: string,
  cap: number,
): T | null {
  if (running.length < cap) return null;
  const counts = new Map<string, number>([[startingOwner, 1]]);
  for (const app of running) counts.set(app.owner, (counts.get(app.owner) ?? 0) + 1);
  const most = Math.max(...counts.values());
  // The starting owner's own apps go first on a tie; otherwise the owner whose coldest app is coldest.
  const candidates = (owner: string) => running.filter((a) => a.owner === owner);
  const coldest = (apps: readonly T[]) => [...apps].sort((a, b) => a.lastVisit - b.lastVisit)[0];
  if (counts.get(startingOwner) === most) {
    const own = coldest(candidates(startingOwner));
    if (own) return own;
  }
  const heaviest = running.filter((a) => counts.get(a.owner) === most);
  return coldest(heaviest) ?? null;
}

/** The sleep times the Hub offers a Space (seconds; -1 never sleeps). */
const HUB_CHOICES = [300, 900, 1800, 3600, 36000, 86400, 172800, 259200, 604800, -1];

/** "after 48 hours", "after 15 minutes", "never": a sleep time as the settings read it. */
export function sleepLabel(seconds: number | null): string {
  if (seconds === null || seconds < 0) return 'never';
  const units: [number, string][] = [
    [604800, 'week'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  // Hours up to a week read better than days (the Hub says "48 hours").
  for (const [size, unit] of units) {
    if (seconds % size === 0 && seconds >= size) {
      const n = seconds / size;
      return `after ${n} ${unit}${n === 1 ? '' : 's'}`;
    }
  }
  return `after ${seconds} seconds`;
}

/**
 * The choices of the sleep menu: the Hub's, plus the one the runtime applies now when it is none
 * of them (a default set by ATRIUM_SPACES_SLEEP_S), so the menu always shows the real value.
 */
export function sleepChoices(current: number | null): { seconds: number; label: string }[] {
  const now = current ?? -1;
  const all = HUB_CHOICES.includes(now) ? HUB_CHOICES : [...HUB_CHOICES.slice(0, -1), now, -1].sort(byLength);
  return all.map((seconds) => ({ seconds, label: sleepLabel(seconds) }));
}

/** Shortest first, "never" last. */
const byLength = (a: number, b: number) => (a < 0 ? 1 : b < 0 ? -1 : a - b);

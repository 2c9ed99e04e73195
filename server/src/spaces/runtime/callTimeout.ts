/** The longest call limit a card may set; a demo call longer than a day is a job, not a demo. */
const MAX_SECONDS = 24 * 3600;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/**
 * A Space's limit on one demo call, in seconds, from its card's `call_duration_timeout` (a duration
 * as the Hub writes `startup_duration_timeout`: `90s`, `2m`, `1h`, or a number of seconds), else
 * `fallback`. A value it cannot read comes back with a warning for the build log.
 */
export function callTimeoutSeconds(
  card: Record<string, unknown>,
  fallback: number,
): { seconds: number; warning?: string } {
  const raw = card.call_duration_timeout;
  if (raw === undefined || raw === null) return { seconds: fallback };
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$/.exec(String(raw));
  const seconds = match ? Number(match[1]) * (UNIT_SECONDS[match[2] || 's'] ?? 1) : Number.NaN;
  if (!(seconds >= 1 && seconds <= MAX_SECONDS))
    return {
      seconds: fallback,
      warning: `Warning: call_duration_timeout "${String(raw)}" is not a duration from 1s to 24h (like 90s, 2m, 1h): using ${fallback} s`,
    };
  return { seconds };
}

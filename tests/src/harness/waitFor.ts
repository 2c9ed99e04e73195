/**
 * Waiting in tests: poll a condition, never sleep a fixed time and hope (issue 19). A timeout here is a
 * tripwire for a hang, not a performance goal; goals are measured in bench/.
 */

export interface WaitOptions {
  /** What is awaited, as the failure message will name it ("the pool to refill"). */
  what: string;
  /** Generous: it must hold with the other core busy. */
  timeout?: number;
  /** Pause between two checks. */
  interval?: number;
}

/** A value counts as reached unless it is undefined, null or false (0 and '' count). */
type Reached<T> = Exclude<T, undefined | null | false>;

/**
 * Resolves with the condition's first reached value. A condition that throws is retried (the last error
 * is reported); one that never holds fails with `timed out after N ms waiting for <what>`.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { what, timeout = 10_000, interval = 20 }: WaitOptions,
): Promise<Reached<T>> {
  const deadline = performance.now() + timeout;
  let last: unknown;
  let lastError: unknown;
  for (;;) {
    try {
      last = await condition();
      lastError = undefined;
      if (last !== undefined && last !== null && last !== false) return last as Reached<T>;
    } catch (err) {
      lastError = err;
    }
    if (performance.now() > deadline) {
      const why =
        lastError !== undefined
          ? `; last error: ${summarize(lastError)}`
          : `; last value: ${summarize(last)}`;
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

function summarize(value: unknown): string {
  if (value instanceof Error) return value.message;
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return String(value);
  }
}

/**
 * How far past its goal a timed step may run before a test calls it a hang: ten times the goal, which
 * holds with the other core busy. The goal itself is a bench/ figure, measured beside a peer.
 */
export const tripwire = (goalMs: number) => goalMs * 10;

/** What one subsystem says about itself. */
export interface HealthReport {
  ok: boolean;
  [detail: string]: unknown;
}

type Check = () => Promise<HealthReport> | HealthReport;

interface CheckOptions {
  /**
   * For checks that do I/O (a Docker ping, a disk write probe): their last report is reused for this
   * long, and an older one is still answered at once while one refresh runs behind it. Health is
   * polled by load balancers and by people under load; a slow dockerd or a disk queue must not make
   * every poll wait, and a thousand polls must not become a thousand pings.
   */
  maxAgeMs?: number;
}

interface Entry {
  check: Check;
  maxAgeMs: number;
  last?: { report: HealthReport; at: number };
  /** The one check under way, shared by every poll that arrives meanwhile. */
  inflight?: Promise<HealthReport>;
}

/** Subsystems register a check; `GET /api/health` runs them all. */
export class HealthChecks {
  private readonly checks = new Map<string, Entry>();

  register(name: string, check: Check, options: CheckOptions = {}): void {
    this.checks.set(name, { check, maxAgeMs: options.maxAgeMs ?? 0 });
  }

  async run(): Promise<{ status: 'ok' | 'degraded'; checks: Record<string, HealthReport> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, entry]) => [name, await this.report(entry)] as const),
    );
    const checks = Object.fromEntries(entries);
    return { status: entries.every(([, r]) => r.ok) ? 'ok' : 'degraded', checks };
  }

  private async report(entry: Entry): Promise<HealthReport> {
    if (entry.maxAgeMs <= 0) return runCheck(entry.check);
    const now = performance.now();
    const last = entry.last;
    if (last && now - last.at < entry.maxAgeMs) return withAge(last, now);
    entry.inflight ??= runCheck(entry.check).then((report) => {
      entry.last = { report, at: performance.now() };
      entry.inflight = undefined;
      return report;
    });
    // Stale but known: answer with it now; the refresh lands for the next poll.
    return last ? withAge(last, now) : entry.inflight;
  }
}

async function runCheck(check: Check): Promise<HealthReport> {
  try {
    return await check();
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

function withAge(last: { report: HealthReport; at: number }, now: number): HealthReport {
  return { ...last.report, checkedMsAgo: Math.round(now - last.at) };
}

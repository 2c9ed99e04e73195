/** What one subsystem says about itself. */
export interface HealthReport {
  ok: boolean;
  [detail: string]: unknown;
}

/** Subsystems register a check; `GET /api/health` runs them all. */
export class HealthChecks {
  private readonly checks = new Map<string, () => Promise<HealthReport> | HealthReport>();

  register(name: string, check: () => Promise<HealthReport> | HealthReport): void {
    this.checks.set(name, check);
  }

  async run(): Promise<{ status: 'ok' | 'degraded'; checks: Record<string, HealthReport> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          return [name, await check()] as const;
        } catch (err) {
          return [name, { ok: false, error: err instanceof Error ? err.message : String(err) }] as const;
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    return { status: entries.every(([, r]) => r.ok) ? 'ok' : 'degraded', checks };
  }
}

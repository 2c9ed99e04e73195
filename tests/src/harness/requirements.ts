import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * Whether a real component is present. When it is absent the suite is skipped, unless
 * its ATRIUM_REQUIRE_* flag (ATRIUM_REQUIRE_DOCKER, _BROWSER, _POSTGRES, _SWIFT) says it must be there
 * (CI), in which case it fails.
 */
export function requirement(name: string, envFlag: string, present: () => boolean) {
  const ok = present();
  if (!ok && process.env[envFlag] === '1') {
    throw new Error(`${name} is required (${envFlag}=1) but is not available on this machine`);
  }
  return ok;
}

export const CHROMIUM_PATH = process.env.ATRIUM_CHROMIUM ?? '/usr/bin/chromium';

export const hasBrowser = () =>
  requirement('Chromium', 'ATRIUM_REQUIRE_BROWSER', () => fs.existsSync(CHROMIUM_PATH));

export const hasDocker = () =>
  requirement('Docker', 'ATRIUM_REQUIRE_DOCKER', () => {
    try {
      execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {
        stdio: 'pipe',
        timeout: 10_000,
      });
      return true;
    } catch {
      return false;
    }
  });

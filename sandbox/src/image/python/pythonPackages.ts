import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PYTHON_SOURCE_DIR } from './paths.js';

const run = promisify(execFile);

export const REQUIREMENTS_FILE = path.join(PYTHON_SOURCE_DIR, 'requirements.txt');

/** Where installed package trees are kept between builds (outside git; CI caches it). */
export function pythonCacheDir(): string {
  return process.env.ATRIUM_PYTHON_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'atrium', 'python');
}

/** The interpreter copied into the image, at the same path: Debian's python3.11 (`apt-get install python3.11`). */
export const HOST_PYTHON = '/usr/bin/python3.11';

/** First 16 hex of a sha256 of the requirements file and the interpreter's version: the install's key. */
export async function requirementsHash(python = HOST_PYTHON): Promise<string> {
  const { stdout: version } = await run(python, ['-c', 'import sys; print(sys.version)']);
  return createHash('sha256')
    .update(fs.readFileSync(REQUIREMENTS_FILE))
    .update(version)
    .digest('hex')
    .slice(0, 16);
}

/**
 * The packages of requirements.txt installed into a folder of their own with the host's pip, keyed by
 * the requirements' hash, so a second build installs nothing. pip uses whatever index the host
 * configures (pip.conf, PIP_* variables: on these machines a local wheel index), with no retries, so
 * a machine without an index fails at once rather than after minutes of backoff.
 */
export async function installPythonPackages(
  onProgress: (message: string) => void = () => {},
): Promise<{ dir: string; hash: string }> {
  const python = HOST_PYTHON;
  const hash = await requirementsHash(python);
  const dir = path.join(pythonCacheDir(), `site-packages-${hash}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return { dir, hash };
  const partial = `${dir}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  onProgress(
    `Installing the Python packages of ${path.basename(REQUIREMENTS_FILE)} (pip, once per requirements hash)`,
  );
  const started = performance.now();
  try {
    await run(
      python,
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--no-warn-script-location',
        '--target',
        partial,
        '-r',
        REQUIREMENTS_FILE,
      ],
      {
        env: { ...process.env, PIP_RETRIES: '0', PIP_DISABLE_PIP_VERSION_CHECK: '1' },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  } catch (err) {
    fs.rmSync(partial, { recursive: true, force: true });
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(
      `pip could not install the sandbox's Python packages: ${stderr.trim().split('\n').slice(-3).join(' ')}`,
    );
  }
  fs.writeFileSync(path.join(partial, '.complete'), `${hash}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(partial, dir);
  onProgress(`Installed the Python packages in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return { dir, hash };
}

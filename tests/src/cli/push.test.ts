import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { referenceGreedy, textGenerator, writeModels } from '@atrium/server/models/index';
import { env, pipeline } from '@huggingface/transformers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUser, startTestServer, type TestServer, type TestUser } from '../harness/index.js';

// The `atrium` bin of the server package, run as a real child process against a real server.
const cliPath = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@atrium/server/package.json')),
  'dist/cli.js',
);
const run = promisify(execFile);

let server: TestServer;
let user: TestUser;
let home: string;
let folders: string;

async function atrium(args: string[], extraEnv: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliPath, ...args], {
      env: { ...process.env, ATRIUM_HOME: home, ATRIUM_URL: '', ATRIUM_TOKEN: '', ...extraEnv },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Logs the CLI in with the user's token, as a test that pushes must first. */
async function loggedIn() {
  const result = await atrium(['login', '--url', server.url, '--token', user.token]);
  expect(result.code, result.stderr).toBe(0);
}

beforeAll(async () => {
  server = await startTestServer();
  user = await createUser(server.url);
  folders = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-cli-models-'));
  await writeModels(folders, [textGenerator]);
});
// Each test starts with a CLI that has never logged in.
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-cli-home-'));
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

afterAll(async () => {
  await server?.stop();
  fs.rmSync(folders, { recursive: true, force: true });
});

describe('atrium CLI', () => {
  it('refuses to push before logging in, and refuses a wrong token', async () => {
    const dir = path.join(folders, 'atrium', 'tiny-gpt2-alice');
    const early = await atrium(['push', dir, `${user.name}/alice`]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/Not logged in/);
    const wrong = await atrium(['login', '--url', server.url, '--token', 'atr_not-a-real-token']);
    expect(wrong.code).toBe(1);
    expect(fs.existsSync(path.join(home, 'credentials.json'))).toBe(false);
  });

  it('logs in with a token and keeps it readable by its owner only', async () => {
    const result = await atrium(['login', '--url', server.url, '--token', user.token]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`as ${user.name}`);
    const file = path.join(home, 'credentials.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ url: server.url, token: user.token });
  });

  it('pushes a generated model folder that transformers.js then loads from Atrium', async () => {
    await loggedIn();
    const repo = `${user.name}/my-alice`;
    const dir = path.join(folders, 'atrium', 'tiny-gpt2-alice');
    const result = await atrium(['push', dir, repo, '-m', 'First push']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Pushed 7 files/);
    const info = (await (await fetch(`${server.url}/api/models/${repo}`)).json()) as {
      siblings: { rfilename: string; lfs?: unknown }[];
    };
    expect(info.siblings.map((s) => s.rfilename).sort()).toEqual(
      ['.gitattributes', ...textGenerator.files().keys()].sort(),
    );
    expect(info.siblings.find((s) => s.rfilename === 'onnx/model.onnx')?.lfs).toBeDefined();
    const commits = (await (await fetch(`${server.url}/api/models/${repo}/commits/main`)).json()) as {
      title: string;
    }[];
    expect(commits[0]?.title).toBe('First push');

    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-cli-tjs-'));
    Object.assign(env, {
      remoteHost: `${server.url}/`,
      remotePathTemplate: '{model}/resolve/{revision}/',
      allowLocalModels: false,
      allowRemoteModels: true,
      cacheDir,
      useFSCache: true,
    });
    try {
      const generate = await pipeline('text-generation', repo);
      const [out] = (await generate('Alice was', { max_new_tokens: 8 })) as { generated_text: string }[];
      expect(out?.generated_text).toBe(
        `Alice was${referenceGreedy('Alice was', 8).join('').replaceAll('Ġ', ' ')}`,
      );
      await generate.dispose();
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  it('pushes again to the same repository as a new commit', async () => {
    await loggedIn();
    const repo = `${user.name}/pushed-twice`;
    // A copy of the generated folder, so the note added here reaches no other test's push.
    const dir = path.join(home, 'tiny-gpt2-alice');
    fs.cpSync(path.join(folders, 'atrium', 'tiny-gpt2-alice'), dir, { recursive: true });
    expect((await atrium(['push', dir, repo, '-m', 'First push'])).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'NOTES.md'), 'second push\n');
    const result = await atrium(['push', dir, repo], { ATRIUM_URL: server.url });
    expect(result.code, result.stderr).toBe(0);
    const notes = await fetch(`${server.url}/${repo}/resolve/main/NOTES.md`);
    expect(await notes.text()).toBe('second push\n');
    const commits = (await (await fetch(`${server.url}/api/models/${repo}/commits/main`)).json()) as {
      title: string;
    }[];
    expect(commits.map((c) => c.title).slice(1, 2)).toEqual(['First push']);
  });
});

describe('atrium serve', () => {
  it('starts the server from ATRIUM_* variables and stops cleanly on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-cli-serve-'));
    const child = spawn(process.execPath, [cliPath, 'serve'], {
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        ATRIUM_DATA_DIR: dataDir,
        ATRIUM_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('atrium serve never listened')), 30_000);
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`atrium serve exited with ${code}`)));
      });
      expect((await fetch(`${url}/api/whoami-v2`)).status).toBe(401);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

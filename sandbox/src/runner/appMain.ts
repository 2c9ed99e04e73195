/**
 * The runner's app mode (ATRIUM_RUNNER_MODE=app): waits for the server to hand over a Space's files
 * (`load`), writes them to /tmp/app, strips TypeScript, imports the app file (its default export is
 * an SDK demo) and then answers the demo messages of protocol/src/demo.ts on the control channel.
 * A warm sandbox can wait here before it knows which Space it will run.
 */

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type {
  AppLoadReply,
  AppLoadRequest,
  AppModelReply,
  DemoHostReply,
  DemoHostRequest,
  ModelReplyContent,
} from '@atrium/protocol';
import type * as Sdk from '../sdk/index.js';
import { appStack, describeAppError } from './appErrors.js';
import { AppBuildError, builtName, preloadTypeScript, prepareAppFiles } from './appFiles.js';
import { withModelAccess } from './modelAccess.js';

const APP_DIR = process.env.ATRIUM_APP_DIR ?? '/tmp/app';
/** Where the image keeps the packages an app may import (the SDK, transformers.js). */
const PACKAGES_DIR =
  process.env.ATRIUM_PACKAGES_DIR ??
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../node_modules');

// The channel is ours: the app's console output goes to stderr, which is the run log.
const channel = process.stdout;
const send = (reply: AppLoadReply | DemoHostReply) => channel.write(`${JSON.stringify(reply)}\n`);
console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);

/** Models the app asked the server for (`model_request`), by request id. */
const modelReplies = new Map<string, (reply: ModelReplyContent) => void>();
const askForModel = (modelId: string) =>
  new Promise<ModelReplyContent>((resolve) => {
    const id = randomUUID();
    modelReplies.set(id, resolve);
    send({ type: 'model_request', id, model_id: modelId });
  });

let handle: ((request: DemoHostRequest) => void) | null = null;
let loading = false;

async function load(request: AppLoadRequest): Promise<void> {
  const started = performance.now();
  let files: ReturnType<typeof prepareAppFiles>;
  try {
    files = prepareAppFiles(
      request.files.map((f) => ({ path: f.path, bytes: Buffer.from(f.base64, 'base64') })),
    );
  } catch (err) {
    const message = err instanceof AppBuildError ? err.message : String(err);
    send({ type: 'app_load_error', id: request.id, phase: 'build', message });
    return;
  }
  try {
    fs.mkdirSync(APP_DIR, { recursive: true });
    for (const f of files) {
      const dest = path.join(APP_DIR, f.path);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, f.bytes);
    }
    if (!files.some((f) => f.path === 'package.json'))
      fs.writeFileSync(path.join(APP_DIR, 'package.json'), '{"type":"module"}\n');
    // Bare imports (the SDK, transformers.js) resolve from the image's packages.
    if (!fs.existsSync(path.join(APP_DIR, 'node_modules')))
      fs.symlinkSync(PACKAGES_DIR, path.join(APP_DIR, 'node_modules'), 'dir');
    Object.assign(process.env, request.env);
    const sdkUrl = pathToFileURL(path.join(PACKAGES_DIR, '@atrium/sandbox/dist/sdk/index.js')).href;
    const sdk = (await import(sdkUrl)) as typeof Sdk;
    if (request.files.some((f) => Buffer.from(f.base64, 'base64').includes('@huggingface/transformers')))
      withModelAccess(await import('@huggingface/transformers'), askForModel);
    // The app's modules carry inline maps (appFiles.ts): from here on, stacks name the author's `app.ts:<line>`.
    process.setSourceMapsEnabled(true);
    const entry = path.join(APP_DIR, builtName(request.appFile));
    const loaded = (await import(pathToFileURL(entry).href)) as { default?: Sdk.Demo };
    const app = loaded.default;
    if (!app || typeof app.call !== 'function' || !app.description)
      throw new Error(`${request.appFile}: the default export must be a demo(...) from @atrium/sandbox/sdk`);
    // A call's error reaches its caller as a message; its stack, in the author's lines, goes to the run log.
    handle = sdk.createDemoHost(app, send, (err) => process.stderr.write(`${appStack(err, APP_DIR)}\n`));
    send({ type: 'app_loaded', id: request.id, durationMs: performance.now() - started });
  } catch (err) {
    process.stderr.write(`${appStack(err, APP_DIR)}\n`);
    send({ type: 'app_load_error', id: request.id, phase: 'run', message: describeAppError(err, APP_DIR) });
  }
}

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
lines.on('line', (line) => {
  if (!line.trim()) return;
  let msg: AppLoadRequest | AppModelReply | DemoHostRequest;
  try {
    msg = JSON.parse(line) as AppLoadRequest | AppModelReply | DemoHostRequest;
  } catch {
    process.stderr.write('runner: ignoring a control line that is not JSON\n');
    return;
  }
  if (msg.type === 'model_reply') {
    const { type: _, id, ...reply } = msg;
    modelReplies.get(id)?.(reply);
    modelReplies.delete(id);
    return;
  }
  if (msg.type === 'load') {
    if (loading) return;
    loading = true;
    void load(msg);
    return;
  }
  if (handle) handle(msg);
  else if (msg.type !== 'cancel')
    send({ type: 'error', id: msg.id, message: 'The app is not loaded yet', kind: 'unavailable' });
});
// The server closing the channel means the sandbox is no longer wanted.
lines.on('close', () => process.exit(0));
send({ type: 'app_waiting', id: 'runner' });
// While waiting, load what every app needs (the SDK, the TypeScript stripper): a commit then skips it.
setTimeout(() => {
  if (loading) return;
  preloadTypeScript();
  void import(pathToFileURL(path.join(PACKAGES_DIR, '@atrium/sandbox/dist/sdk/index.js')).href).catch(
    () => {},
  );
}, 0);

#!/usr/bin/env node
// App mode over stdio: `node hostMain.js <app module>` imports the module's default export (an SDK
// demo) and answers DemoHostRequest lines on stdin with DemoHostReply lines on stdout.
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { DemoHostReply, DemoHostRequest } from '@atrium/protocol';
import type { Demo } from './demo.js';
import { createDemoHost } from './demoHost.js';

// stdout carries replies only: the app's own console output goes to stderr (the run log).
console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: hostMain <app module>\n');
  process.exit(2);
}
const loaded = (await import(pathToFileURL(path.resolve(file)).href)) as { default?: Demo };
const app = loaded.default;
if (!app || typeof app.call !== 'function' || !app.description) {
  process.stderr.write(`${file}: the default export must be a demo(...)\n`);
  process.exit(1);
}
const write = (reply: DemoHostReply) => process.stdout.write(`${JSON.stringify(reply)}\n`);
const handle = createDemoHost(app, write);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (!line.trim()) return;
  let request: DemoHostRequest;
  try {
    request = JSON.parse(line) as DemoHostRequest;
  } catch {
    process.stderr.write('ignored a line that is not JSON\n');
    return;
  }
  handle(request);
});
lines.on('close', () => process.exit(0));

// `npm start`: install if needed, build if needed, then serve. Idempotent: on an installed, built
// clone it only starts the server. The server itself makes the sandbox image when it is missing, in
// the background (progress in its log and in /api/health), so start-up never waits for it.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, ensureInstalled, root } from './lib.mjs';

ensureInstalled();
ensureBuilt();

const main = path.join(root, 'server', 'dist', 'main.js');
if (!fs.existsSync(main)) throw new Error('server build is missing');
const { main: serve } = await import(pathToFileURL(main).href);
await serve();

// `npm start`: install if needed, build if needed, make the sandbox image if missing, then serve.
// Idempotent: on an installed, built clone it only starts the server.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureImage } from './image.mjs';
import { dockerAvailable, ensureBuilt, ensureInstalled, root } from './lib.mjs';

ensureInstalled();
ensureBuilt();
if (dockerAvailable()) ensureImage();
else console.log('▸ Docker is not available: Atrium starts, but sandboxes (notebooks, Spaces) cannot run.');

const main = path.join(root, 'server', 'dist', 'main.js');
if (!fs.existsSync(main)) throw new Error('server build is missing');
const { main: serve } = await import(pathToFileURL(main).href);
await serve();

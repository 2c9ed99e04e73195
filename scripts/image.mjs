// Builds the sandbox image when it is missing; quick when it exists (the tag is a content hash).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './lib.mjs';

export async function ensureImage() {
  const entry = path.join(root, 'sandbox', 'dist', 'image', 'index.js');
  if (!fs.existsSync(entry)) return; // the sandbox package does not provide an image yet
  const { ensureSandboxImage } = await import(pathToFileURL(entry).href);
  const { tag, built } = await ensureSandboxImage({ onProgress: (line) => console.log(`  ${line}`) });
  console.log(built ? `▸ built sandbox image ${tag}` : `▸ sandbox image ${tag} is ready`);
}

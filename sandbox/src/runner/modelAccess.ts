import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Points transformers.js at the platform's read-only model folder when a cell imports it. Sandboxes have
 * no network, so a model that is not there fails with an error that names it and says how to provide it.
 */

/** The host that stands for "not in /models": any request to it is answered by the clear error below. */
const MISSING_HOST = 'https://models.atrium.invalid/';

/** The `owner/name` a transformers.js remote URL asks for, e.g. `…/atrium/tiny-gpt2-alice/resolve/main/x`. */
export function modelIdOfUrl(url: string): string {
  const rest = url.startsWith(MISSING_HOST) ? url.slice(MISSING_HOST.length) : url;
  const [owner, name] = rest.split('/');
  return owner && name ? `${owner}/${name}` : rest;
}

/** The message a missing model produces inside a sandbox. */
export function missingModelMessage(modelId: string): string {
  return (
    `Model "${modelId}" is not available in this sandbox (sandboxes have no network). ` +
    'Declare it so Atrium provides it: list it under `models:` in the Space card (README.md) or in the ' +
    'notebook metadata `atrium.models`; if it is not on Atrium yet, publish it with ' +
    `\`atrium push <folder> ${modelId}\`.`
  );
}

interface TransformersEnv {
  localModelPath: string;
  allowLocalModels: boolean;
  allowRemoteModels: boolean;
  remoteHost: string;
  remotePathTemplate: string;
  cacheDir: string | null;
  useFSCache: boolean;
  fetch: (input: string | URL, init?: unknown) => Promise<unknown>;
}

const configured = new WeakSet<object>();

/** Configures the imported transformers.js module once; returns it unchanged. */
export function withModelAccess<T>(module: T, modelsDir = process.env.ATRIUM_MODELS_DIR): T {
  const env = (module as { env?: TransformersEnv }).env;
  if (!modelsDir || !env || configured.has(env)) return module;
  configured.add(env);
  env.localModelPath = `${modelsDir.replace(/\/$/, '')}/`;
  env.allowLocalModels = true;
  // Remote stays "allowed" only so that a missing model reaches the fetch below and gets a clear error.
  env.allowRemoteModels = true;
  env.remoteHost = MISSING_HOST;
  env.remotePathTemplate = '{model}/resolve/{revision}/';
  env.cacheDir = '/tmp/transformers-cache';
  env.useFSCache = false;
  env.fetch = async (input) => {
    const modelId = modelIdOfUrl(String(input));
    // The model is there but lacks this file: a plain 404, which transformers.js expects for optional files.
    if (existsSync(path.join(modelsDir, modelId))) return new Response(null, { status: 404 });
    throw new Error(missingModelMessage(modelId));
  };
  return module;
}

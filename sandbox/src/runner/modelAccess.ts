import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelReplyContent } from '@atrium/protocol';

/**
 * Points transformers.js at the platform's read-only model folder when a cell or app imports it.
 * Sandboxes have no network: a model that is not there yet is asked of the server over the control
 * channel (which caches it into that folder, showing progress), and one it cannot provide fails with
 * the server's error, which names the model and says how to provide it.
 */

/** The host that stands for "not in /models yet": transformers.js's remote requests all go to it. */
const MISSING_HOST = 'https://models.atrium.invalid/';

/** Asks the server to put a model under /models; resolves with its answer. */
export type AskForModel = (modelId: string) => Promise<ModelReplyContent>;

/** The model and file a transformers.js remote URL asks for, e.g. `…/atrium/tiny-gpt2-alice/resolve/main/x`. */
export function parseModelUrl(url: string): { modelId: string; file: string } {
  const rest = url.startsWith(MISSING_HOST) ? url.slice(MISSING_HOST.length) : url;
  const [owner, name, , , ...file] = rest.split('?')[0]!.split('/');
  return {
    modelId: owner && name ? `${owner}/${name}` : rest,
    file: file.map(decodeURIComponent).join('/'),
  };
}

/** The message a missing model produces when there is no server to ask (a runner started by hand). */
function missingModelMessage(modelId: string): string {
  return `Model "${modelId}" is not available in this sandbox: sandboxes have no network, and this one has no Atrium server to ask for it.`;
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
export function withModelAccess<T>(
  module: T,
  ask?: AskForModel,
  modelsDir = process.env.ATRIUM_MODELS_DIR,
): T {
  const env = (module as { env?: TransformersEnv }).env;
  if (!modelsDir || !env || configured.has(env)) return module;
  configured.add(env);
  const root = path.resolve(modelsDir);
  env.localModelPath = `${root}/`;
  env.allowLocalModels = true;
  // Remote stays "allowed" so that a file missing locally reaches the fetch below.
  env.allowRemoteModels = true;
  env.remoteHost = MISSING_HOST;
  env.remotePathTemplate = '{model}/resolve/{revision}/';
  env.cacheDir = '/tmp/transformers-cache';
  env.useFSCache = false;
  // transformers.js fetches a model's first files in parallel: one question to the server per model.
  const asking = new Map<string, Promise<ModelReplyContent>>();
  const provide = (ask: AskForModel, modelId: string): Promise<ModelReplyContent> => {
    let answer = asking.get(modelId);
    if (!answer) {
      answer = ask(modelId).finally(() => asking.delete(modelId));
      asking.set(modelId, answer);
    }
    return answer;
  };
  env.fetch = async (input) => {
    const { modelId, file } = parseModelUrl(String(input));
    const modelDir = path.join(root, modelId);
    if (!modelDir.startsWith(`${root}/`)) throw new Error(`"${modelId}" is not a model id (owner/name)`);
    if (!existsSync(modelDir)) {
      // The runner and the server check the id; here it only has to stay inside the folder (above).
      if (!ask) throw new Error(missingModelMessage(modelId));
      const reply = await provide(ask, modelId);
      if (reply.status === 'error') throw new Error(reply.evalue);
    }
    // The model is there (now): serve the file from it, or a plain 404 for an optional file it lacks.
    const local = path.join(modelDir, file);
    if (!file || !local.startsWith(`${modelDir}/`) || !existsSync(local))
      return new Response(null, { status: 404 });
    const bytes = await readFile(local);
    return new Response(bytes, { status: 200, headers: { 'content-length': String(bytes.byteLength) } });
  };
  return module;
}

import type { ModelReplyContent } from '@atrium/protocol';
import prettyBytes from 'pretty-bytes';
import {
  type CachedModel,
  type ModelProgress,
  type ModelProgressListener,
  ModelUnavailableError,
} from './ModelCache.js';

/** What a person watching a model being fetched for their sandbox sees, as it changes. */
export interface ModelFetchReport {
  text: string;
  /** 0..1 when the total is known, else null. */
  fraction: number | null;
  done: boolean;
}

/**
 * Answers a sandbox that asks for a model at run time (`atrium_model_request` from a cell,
 * `model_request` from a Space app): provides it into that sandbox's /models, reporting progress to
 * whoever shows it.
 */
export type SandboxModelProvider = (
  modelId: string,
  report: (update: ModelFetchReport) => void,
) => Promise<ModelReplyContent>;

/** At most this often a progress update is passed on (the last one always is). */
const REPORT_EVERY_MS = 250;
/** A log (a Space's run log) gets a progress line at most this often. */
const LOG_EVERY_MS = 2000;

/** Progress as log lines: a line every 2 s while fetching, and the outcome. */
export function logModelFetch(write: (line: string) => void): (update: ModelFetchReport) => void {
  let loggedAt = 0;
  return (update) => {
    const now = performance.now();
    if (!update.done && now - loggedAt < LOG_EVERY_MS) return;
    loggedAt = now;
    write(update.text);
  };
}

const from = (p: ModelProgress) => (p.source === 'hub' ? 'this Atrium hub' : 'the upstream hub');

/** One line of progress: `Fetching atrium/x from the upstream hub: 3/7 files, 12 MB of 40 MB`. */
export function describeProgress(p: ModelProgress): string {
  const size = p.bytesTotal
    ? `${prettyBytes(p.bytesDone)} of ${prettyBytes(p.bytesTotal)}`
    : prettyBytes(p.bytesDone);
  return `Fetching model ${p.id} from ${from(p)}: ${p.filesDone}/${p.filesTotal} files, ${size}`;
}

/**
 * One sandbox's `provide` (ModelView.provide) as a SandboxModelProvider: errors become the reply's
 * `evalue`, naming the model.
 */
export function sandboxModelProvider(
  provide: (modelId: string, onProgress: ModelProgressListener) => Promise<CachedModel>,
): SandboxModelProvider {
  return async (modelId, report) => {
    const started = performance.now();
    let last: ModelProgress | null = null;
    let reportedAt = 0;
    try {
      const cached = await provide(modelId, (p) => {
        last = p;
        const now = performance.now();
        if (now - reportedAt < REPORT_EVERY_MS) return;
        reportedAt = now;
        report({
          text: describeProgress(p),
          fraction: p.bytesTotal ? p.bytesDone / p.bytesTotal : null,
          done: false,
        });
      });
      // Shown only when this request did cache something (another request may have done it first).
      const progress = last as ModelProgress | null;
      if (progress) {
        const ms = performance.now() - started;
        const took = ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
        report({
          text: `Model ${cached.id} ready from ${from(progress)}: ${progress.filesDone} files, ${prettyBytes(progress.bytesDone)} in ${took}`,
          fraction: 1,
          done: true,
        });
      }
      // The cache folder is named as the hub spells the model; a sandbox looks for the spelling it asked.
      if (cached.id !== modelId)
        return {
          status: 'error',
          model_id: modelId,
          evalue: `Model "${modelId}" is spelled "${cached.id}" on Atrium: use that id (ids are case-sensitive in sandboxes).`,
        };
      return { status: 'ok', model_id: modelId };
    } catch (err) {
      const evalue =
        err instanceof ModelUnavailableError
          ? err.message
          : `Atrium could not provide model "${modelId}": ${err instanceof Error ? err.message : String(err)}`;
      if (last) report({ text: `Fetching model ${modelId} failed: ${evalue}`, fraction: null, done: true });
      return { status: 'error', model_id: modelId, evalue };
    }
  };
}

import type { MimeBundle, ModelReplyContent } from '@atrium/protocol';

/** Runner → kernel process: run a cell; the server's answer to a model the kernel asked for. */
export type ParentCommand =
  | { t: 'execute'; code: string; language: 'javascript' | 'typescript' }
  | { t: 'model'; requestId: string; reply: ModelReplyContent };

/** Kernel process → runner: outputs of the running cell, in the order they happened. */
export type ChildEvent =
  | { t: 'ready'; node: string }
  /** A model transformers.js needs that is not under /models yet (answered by a `model` command). */
  | { t: 'model'; requestId: string; modelId: string }
  | { t: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { t: 'display'; update: boolean; data: MimeBundle; displayId: string }
  | { t: 'clear'; wait: boolean }
  | { t: 'result'; data: MimeBundle }
  | { t: 'done'; ok: true }
  | { t: 'done'; ok: false; ename: string; evalue: string; traceback: string[] };

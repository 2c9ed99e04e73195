import type { MimeBundle } from '@atrium/protocol';

/** Runner → kernel process. */
export type ParentCommand = { t: 'execute'; code: string; language: 'javascript' | 'typescript' };

/** Kernel process → runner: outputs of the running cell, in the order they happened. */
export type ChildEvent =
  | { t: 'ready'; node: string }
  | { t: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { t: 'display'; update: boolean; data: MimeBundle; displayId: string }
  | { t: 'clear'; wait: boolean }
  | { t: 'result'; data: MimeBundle }
  | { t: 'done'; ok: true }
  | { t: 'done'; ok: false; ename: string; evalue: string; traceback: string[] };

import type { KernelLanguage } from './kernel.js';
import type { ModelReplyContent, ModelRequestContent } from './models.js';

/** A Space's lifecycle stage, with the Hugging Face Hub's names. */
export const SPACE_STAGES = [
  'NO_APP_FILE',
  'CONFIG_ERROR',
  'BUILDING',
  'BUILD_ERROR',
  'RUNNING',
  'RUNNING_BUILDING',
  'RUNTIME_ERROR',
  'STOPPED',
  'PAUSED',
  'SLEEPING',
] as const;
export type SpaceStage = (typeof SPACE_STAGES)[number];

/** `GET /api/spaces/{id}/runtime`, in the Hub's shape. */
export interface SpaceRuntimeView {
  stage: SpaceStage;
  hardware: { current: string | null; requested: string | null };
  storage: null;
  /** Seconds of idleness before the Space sleeps; null when it never sleeps. */
  gcTimeout: number | null;
  errorMessage?: string;
  /** The commit the app runs (or is being built from). */
  sha: string | null;
  replicas: { current: number; requested: number };
}

/** One line of a Space's build or run log, as the Hub's log SSE streams carry it. */
export interface SpaceLogLine {
  data: string;
  timestamp: string;
}

/** `GET /api/spaces/{id}/variables`: public settings, keyed by name. */
export type SpaceVariablesView = Record<
  string,
  { value: string; description: string | null; updatedAt: string }
>;

/** `GET /api/templates`: what a Space or notebook can start from. */
export interface TemplateView {
  name: string;
  kind: 'space' | 'notebook';
  title: string;
  emoji: string;
  colorFrom: string;
  colorTo: string;
  short_description: string;
  sdk: string | null;
  /** A notebook template's kernel language (from its kernelspec); null for a Space. */
  language?: KernelLanguage | null;
}

/** App mode's start-up messages, before the demo messages (demo.ts): the server hands the app over. */
export type AppLoadRequest = {
  type: 'load';
  id: string;
  /** The Space's files; bytes as base64. */
  files: { path: string; base64: string }[];
  appFile: string;
  /** Variables and secrets, set in process.env before the app is imported. */
  env: Record<string, string>;
};

export type AppLoadReply =
  | { type: 'app_waiting'; id: 'runner' }
  | { type: 'app_loaded'; id: string; durationMs: number }
  | { type: 'app_load_error'; id: string; phase: 'build' | 'run'; message: string }
  /** The app asks for a model that is not under /models yet (answered by a `model_reply`). */
  | ({ type: 'model_request'; id: string } & ModelRequestContent);

/** Server → app: the answer to a `model_request` with the same id. */
export type AppModelReply = { type: 'model_reply'; id: string } & ModelReplyContent;

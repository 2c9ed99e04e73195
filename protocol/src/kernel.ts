/**
 * Kernel messages: the Jupyter messaging set, as spoken between the server and the runner inside a
 * sandbox (JSON lines over the container's attached stdio) and relayed to clients (SSE/WebSocket).
 */
import type { ModelReplyContent, ModelRequestContent } from './models.js';

/** A MIME bundle: one representation per MIME type, e.g. text/plain, text/html, image/png (base64). */
export type MimeBundle = Record<string, unknown>;

/** MIME types the display() helper and the notebook view understand. */
export const KernelMime = {
  text: 'text/plain',
  html: 'text/html',
  png: 'image/png',
  json: 'application/json',
  vegaLite: 'application/vnd.vegalite.v5+json',
} as const;

export type KernelMessageType =
  | 'execute_request'
  | 'execute_reply'
  | 'execute_input'
  | 'status'
  | 'stream'
  | 'display_data'
  | 'update_display_data'
  | 'execute_result'
  | 'error'
  | 'clear_output'
  | 'interrupt_request'
  | 'interrupt_reply'
  | 'shutdown_request'
  | 'shutdown_reply'
  | 'kernel_info_request'
  | 'kernel_info_reply'
  | 'complete_request'
  | 'complete_reply'
  | 'inspect_request'
  | 'inspect_reply'
  // Atrium extensions: a model the cell asks for at run time, fetched over the control channel.
  | 'atrium_model_request'
  | 'atrium_model_reply';

/** Jupyter's message header: msg_id is unique, msg_type names the content's shape. */
export interface KernelHeader {
  msg_id: string;
  msg_type: KernelMessageType;
  session: string;
  username: string;
  date: string;
  version: '5.3';
}

/** The languages a kernel runs: Atrium's Node runner (JavaScript, TypeScript) or ipykernel (Python). */
export const KERNEL_LANGUAGES = ['javascript', 'typescript', 'python'] as const;
export type KernelLanguage = (typeof KERNEL_LANGUAGES)[number];
/** Which sandbox image (and runner) a language needs. */
export type KernelImage = 'node' | 'python';
export const kernelImageOf = (language: KernelLanguage): KernelImage =>
  language === 'python' ? 'python' : 'node';

export interface ExecuteRequestContent {
  code: string;
  silent?: boolean;
  store_history?: boolean;
  /** Atrium extension: 'typescript' strips types with sucrase before running (a Python kernel runs Python). */
  language?: KernelLanguage;
  /** Atrium extension: per-request timeout in seconds, bounded by the kernel's own. */
  timeout_s?: number;
}

export interface ExecuteReplyContent {
  status: 'ok' | 'error' | 'aborted';
  execution_count: number;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface StatusContent {
  execution_state: 'busy' | 'idle' | 'starting' | 'restarting' | 'dead';
}

export interface StreamContent {
  name: 'stdout' | 'stderr';
  text: string;
}

export interface DisplayDataContent {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}

export interface ExecuteResultContent extends DisplayDataContent {
  execution_count: number;
}

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface ClearOutputContent {
  wait: boolean;
}

export interface KernelInfoReplyContent {
  status: 'ok';
  protocol_version: '5.3';
  implementation: 'atrium-node' | 'atrium-python';
  implementation_version: string;
  language_info: { name: KernelLanguage; version: string; file_extension: string };
}

/** Tab in the cell editor: completions at the cursor (cursor_pos counts characters of code). */
export interface CompleteRequestContent {
  code: string;
  cursor_pos: number;
}

export interface CompleteReplyContent {
  status: 'ok';
  matches: string[];
  /** The range of code the matches replace. */
  cursor_start: number;
  cursor_end: number;
}

/** Shift+Tab in the cell editor: what the name at the cursor is (signature, docstring). */
export interface InspectRequestContent {
  code: string;
  cursor_pos: number;
  detail_level?: 0 | 1;
}

export interface InspectReplyContent {
  status: 'ok';
  found: boolean;
  /** A MIME bundle; text/plain may carry ANSI colours. */
  data: MimeBundle;
}

/** Content shape per message type, so handlers can narrow on msg_type. */
export interface KernelContentMap {
  execute_request: ExecuteRequestContent;
  execute_reply: ExecuteReplyContent;
  execute_input: { code: string; execution_count: number };
  status: StatusContent;
  stream: StreamContent;
  display_data: DisplayDataContent;
  update_display_data: DisplayDataContent;
  execute_result: ExecuteResultContent;
  error: ErrorContent;
  clear_output: ClearOutputContent;
  interrupt_request: Record<string, never>;
  interrupt_reply: { status: 'ok' };
  shutdown_request: { restart: boolean };
  shutdown_reply: { status: 'ok'; restart: boolean };
  kernel_info_request: Record<string, never>;
  kernel_info_reply: KernelInfoReplyContent;
  complete_request: CompleteRequestContent;
  complete_reply: CompleteReplyContent;
  inspect_request: InspectRequestContent;
  inspect_reply: InspectReplyContent;
  atrium_model_request: ModelRequestContent;
  atrium_model_reply: ModelReplyContent;
}

/** One Jupyter message; parent_header links outputs to the request that caused them. */
export interface KernelMessage<T extends KernelMessageType = KernelMessageType> {
  header: KernelHeader & { msg_type: T };
  parent_header: Partial<KernelHeader>;
  metadata: Record<string, unknown>;
  content: KernelContentMap[T];
}

/** What the server reports about one running kernel (GET /api/kernels). */
export interface KernelView {
  id: string;
  owner: string;
  runtime: 'runc' | 'runsc';
  /** Which runner and image: node (JavaScript, TypeScript) or python (ipykernel). */
  image: KernelImage;
  state: 'starting' | 'idle' | 'busy' | 'dead';
  /** Why the kernel died, e.g. "killed: out of memory". */
  reason: string | null;
  containerId: string;
  createdAt: string;
  lastActivityAt: string;
  executionCount: number;
}

/** The notice appended when a cell's output exceeds its caps. */
export const OUTPUT_TRUNCATED_NOTICE = '\n[output truncated: this cell exceeded its output limit]\n';
/** The reason reported when the kernel's container was killed for exceeding its memory limit. */
export const OUT_OF_MEMORY_REASON = 'killed: out of memory';

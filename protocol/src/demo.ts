/**
 * Demo descriptions: what a Space built with the demo SDK declares (its input and output
 * components, examples, queue limit), serialisable so the runner, the server's Gradio-compatible
 * API and the client's generated UI all read the same thing. Also the app-mode messages the
 * server and a sandboxed demo host exchange (server/src/spaces/gradio/README.md).
 */

/** The component kinds of the demo SDK; the names match Gradio's component types in lower case. */
export const DEMO_COMPONENT_TYPES = [
  'textbox',
  'number',
  'slider',
  'checkbox',
  'dropdown',
  'image',
  'label',
  'json',
  'markdown',
  'chatbot',
] as const;
export type DemoComponentType = (typeof DEMO_COMPONENT_TYPES)[number];

/** Fields every component has; `name` is the key of the value in the function's inputs/outputs. */
interface ComponentBase<T extends DemoComponentType> {
  type: T;
  name: string;
  label?: string;
  /** A hint shown under the label. */
  info?: string;
}

export interface TextboxConfig extends ComponentBase<'textbox'> {
  value?: string;
  lines?: number;
  placeholder?: string;
  /** Longer input is refused for that call. */
  maxLength?: number;
}
export interface NumberConfig extends ComponentBase<'number'> {
  value?: number;
  minimum?: number;
  maximum?: number;
  /** Decimal places the value is rounded to; 0 makes it an integer. */
  precision?: number;
}
export interface SliderConfig extends ComponentBase<'slider'> {
  minimum: number;
  maximum: number;
  step: number;
  value?: number;
}
export interface CheckboxConfig extends ComponentBase<'checkbox'> {
  value?: boolean;
}
export interface DropdownConfig extends ComponentBase<'dropdown'> {
  choices: string[];
  value?: string | string[];
  multiselect?: boolean;
}
export interface ImageConfig extends ComponentBase<'image'> {
  /** Largest accepted image in bytes. */
  maxBytes?: number;
}
export interface LabelConfig extends ComponentBase<'label'> {
  /** How many confidences are shown, highest first. */
  numTopClasses?: number;
}
export interface JsonConfig extends ComponentBase<'json'> {
  value?: unknown;
}
export interface MarkdownConfig extends ComponentBase<'markdown'> {
  value?: string;
}
export interface ChatbotConfig extends ComponentBase<'chatbot'> {
  value?: ChatMessage[];
}

export type DemoComponentConfig =
  | TextboxConfig
  | NumberConfig
  | SliderConfig
  | CheckboxConfig
  | DropdownConfig
  | ImageConfig
  | LabelConfig
  | JsonConfig
  | MarkdownConfig
  | ChatbotConfig;

/** An image as a value: a data: URL carrying the bytes (what crosses the sandbox boundary). */
export interface ImageValue {
  /** `data:<mime>;base64,...` */
  url: string;
  mimeType: string;
  size: number;
  origName?: string;
}

/** Gradio's Label value: the top label and, optionally, every class with its confidence. */
export interface LabelValue {
  label: string;
  confidences?: { label: string; confidence: number }[];
}

/** Gradio's "messages" Chatbot format. */
export interface ChatMessage {
  role: 'user' | 'assistant' | 'system';
  content: string;
}

/** Everything a caller needs to know about a demo; produced by the SDK's demo(). */
export interface DemoDescription {
  title: string;
  description?: string;
  article?: string;
  inputs: DemoComponentConfig[];
  outputs: DemoComponentConfig[];
  /** Rows of input values, one per example, in the order of `inputs`. */
  examples: unknown[][];
  /** At most this many calls run at once; the rest wait in FIFO order. */
  concurrencyLimit: number;
  /** The function yields partial outputs (an async generator). */
  streaming: boolean;
  /** Gradio's api_name, without the leading slash (default "predict"). */
  apiName: string;
}

/** Server → demo host (app mode), one JSON object per line; `id` correlates a call's replies. */
export type DemoHostRequest =
  | { type: 'describe'; id: string }
  | { type: 'call'; id: string; apiName: string; inputs: unknown[] }
  | { type: 'cancel'; id: string };

/** Demo host → server: a description, partial outputs of a streaming call, its result or its error. */
export type DemoHostReply =
  | { type: 'description'; id: string; demo: DemoDescription }
  | { type: 'partial'; id: string; outputs: unknown[] }
  | { type: 'result'; id: string; outputs: unknown[]; durationMs: number }
  | { type: 'error'; id: string; message: string; kind: DemoErrorKind };

/** Why a call failed: the caller's input, or the demo function itself. */
export type DemoErrorKind = 'input' | 'function' | 'cancelled' | 'unavailable';

/** A Space's app URL path: the Gradio-compatible API lives under it (`<app>/config`, `<app>/gradio_api/…`). */
export const spaceAppPath = (spaceId: string) => `/spaces/${spaceId}/app`;

/** One problem a model card has for responsible use (`GET /api/models/{id}/card`). */
export interface CardWarningView {
  /** Stable: missing-card, invalid-metadata, missing-license, missing-pipeline-tag, missing-intended-uses,
   * missing-limitations, missing-training-data, missing-evaluation. */
  code: string;
  message: string;
}

/** A model's card as the model page shows it: metadata, Markdown body, warnings and a usage snippet. */
export interface ModelCardView {
  id: string;
  /** The commit the card was read at. */
  sha: string;
  /** The YAML front matter (the Hub's `cardData`); empty when there is none or it does not parse. */
  cardData: Record<string, unknown>;
  /** The Markdown after the front matter, unrendered (clients render and sanitise it). */
  markdown: string;
  warnings: CardWarningView[];
  /** "Use this model" with transformers.js, pointed at this Atrium instance. */
  snippet: string;
}

/**
 * A model a running cell or Space app asks for that is not under the sandbox's read-only `/models` yet
 * (sandboxes have no network): the runner asks the server over the control channel, the server caches
 * the model (from its own hub, or the upstream mirror) and answers; progress is shown meanwhile.
 */
export interface ModelRequestContent {
  /** `owner/name` as the code asked for it. */
  model_id: string;
}

/** The server's answer: the model is now under `/models/<model_id>`, or why it cannot be. */
export type ModelReplyContent =
  | { status: 'ok'; model_id: string }
  | { status: 'error'; model_id: string; evalue: string };

/** Model ids the platform fetches for sandboxes: `owner/name` with the Hub's characters. */
export const MODEL_ID_PATTERN = /^[\w.-]{1,96}\/[\w.-]{1,96}$/;

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

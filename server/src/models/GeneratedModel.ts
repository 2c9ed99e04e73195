/** A model the project makes itself: a Hub-style repository of files, produced the same way on every run. */
export interface GeneratedModel {
  /** Repository id the first start publishes it under, e.g. `atrium/tiny-sentiment-bert`. */
  id: string;
  /** The Hub's pipeline tag, which is also the transformers.js task name. */
  pipelineTag: string;
  /** Repository path → content, in a stable order; byte-identical across runs. */
  files: () => Map<string, Uint8Array>;
}

/** JSON the way the Hub's files usually look: two-space indent and a final newline. */
export function jsonFile(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
}

/** UTF-8 text file. */
export function textFile(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

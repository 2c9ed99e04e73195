/** Model ids a notebook declares in its metadata: `metadata.atrium.models` (strings `owner/name`). */
export function notebookModels(metadata: unknown): string[] {
  const models = (metadata as { atrium?: { models?: unknown } } | undefined)?.atrium?.models;
  return Array.isArray(models) ? models.filter((m): m is string => typeof m === 'string') : [];
}

/** Model ids a Space card declares: `models:` as a list or a single id, as on the Hub. */
export function cardModels(cardData: Record<string, unknown> | undefined): string[] {
  const models = cardData?.models;
  if (typeof models === 'string') return [models];
  return Array.isArray(models) ? models.filter((m): m is string => typeof m === 'string') : [];
}

/** `pipeline('task', 'owner/name')` and `X.from_pretrained('owner/name')` with a literal model id. */
const MODEL_IN_CODE =
  /(?:\bpipeline\s*\(\s*(['"`])[^'"`]*\1\s*,\s*|\.from_pretrained\s*\(\s*)(['"`])([\w.-]+\/[\w.-]+)\2/g;

/**
 * Model ids a cell asks for by literal id (`pipeline('text-classification', 'atrium/x')`), so the
 * platform can provide them before the cell runs; ids built at run time must be declared instead.
 */
export function modelsInCode(code: string): string[] {
  return [...new Set([...code.matchAll(MODEL_IN_CODE)].map((m) => m[3]!))];
}

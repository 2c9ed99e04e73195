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

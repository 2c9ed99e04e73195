import type { SpaceVariablesView } from '@atrium/protocol';
import type { RepoRecord } from '../../../hub/RepoStore.js';
import type { SpaceRuntimes } from '../SpaceRuntimes.js';
import type { SpaceEnvKind } from '../SpaceSettingsStore.js';

/** Adds or replaces a variable or secret; a running app restarts to see it. */
export async function putSpaceEnv(
  runtimes: SpaceRuntimes,
  repo: RepoRecord,
  kind: SpaceEnvKind,
  entry: { key: string; value: string; description?: string },
): Promise<void> {
  await runtimes.settings.putEnv(repo.id, kind, {
    key: entry.key,
    value: entry.value,
    description: entry.description ?? null,
    updatedAt: new Date().toISOString(),
  });
  await runtimes.onSettingsChanged(repo);
}

/** Removes a variable or secret; false when there was none. */
export async function deleteSpaceEnv(
  runtimes: SpaceRuntimes,
  repo: RepoRecord,
  kind: SpaceEnvKind,
  key: string,
): Promise<boolean> {
  const removed = await runtimes.settings.deleteEnv(repo.id, kind, key);
  if (removed) await runtimes.onSettingsChanged(repo);
  return removed;
}

/** Variables in the Hub's shape (values are public). */
export async function listSpaceVariables(
  runtimes: SpaceRuntimes,
  repo: RepoRecord,
): Promise<SpaceVariablesView> {
  const out: SpaceVariablesView = {};
  for (const e of await runtimes.settings.env(repo.id, 'variable'))
    out[e.key] = { value: e.value, description: e.description, updatedAt: e.updatedAt };
  return out;
}

/** Secrets' names only: their values are never returned. */
export async function listSpaceSecrets(
  runtimes: SpaceRuntimes,
  repo: RepoRecord,
): Promise<Record<string, { description: string | null; updatedAt: string }>> {
  const out: Record<string, { description: string | null; updatedAt: string }> = {};
  for (const e of await runtimes.settings.env(repo.id, 'secret'))
    out[e.key] = { description: e.description, updatedAt: e.updatedAt };
  return out;
}

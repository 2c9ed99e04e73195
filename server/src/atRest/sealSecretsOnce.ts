import type { MetaStore } from '../db/metaStore.js';
import type { Database } from '../db/openDatabase.js';
import type { Logger } from '../logger.js';
import { sealPlaintextSecrets } from '../spaces/runtime/sqlSpaceSettingsStore.js';
import type { SecretBox } from './SecretBox.js';

/** Recorded in `meta` once the Space secrets an earlier version stored in plaintext are sealed. */
export const SECRETS_SEALED_STEP = 'at-rest/space-secrets-sealed';

/**
 * Seals the plaintext Space secrets of an earlier version on the first start after the upgrade, and
 * records it (as seeds are): later starts do not scan `space_env` again, since this version never
 * writes a secret in the clear.
 */
export async function sealPlaintextSecretsOnce(
  db: Database,
  meta: MetaStore,
  box: SecretBox,
  log: Logger,
): Promise<void> {
  if (await meta.get(SECRETS_SEALED_STEP)) return;
  const sealed = await sealPlaintextSecrets(db, box);
  if (sealed > 0)
    log.info({ secrets: sealed }, 'sealed Space secrets stored in plaintext by an earlier version');
  await meta.set(SECRETS_SEALED_STEP, new Date().toISOString());
}

import { randomBytes } from 'node:crypto';
import type { MetaStore } from '../db/metaStore.js';
import type { Database } from '../db/openDatabase.js';
import type { BlobStore } from './blobs/BlobStore.js';
import type { RepoStore } from './RepoStore.js';
import { sqlRepoStore } from './sqlRepoStore.js';

/** The Hub's state: repository records and the blob store, plus the key that signs upload URLs. */
export interface Hub {
  repos: RepoStore;
  blobs: BlobStore;
  /** HMAC key for LFS upload links (the official client sends no credentials with the upload itself). */
  signingKey: Buffer;
}

const SIGNING_KEY = 'hub.signingKey';

export async function createHub(db: Database, blobs: BlobStore, meta: MetaStore): Promise<Hub> {
  let key = await meta.get(SIGNING_KEY);
  if (!key) {
    key = randomBytes(32).toString('hex');
    await meta.set(SIGNING_KEY, key);
  }
  return {
    repos: sqlRepoStore(db),
    blobs,
    signingKey: Buffer.from(key, 'hex'),
  };
}

import path from 'node:path';
import type { Config } from '../../config.js';
import type { BlobStore } from './BlobStore.js';
import { DiskBlobStore } from './DiskBlobStore.js';
import { S3BlobStore } from './S3BlobStore.js';

/** The blob store the configuration names: `<dataDir>/blobs` by default, or an S3 bucket. */
export async function openBlobStore(config: Pick<Config, 'dataDir' | 'blobStore'>): Promise<BlobStore> {
  const chosen = config.blobStore;
  if (chosen.kind === 'disk') return new DiskBlobStore(path.join(config.dataDir, 'blobs'));
  return S3BlobStore.open(chosen);
}

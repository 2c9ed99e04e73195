import prettyBytes from 'pretty-bytes';
import { forbidden } from '../errors.js';
import type { Services } from '../services.js';

/** A blob an upload or commit is about to make an account hold. */
export interface AddedBlob {
  sha256: string;
  size: number;
}

/**
 * Refuses what would take an account's repositories past its storage quota, with the Hub's status
 * for a full storage (403) and a message saying where it stands and what to do. Blobs the account
 * already holds cost nothing again.
 */
export async function checkStorageQuota(
  services: Services,
  owner: { ownerId: string; ownerName: string },
  adding: readonly AddedBlob[],
): Promise<void> {
  if (adding.length === 0) return;
  const quota = services.config.storageQuotaBytes;
  const { usedBytes, addingBytes } = await services.hub.repos.storageUsage(owner.ownerId, adding);
  if (addingBytes === 0 || usedBytes + addingBytes <= quota) return;
  throw limitReached(owner.ownerName, usedBytes, quota, addingBytes);
}

/**
 * Refuses when the account is already at its quota. For duplicates: they stay constant-cost (the
 * source's files are not listed), so one may take its owner past the quota, whose uploads are then
 * refused until they delete something.
 */
export async function checkStorageNotFull(
  services: Services,
  owner: { ownerId: string; ownerName: string },
): Promise<void> {
  const quota = services.config.storageQuotaBytes;
  const { usedBytes } = await services.hub.repos.storageUsage(owner.ownerId);
  if (usedBytes >= quota) throw limitReached(owner.ownerName, usedBytes, quota, 0);
}

function limitReached(name: string, usedBytes: number, quota: number, addingBytes: number) {
  return forbidden(
    `Storage limit reached: ${name} holds ${prettyBytes(usedBytes)} of its ${prettyBytes(quota)}${addingBytes > 0 ? `, and this upload needs ${prettyBytes(addingBytes)} more` : ''}. Delete repositories you no longer need (a file deleted in a later commit still counts: history keeps it), or ask an administrator to raise ATRIUM_STORAGE_QUOTA_MB.`,
    'storage_limit_reached',
  );
}

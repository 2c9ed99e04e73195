import type { Services } from '../../services.js';

/** Blobs younger than this are never collected: an LFS upload may still be waiting for its commit. */
export const DEFAULT_GRACE_MS = 24 * 3600 * 1000;

/**
 * Mark and sweep: forget commits no branch reaches (deleted repositories, nothing else: history and
 * forks stay), then delete blob files no remaining commit names and older than the grace period.
 */
export async function collectGarbage(services: Services, graceMs = DEFAULT_GRACE_MS) {
  const { commits } = await services.hub.repos.pruneUnreachable();
  // Read the references after pruning, and only then list files: a blob committed meanwhile is
  // younger than the grace period, so it is kept either way.
  const keep = await services.hub.repos.referencedBlobs();
  const swept = await services.hub.blobs.sweep(keep, graceMs);
  services.log.info({ commits, ...swept }, 'hub garbage collected');
  return { commits, blobs: swept.blobs, bytes: swept.bytes };
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import { badRequest, forbidden, HttpError } from '../../errors.js';
import { checkStorageQuota } from '../../quota/storageQuota.js';
import type { Services } from '../../services.js';
import { BlobRejected } from '../blobs/BlobStore.js';
import type { RepoRecord } from '../RepoStore.js';

/** Upload links stay valid for a day, like the Hub's presigned URLs. */
const LINK_TTL_S = 24 * 3600;
/** The largest single file accepted. */
export const MAX_LFS_SIZE = 100 * 1024 ** 3;

export interface LfsObjectRequest {
  oid: string;
  size: number;
}

export interface SignedLink {
  oid: string;
  size: number;
  exp: number;
  sig: string;
}

const signature = (key: Buffer, action: string, oid: string, size: number, exp: number) =>
  createHmac('sha256', key).update(`${action}:${oid}:${size}:${exp}`).digest('base64url');

/** The Git LFS batch answer: an upload and a verify link per object not already stored. */
export async function lfsBatch(
  services: Services,
  repo: RepoRecord,
  baseUrl: string,
  operation: string,
  objects: LfsObjectRequest[],
) {
  if (operation !== 'upload')
    throw new HttpError(
      501,
      'Only the upload operation is offered; download files via /resolve/',
      'lfs_operation',
    );
  // Refused before a byte is sent when the files would take the owner past its storage quota.
  const wellFormed = objects.filter((o) => /^[0-9a-f]{64}$/.test(o.oid) && Number.isSafeInteger(o.size));
  await checkStorageQuota(
    services,
    repo,
    wellFormed.map((o) => ({ sha256: o.oid, size: o.size })),
  );
  const exp = Math.floor(Date.now() / 1000) + LINK_TTL_S;
  const key = services.hub.signingKey;
  const answers = await Promise.all(
    objects.map(async ({ oid, size }) => {
      if (!/^[0-9a-f]{64}$/.test(oid) || !Number.isSafeInteger(size) || size < 0 || size > MAX_LFS_SIZE) {
        return { oid, size, error: { code: 422, message: 'Invalid oid or size' } };
      }
      const stored = await services.hub.blobs.stat(oid);
      if (stored?.size === size) return { oid, size, authenticated: true };
      const q = (action: string) => `?size=${size}&exp=${exp}&sig=${signature(key, action, oid, size, exp)}`;
      return {
        oid,
        size,
        authenticated: true,
        actions: {
          upload: { href: `${baseUrl}/api/lfs/objects/${oid}${q('upload')}`, expires_in: LINK_TTL_S },
          verify: { href: `${baseUrl}/api/lfs/verify/${oid}${q('verify')}`, expires_in: LINK_TTL_S },
        },
      };
    }),
  );
  return { transfer: 'basic', objects: answers, hash_algo: 'sha256' };
}

/** Checks a signed upload or verify link; 403 when forged or expired. */
export function checkLink(services: Services, action: 'upload' | 'verify', link: SignedLink): void {
  const expected = Buffer.from(signature(services.hub.signingKey, action, link.oid, link.size, link.exp));
  const given = Buffer.from(link.sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw forbidden('Invalid upload link signature', 'lfs_signature');
  if (link.exp < Date.now() / 1000) throw forbidden('Upload link expired', 'lfs_link_expired');
}

/**
 * Receives an LFS object's bytes (the basic transfer's PUT), streaming them to the blob store. The
 * byte count and the sha256 must match the link, or nothing is kept.
 */
export async function receiveLfsObject(
  services: Services,
  link: SignedLink,
  body: Readable,
  contentLength: number | undefined,
) {
  checkLink(services, 'upload', link);
  if (contentLength !== undefined && contentLength !== link.size) {
    throw badRequest(
      `Content-Length ${contentLength} does not match the object size ${link.size}`,
      'size_mismatch',
    );
  }
  const stored = await services.hub.blobs.stat(link.oid);
  if (stored?.size === link.size) {
    body.resume();
    return;
  }
  try {
    await services.hub.blobs.putStream(body, { sha256: link.oid, size: link.size });
  } catch (err) {
    if (err instanceof BlobRejected) throw badRequest(err.message, err.reason);
    throw err;
  }
}

/** The basic transfer's verify step: 200 when the object is stored with this size, else 422. */
export async function verifyLfsObject(
  services: Services,
  link: SignedLink,
  body: { oid?: unknown; size?: unknown },
) {
  checkLink(services, 'verify', link);
  if (body.oid !== link.oid || body.size !== link.size)
    throw badRequest('Verify body does not match the link', 'lfs_verify_mismatch');
  const stored = await services.hub.blobs.stat(link.oid);
  if (stored?.size !== link.size) {
    throw new HttpError(
      422,
      `Object ${link.oid} of ${link.size} bytes was not received intact`,
      'lfs_verify_failed',
    );
  }
}

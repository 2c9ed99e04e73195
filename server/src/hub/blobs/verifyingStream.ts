import { createHash } from 'node:crypto';
import { type BlobExpectation, BlobRejected, type StoredBlob } from './BlobStore.js';

/**
 * A pipeline step that hashes and counts a blob's bytes as they pass, refusing the stream as soon as
 * it exceeds the declared or allowed size; `result()` checks size and sha256 once it has ended.
 * Shared by every store so that each refuses exactly the same uploads.
 */
export function verifyingStream(expect: BlobExpectation) {
  const hash = createHash('sha256');
  let size = 0;
  const limit = expect.size ?? expect.maxSize ?? Number.POSITIVE_INFINITY;
  const step = async function* (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      size += chunk.length;
      if (size > limit) {
        throw new BlobRejected(
          expect.size !== undefined
            ? `Received more than the declared ${expect.size} bytes`
            : 'Upload is too large',
          expect.size !== undefined ? 'size_mismatch' : 'too_large',
        );
      }
      hash.update(chunk);
      yield chunk;
    }
  };
  const result = (): StoredBlob => {
    if (expect.size !== undefined && size !== expect.size)
      throw new BlobRejected(`Received ${size} bytes but ${expect.size} were declared`, 'size_mismatch');
    const sha256 = hash.digest('hex');
    if (expect.sha256 !== undefined && sha256 !== expect.sha256)
      throw new BlobRejected(
        `Content sha256 ${sha256} does not match the declared ${expect.sha256}`,
        'sha_mismatch',
      );
    return { sha256, size };
  };
  return { step, result };
}

/** Maps a failed upload stream to BlobRejected('aborted') when the client went away; other errors pass. */
export function asRejection(err: unknown): unknown {
  if (err instanceof BlobRejected) return err;
  if (
    (err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (err as Error).message === 'aborted'
  )
    return new BlobRejected('The upload ended before all bytes arrived', 'aborted');
  return err;
}

export const sha256Of = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/** Whether a string is a sha256 in lower-case hex (blob keys are never anything else). */
export const isSha256 = (s: string) => /^[0-9a-f]{64}$/.test(s);

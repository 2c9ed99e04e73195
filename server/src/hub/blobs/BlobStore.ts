import type { Readable } from 'node:stream';

/** Why a streamed blob was refused; nothing of it is stored when this is thrown. */
export class BlobRejected extends Error {
  constructor(
    message: string,
    readonly reason: 'size_mismatch' | 'sha_mismatch' | 'too_large' | 'aborted',
  ) {
    super(message);
    this.name = 'BlobRejected';
  }
}

export interface StoredBlob {
  sha256: string;
  size: number;
}

/** What a streamed write must match; a mismatch refuses the blob (BlobRejected). */
export interface BlobExpectation {
  sha256?: string;
  size?: number;
  maxSize?: number;
}

/** Bytes `start` to `end` of a blob, both inclusive (as in HTTP Range and fs.createReadStream). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface BlobHealth {
  ok: boolean;
  /** Where the blobs live: a folder, or `s3://bucket/prefix`. */
  location: string;
  error?: string;
  [detail: string]: unknown;
}

/**
 * Content-addressed blob storage, keyed by sha256: the only way server code reaches file bytes.
 * A blob becomes visible only once its hash and size are verified, so no reader ever sees a partial
 * or wrong blob. Implementations: `DiskBlobStore` (default), `S3BlobStore` (ATRIUM_BLOB_STORE=s3);
 * both pass one contract suite (tests/src/hub/blobStores.test.ts).
 */
export interface BlobStore {
  /** The blob's size, or undefined when it is not stored. */
  stat(sha256: string): Promise<{ size: number } | undefined>;
  /** Like stat, and marks the blob as just used (collection spares it): call before committing a reference. */
  claim(sha256: string): Promise<{ size: number } | undefined>;
  /** Stores a buffer already in memory (small files, generated models). */
  put(content: Buffer): Promise<StoredBlob>;
  /** Streams a blob in while hashing it, never holding it whole in memory. */
  putStream(source: Readable, expect?: BlobExpectation): Promise<StoredBlob>;
  /** The blob's bytes, optionally a range; rejects (ENOENT-like) when absent. */
  read(sha256: string, range?: ByteRange): Promise<Readable>;
  /** A whole (small) blob in memory: cards, notebooks, Space sources. */
  readBuffer(sha256: string): Promise<Buffer>;
  /** Deletes blobs not in `keep` last used longer than `graceMs` ago; returns what it removed. */
  sweep(keep: ReadonlySet<string>, graceMs: number): Promise<{ blobs: number; bytes: number }>;
  /** Health: the store can still write. */
  check(): Promise<BlobHealth>;
  /**
   * A file on this machine holding the blob (the model cache hard-links it), or undefined when blobs
   * live elsewhere and must be copied through `read`.
   */
  localFile(sha256: string): string | undefined;
  /**
   * A short-lived URL a client may GET the blob from directly (the Hub redirects LFS downloads to its
   * storage the same way), or undefined to serve the bytes through Atrium.
   */
  downloadUrl(sha256: string, filename: string): Promise<string | undefined>;
  /** Releases connections on shutdown. */
  close(): void;
}

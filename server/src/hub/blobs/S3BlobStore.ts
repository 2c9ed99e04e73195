import { randomBytes } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BlobExpectation, BlobHealth, BlobStore, ByteRange, StoredBlob } from './BlobStore.js';
import { asRejection, isSha256, sha256Of, verifyingStream } from './verifyingStream.js';

export interface S3BlobStoreOptions {
  /** An S3-compatible endpoint (Swift, MinIO, Ceph); undefined: AWS for the region. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Prepended to every key, so one bucket can hold several installations (`atrium/`). */
  prefix: string;
  /** undefined: the SDK's default chain (AWS_ACCESS_KEY_ID, instance roles, …). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Bucket in the path rather than the host name: what non-AWS servers on one address need. */
  forcePathStyle: boolean;
  /** Resolve of LFS files answers 302 to a presigned GET (the S3 endpoint must be reachable by clients). */
  presignDownloads: boolean;
  /** Above this a verified upload is promoted by a multipart copy (CopyObject stops at 5 GiB). */
  copyPartBytes?: number;
}

/** CopyObject's limit; larger objects are copied in parts. */
const MAX_SINGLE_COPY = 5 * 1024 ** 3;
/** Presigned downloads stay valid this long (the Hub's CDN links last about as long). */
const DOWNLOAD_URL_TTL_S = 3600;
/** The resolution of S3 listing dates. */
const DATE_STEP_MS = 1000;
/** Temporary uploads older than this are debris of a crash (an upload in flight is never listed). */
const TMP_DEBRIS_MS = 3600 * 1000;

const notFound = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
};

/**
 * Blobs in an S3 bucket: `<prefix>sha256/ab/cdef…`. A streamed upload goes to `<prefix>tmp/…` and is
 * copied to its content address only once its hash and size are verified (no reader ever sees a
 * wrong blob under a sha256); a buffer is hashed first and written in place. S3 has no mtime to
 * refresh, so a claim writes an empty marker `<prefix>used/<sha256>` whose date garbage collection
 * reads beside the blob's own.
 */
export class S3BlobStore implements BlobStore {
  private readonly s3: S3Client;

  private constructor(readonly options: S3BlobStoreOptions) {
    this.s3 = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      credentials: options.credentials,
      forcePathStyle: options.forcePathStyle,
      // Non-AWS servers (Swift, older MinIO) reject the SDK's default CRC32 trailers: checksums only
      // where an operation requires them. Integrity is ours anyway: every blob is its own sha256.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** Connects, creating the bucket when it does not exist yet. */
  static async open(options: S3BlobStoreOptions): Promise<S3BlobStore> {
    const store = new S3BlobStore(options);
    try {
      await store.s3.send(new HeadBucketCommand({ Bucket: options.bucket }));
    } catch (err) {
      if (!notFound(err)) throw err;
      await store.s3.send(new CreateBucketCommand({ Bucket: options.bucket }));
    }
    return store;
  }

  private key(sha256: string) {
    return `${this.options.prefix}sha256/${sha256.slice(0, 2)}/${sha256.slice(2)}`;
  }

  private marker(sha256: string) {
    return `${this.options.prefix}used/${sha256}`;
  }

  private tmpKey() {
    return `${this.options.prefix}tmp/${Date.now()}-${randomBytes(8).toString('hex')}`;
  }

  localFile(): undefined {
    return undefined;
  }

  async downloadUrl(sha256: string, filename: string): Promise<string | undefined> {
    if (!this.options.presignDownloads) return undefined;
    const command = new GetObjectCommand({
      Bucket: this.options.bucket,
      Key: this.key(sha256),
      ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
    });
    return getSignedUrl(this.s3, command, { expiresIn: DOWNLOAD_URL_TTL_S });
  }

  async stat(sha256: string): Promise<{ size: number } | undefined> {
    try {
      const head = await this.s3.send(
        new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256) }),
      );
      return { size: head.ContentLength ?? 0 };
    } catch (err) {
      if (notFound(err)) return undefined;
      throw err;
    }
  }

  async claim(sha256: string): Promise<{ size: number } | undefined> {
    const stored = await this.stat(sha256);
    if (stored)
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: this.marker(sha256),
          Body: Buffer.alloc(0),
          ContentLength: 0,
        }),
      );
    return stored;
  }

  async read(sha256: string, range?: ByteRange): Promise<Readable> {
    try {
      const got = await this.s3.send(
        new GetObjectCommand({
          Bucket: this.options.bucket,
          Key: this.key(sha256),
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      return got.Body as Readable;
    } catch (err) {
      if (notFound(err)) throw Object.assign(new Error(`Blob ${sha256} is not stored`), { code: 'ENOENT' });
      throw err;
    }
  }

  async readBuffer(sha256: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.read(sha256)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /**
   * The bytes are hashed before the write, so they go straight to their content address: one request,
   * no existence check first. Rewriting identical bytes is harmless (a PUT is atomic) and dates the
   * object now, which is the claim.
   */
  async put(content: Buffer): Promise<StoredBlob> {
    const sha256 = sha256Of(content);
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256), Body: content }),
    );
    return { sha256, size: content.length };
  }

  async putStream(source: Readable, expect: BlobExpectation = {}): Promise<StoredBlob> {
    const tmp = this.tmpKey();
    const verify = verifyingStream(expect);
    const body = new PassThrough({ highWaterMark: 1024 * 1024 });
    // Multipart in 8 MiB parts, two in flight: memory per upload stays bounded whatever the size.
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.options.bucket, Key: tmp, Body: body },
      partSize: 8 * 1024 * 1024,
      queueSize: 2,
    });
    // A failed S3 write must also end the intake, or the pipeline would wait on backpressure forever.
    const sent = upload.done().catch((err: unknown) => {
      body.destroy(err as Error);
      throw err;
    });
    const [piped, uploaded] = await Promise.allSettled([pipeline(source, verify.step, body), sent]);
    let stored: StoredBlob;
    try {
      if (piped.status === 'rejected') throw asRejection(piped.reason);
      if (uploaded.status === 'rejected') throw uploaded.reason;
      stored = verify.result();
      if (await this.claim(stored.sha256)) return stored;
      await this.promote(tmp, stored);
      return stored;
    } finally {
      await this.delete(tmp).catch(() => undefined);
    }
  }

  /** Copies a verified temporary object to its content address (server-side, no bytes through us). */
  private async promote(tmp: string, { sha256, size }: StoredBlob) {
    const Bucket = this.options.bucket;
    const Key = this.key(sha256);
    const CopySource = `${Bucket}/${tmp}`;
    const partBytes = this.options.copyPartBytes ?? MAX_SINGLE_COPY;
    if (size <= partBytes) {
      await this.s3.send(new CopyObjectCommand({ Bucket, Key, CopySource }));
      return;
    }
    const { UploadId } = await this.s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    try {
      const Parts = [];
      for (let start = 0, PartNumber = 1; start < size; start += partBytes, PartNumber++) {
        const end = Math.min(start + partBytes, size) - 1;
        const part = await this.s3.send(
          new UploadPartCopyCommand({
            Bucket,
            Key,
            UploadId,
            PartNumber,
            CopySource,
            CopySourceRange: `bytes=${start}-${end}`,
          }),
        );
        Parts.push({ PartNumber, ETag: part.CopyPartResult?.ETag });
      }
      await this.s3.send(
        new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts } }),
      );
    } catch (err) {
      await this.s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => undefined);
      throw err;
    }
  }

  private async delete(key: string) {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }

  /** When the blob was last claimed (its marker's date in ms), 0 if never. */
  private async markerDate(sha256: string): Promise<number> {
    try {
      const head = await this.s3.send(
        new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.marker(sha256) }),
      );
      return head.LastModified?.getTime() ?? 0;
    } catch (err) {
      if (notFound(err)) return 0;
      throw err;
    }
  }

  /** Every object under a prefix with its size and date, page by page. */
  private async *list(prefix: string) {
    let ContinuationToken: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.options.bucket,
          Prefix: `${this.options.prefix}${prefix}`,
          ContinuationToken,
        }),
      );
      for (const o of page.Contents ?? [])
        if (o.Key) yield { key: o.Key, size: o.Size ?? 0, at: o.LastModified?.getTime() ?? 0 };
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  /**
   * Deletes blobs not in `keep` whose own date and last claim are older than the grace period, then
   * their markers, and temporary uploads a crash left behind. Several processes share a bucket and
   * the walk is long, so each candidate's marker is read again right before its delete: only a claim
   * landing between that read and the delete (one round trip, on a day-old orphan) is not excluded.
   */
  async sweep(keep: ReadonlySet<string>, graceMs: number): Promise<{ blobs: number; bytes: number }> {
    // Listings date objects in whole seconds (Swift rounds up): the grace period holds to within one.
    const cutoff = Date.now() - graceMs + DATE_STEP_MS;
    const claimed = new Map<string, number>();
    for await (const o of this.list('used/')) claimed.set(o.key.slice(o.key.lastIndexOf('/') + 1), o.at);
    let blobs = 0;
    let bytes = 0;
    const blobPrefix = `${this.options.prefix}sha256/`;
    for await (const o of this.list('sha256/')) {
      const sha256 = o.key.slice(blobPrefix.length).replace('/', '');
      if (!isSha256(sha256) || keep.has(sha256)) continue;
      if (o.at > cutoff || (claimed.get(sha256) ?? 0) > cutoff) continue;
      // Claimed since the markers were listed (a commit reusing the orphan): kept.
      if ((await this.markerDate(sha256)) > cutoff) continue;
      await this.delete(o.key);
      blobs++;
      bytes += o.size;
    }
    for (const [sha256, at] of claimed)
      if (!keep.has(sha256) && at <= cutoff && !(await this.stat(sha256)))
        await this.delete(this.marker(sha256));
    const debris = Date.now() - Math.max(graceMs, TMP_DEBRIS_MS);
    for await (const o of this.list('tmp/')) if (o.at <= debris) await this.delete(o.key);
    return { blobs, bytes };
  }

  /** Health: the bucket still takes a write. */
  async check(): Promise<BlobHealth> {
    const location = `s3://${this.options.bucket}/${this.options.prefix}`;
    const probe = this.tmpKey();
    try {
      await this.s3.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: probe, Body: 'ok' }));
      await this.delete(probe);
      return { ok: true, location };
    } catch (err) {
      return { ok: false, location, error: (err as Error).message };
    }
  }

  /** Ends the client's keep-alive sockets. */
  close() {
    this.s3.destroy();
  }
}

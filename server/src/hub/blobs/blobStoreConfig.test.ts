import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';

describe('the blob store configuration', () => {
  it('keeps blobs on disk unless ATRIUM_BLOB_STORE says s3', () => {
    expect(loadConfig({}).blobStore).toEqual({ kind: 'disk' });
  });

  it('reads every S3 setting, with path-style addressing by default when an endpoint is given', () => {
    const config = loadConfig({
      ATRIUM_BLOB_STORE: 's3',
      ATRIUM_S3_ENDPOINT: 'http://127.0.0.1:8080',
      ATRIUM_S3_BUCKET: 'atrium-blobs',
      ATRIUM_S3_PREFIX: 'prod/',
      ATRIUM_S3_ACCESS_KEY_ID: 'key',
      ATRIUM_S3_SECRET_ACCESS_KEY: 'secret',
      ATRIUM_S3_PRESIGNED_DOWNLOADS: '1',
    });
    expect(config.blobStore).toEqual({
      kind: 's3',
      endpoint: 'http://127.0.0.1:8080',
      bucket: 'atrium-blobs',
      region: 'us-east-1',
      prefix: 'prod/',
      credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
      forcePathStyle: true,
      presignDownloads: true,
    });
  });

  it('leaves AWS credentials and virtual-host addressing to the SDK when no endpoint or keys are set', () => {
    const config = loadConfig({ ATRIUM_BLOB_STORE: 's3', ATRIUM_S3_BUCKET: 'atrium-blobs' });
    expect(config.blobStore).toMatchObject({
      credentials: undefined,
      forcePathStyle: false,
      endpoint: undefined,
    });
  });

  it('refuses S3 without a bucket, with only one of the two keys, or with an unknown store', () => {
    expect(() => loadConfig({ ATRIUM_BLOB_STORE: 's3' })).toThrow(/ATRIUM_S3_BUCKET/);
    expect(() =>
      loadConfig({ ATRIUM_BLOB_STORE: 's3', ATRIUM_S3_BUCKET: 'b-1', ATRIUM_S3_ACCESS_KEY_ID: 'key' }),
    ).toThrow(/both/);
    expect(() => loadConfig({ ATRIUM_BLOB_STORE: 'ftp' })).toThrow(/ATRIUM_BLOB_STORE/);
  });
});

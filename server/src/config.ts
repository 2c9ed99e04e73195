import path from 'node:path';
import { z } from 'zod';
import { type SandboxDriverConfig, sandboxDriverConfig } from './runtime/kubernetes/kubernetesConfig.js';

/** Every setting comes from the environment, with a default that runs on one machine. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  ATRIUM_DATA_DIR: z.string().default('./.atrium'),
  ATRIUM_PUBLIC_URL: z.string().url().optional(),
  ATRIUM_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ATRIUM_AUTH_RATE_LIMIT: z.coerce.number().int().positive().default(30),
  ATRIUM_AUTH_RATE_WINDOW_S: z.coerce.number().int().positive().default(900),
  ATRIUM_JSON_LIMIT: z.string().default('1mb'),
  ATRIUM_CLIENT_DIR: z.string().optional(),
  ATRIUM_SEED: z.enum(['0', '1']).default('1'),
  ATRIUM_TRUST_PROXY: z.string().default('loopback'),
  ATRIUM_COLLAB_IDLE_MS: z.coerce.number().int().min(0).max(60_000).default(30_000),
  ATRIUM_COLLAB_DOC_MAX_MB: z.coerce.number().positive().default(32),
  ATRIUM_SANDBOX_RUNTIME: z.enum(['runc', 'runsc']).default('runc'),
  ATRIUM_SANDBOX_POOL_SIZE: z.coerce.number().int().min(0).max(32).optional(),
  ATRIUM_SANDBOX_MEMORY_MB: z.coerce.number().int().min(64).max(65536).default(512),
  ATRIUM_PYTHON_SANDBOX_MEMORY_MB: z.coerce.number().int().min(256).max(65536).default(2048),
  ATRIUM_PYTHON_POOL_SIZE: z.coerce.number().int().min(0).max(32).optional(),
  ATRIUM_SANDBOX_CPUS: z.coerce.number().positive().max(64).default(1),
  ATRIUM_SANDBOX_MAX_PER_USER: z.coerce.number().int().positive().default(10),
  ATRIUM_KERNEL_IDLE_TIMEOUT_S: z.coerce.number().int().positive().default(1800),
  ATRIUM_EXECUTION_TIMEOUT_S: z.coerce.number().int().positive().default(300),
  ATRIUM_INSTANCE_ID: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{4,64}$/)
    .optional(),
  ATRIUM_UPSTREAM_HUB: z.string().url().optional(),
  ATRIUM_STORAGE_QUOTA_MB: z.coerce.number().int().positive().default(10_240),
  ATRIUM_DEMO_UPLOAD_QUOTA_MB: z.coerce.number().int().positive().default(64),
  ATRIUM_BODY_TIMEOUT_S: z.coerce.number().positive().max(3600).default(20),
  ATRIUM_BODY_MIN_RATE: z.coerce.number().int().min(1).default(500),
  ATRIUM_SECRET_KEY: z.string().min(1).optional(),
  ATRIUM_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// (or postgresql://) URL')
    .optional(),
  ATRIUM_BLOB_STORE: z.enum(['disk', 's3']).default('disk'),
  ATRIUM_S3_ENDPOINT: z.string().url().optional(),
  ATRIUM_S3_BUCKET: z.string().min(3).max(63).optional(),
  ATRIUM_S3_REGION: z.string().min(1).default('us-east-1'),
  ATRIUM_S3_PREFIX: z.string().default(''),
  ATRIUM_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  ATRIUM_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  ATRIUM_S3_FORCE_PATH_STYLE: z.enum(['0', '1']).optional(),
  ATRIUM_S3_PRESIGNED_DOWNLOADS: z.enum(['0', '1']).default('0'),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  port: number;
  host: string;
  /** Absolute path of the folder holding all state: the database, blobs, caches. */
  dataDir: string;
  /** The address people reach Atrium at; cookies are Secure when it is https. */
  publicUrl: string | undefined;
  logLevel: Env['ATRIUM_LOG_LEVEL'];
  /** Sign-up and log-in attempts allowed per client address within the window. */
  authRateLimit: number;
  authRateWindowMs: number;
  jsonLimit: string;
  /** Built web client to serve; undefined serves the one from @atrium/client when it is built. */
  clientDir: string | undefined;
  /** Whether first start publishes demo content. */
  seed: boolean;
  trustProxy: string;
  /** A live document leaves memory this long after its last client left (at most 60 s). */
  collabIdleMs: number;
  /** Largest encoded size a live document may grow to. */
  collabDocMaxBytes: number;
  /** Docker (default) or Kubernetes (`ATRIUM_SANDBOX_DRIVER`, runtime/kubernetes/README.md). */
  sandboxDriver: SandboxDriverConfig;
  /** Container runtime of sandboxes: runc, or gVisor's runsc for a stronger boundary. */
  sandboxRuntime: 'runc' | 'runsc';
  /** Started sandboxes kept warm for the next kernel. */
  sandboxPoolSize: number;
  /** Whether the pool fills at start-up (the pool size was set explicitly) or after the first kernel. */
  sandboxPoolEager: boolean;
  sandboxMemoryMb: number;
  /** Python sandboxes: torch and transformers need more room than Node's. */
  pythonSandboxMemoryMb: number;
  /** Warm Python sandboxes; filled at start-up when set, else after the first Python kernel. */
  pythonPoolSize: number;
  pythonPoolEager: boolean;
  sandboxCpus: number;
  /** Kernels one user may run at once. */
  sandboxMaxPerUser: number;
  /** A kernel with no activity this long is shut down. */
  kernelIdleTimeoutS: number;
  /** One cell may run this long before it is interrupted. */
  executionTimeoutS: number;
  /** Labels this instance's containers; undefined: generated once and kept in the meta store. */
  instanceId: string | undefined;
  /** A Hub (or another Atrium) public models not found here are pulled from for sandboxes; off when unset. */
  upstreamHub: string | undefined;
  /** What one account's repositories may hold (server/src/quota). */
  storageQuotaBytes: number;
  /** Demo uploads (Gradio `upload`) one person may hold at once, across every Space. */
  demoUploadQuotaBytes: number;
  /** A request body must have arrived this long after its headers, plus 1 s per `bodyMinRate` bytes. */
  bodyTimeoutMs: number;
  /** Bytes per second that earn a slow upload one more second (Apache mod_reqtimeout's MinRate). */
  bodyMinRate: number;
  /** Key sealing secrets at rest (32 bytes, hex or base64); unset: a key file in the data directory. */
  secretKey: string | undefined;
  /** `postgres://…` keeps every store in PostgreSQL; unset: SQLite in the data directory. */
  databaseUrl: string | undefined;
  /** Where blobs live: `<dataDir>/blobs` (default) or an S3 bucket (server/src/hub/blobs). */
  blobStore: BlobStoreConfig;
}

export type BlobStoreConfig =
  | { kind: 'disk' }
  | {
      kind: 's3';
      endpoint: string | undefined;
      bucket: string;
      region: string;
      prefix: string;
      /** undefined: the AWS SDK's default credential chain. */
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
      forcePathStyle: boolean;
      presignDownloads: boolean;
    };

function blobStoreConfig(e: Env): BlobStoreConfig {
  if (e.ATRIUM_BLOB_STORE === 'disk') return { kind: 'disk' };
  if (!e.ATRIUM_S3_BUCKET)
    throw new Error('Invalid configuration: ATRIUM_BLOB_STORE=s3 needs ATRIUM_S3_BUCKET');
  if (!e.ATRIUM_S3_ACCESS_KEY_ID !== !e.ATRIUM_S3_SECRET_ACCESS_KEY)
    throw new Error(
      'Invalid configuration: set both ATRIUM_S3_ACCESS_KEY_ID and ATRIUM_S3_SECRET_ACCESS_KEY, or neither',
    );
  return {
    kind: 's3',
    endpoint: e.ATRIUM_S3_ENDPOINT,
    bucket: e.ATRIUM_S3_BUCKET,
    region: e.ATRIUM_S3_REGION,
    prefix: e.ATRIUM_S3_PREFIX,
    credentials:
      e.ATRIUM_S3_ACCESS_KEY_ID && e.ATRIUM_S3_SECRET_ACCESS_KEY
        ? { accessKeyId: e.ATRIUM_S3_ACCESS_KEY_ID, secretAccessKey: e.ATRIUM_S3_SECRET_ACCESS_KEY }
        : undefined,
    // Path style by default off AWS: a Swift or MinIO on one address has no per-bucket host names.
    forcePathStyle: (e.ATRIUM_S3_FORCE_PATH_STYLE ?? (e.ATRIUM_S3_ENDPOINT ? '1' : '0')) === '1',
    presignDownloads: e.ATRIUM_S3_PRESIGNED_DOWNLOADS === '1',
  };
}

/** Reads the configuration from an environment, refusing bad values with a message naming them. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.ATRIUM_DATA_DIR),
    publicUrl: e.ATRIUM_PUBLIC_URL?.replace(/\/$/, ''),
    logLevel: e.ATRIUM_LOG_LEVEL,
    authRateLimit: e.ATRIUM_AUTH_RATE_LIMIT,
    authRateWindowMs: e.ATRIUM_AUTH_RATE_WINDOW_S * 1000,
    jsonLimit: e.ATRIUM_JSON_LIMIT,
    clientDir: e.ATRIUM_CLIENT_DIR,
    seed: e.ATRIUM_SEED === '1',
    trustProxy: e.ATRIUM_TRUST_PROXY,
    collabIdleMs: e.ATRIUM_COLLAB_IDLE_MS,
    collabDocMaxBytes: Math.round(e.ATRIUM_COLLAB_DOC_MAX_MB * 1024 * 1024),
    sandboxDriver: sandboxDriverConfig(env),
    sandboxRuntime: e.ATRIUM_SANDBOX_RUNTIME,
    sandboxPoolSize: e.ATRIUM_SANDBOX_POOL_SIZE ?? 1,
    sandboxPoolEager: e.ATRIUM_SANDBOX_POOL_SIZE !== undefined,
    sandboxMemoryMb: e.ATRIUM_SANDBOX_MEMORY_MB,
    pythonSandboxMemoryMb: e.ATRIUM_PYTHON_SANDBOX_MEMORY_MB,
    pythonPoolSize: e.ATRIUM_PYTHON_POOL_SIZE ?? 1,
    pythonPoolEager: e.ATRIUM_PYTHON_POOL_SIZE !== undefined,
    sandboxCpus: e.ATRIUM_SANDBOX_CPUS,
    sandboxMaxPerUser: e.ATRIUM_SANDBOX_MAX_PER_USER,
    kernelIdleTimeoutS: e.ATRIUM_KERNEL_IDLE_TIMEOUT_S,
    executionTimeoutS: e.ATRIUM_EXECUTION_TIMEOUT_S,
    instanceId: e.ATRIUM_INSTANCE_ID,
    upstreamHub: e.ATRIUM_UPSTREAM_HUB?.replace(/\/$/, ''),
    storageQuotaBytes: e.ATRIUM_STORAGE_QUOTA_MB * 1024 * 1024,
    demoUploadQuotaBytes: e.ATRIUM_DEMO_UPLOAD_QUOTA_MB * 1024 * 1024,
    bodyTimeoutMs: e.ATRIUM_BODY_TIMEOUT_S * 1000,
    bodyMinRate: e.ATRIUM_BODY_MIN_RATE,
    secretKey: e.ATRIUM_SECRET_KEY,
    databaseUrl: e.ATRIUM_DATABASE_URL,
    blobStore: blobStoreConfig(e),
    ...overrides,
  };
}

import path from 'node:path';
import { z } from 'zod';

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
    ...overrides,
  };
}

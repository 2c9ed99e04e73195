import { createHash, randomBytes } from 'node:crypto';

/** A fresh random secret, URL-safe. */
export const randomSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Secrets (session ids, API tokens) are stored only as their SHA-256, so a database leak reveals none. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** The unmodified Hub clients refuse tokens not starting with `hf_`; `hf_atr_` also tells Atrium's apart. */
export const TOKEN_PREFIX = 'hf_atr_';
export const newApiToken = (): string => TOKEN_PREFIX + randomBytes(24).toString('base64url');

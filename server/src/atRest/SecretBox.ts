import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PRIVATE_FILE_MODE } from './privateFiles.js';

/** The key file a data directory keeps when ATRIUM_SECRET_KEY is not set (mode 0600). */
export const SECRET_KEY_FILE = 'secret.key';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed value could not be opened: the key is not the one it was sealed with, or it was altered. */
export class SecretUnreadable extends Error {
  constructor(what: string) {
    super(
      `${what} cannot be decrypted: the key (ATRIUM_SECRET_KEY, or ${SECRET_KEY_FILE} in the data directory) is not the one it was sealed with`,
    );
    this.name = 'SecretUnreadable';
  }
}

/** Parses ATRIUM_SECRET_KEY: 32 bytes as 64 hex characters or as base64. */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES)
    throw new Error('ATRIUM_SECRET_KEY must be 32 bytes, written as 64 hex characters or in base64');
  return key;
}

/**
 * The key secrets are sealed with, kept outside the database: ATRIUM_SECRET_KEY when set, else a key
 * file in the data directory, generated once with mode 0600. A copy of the database alone (a backup,
 * a leaked file) then reveals no secret; keeping the key in a secret manager separates them further.
 */
export function loadSecretKey(dataDir: string, fromEnv: string | undefined): Buffer {
  if (fromEnv) return parseSecretKey(fromEnv);
  const file = path.join(dataDir, SECRET_KEY_FILE);
  try {
    fs.writeFileSync(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, {
      flag: 'wx',
      mode: PRIVATE_FILE_MODE,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // Whatever the umask made of it, or whoever loosened it since.
  fs.chmodSync(file, PRIVATE_FILE_MODE);
  return parseSecretKey(fs.readFileSync(file, 'utf8'));
}

/**
 * AES-256-GCM sealing of small secrets at rest. Each value gets a fresh IV and is bound to where it
 * is stored (`context`, e.g. the Space and the key name), so a sealed value moved to another row
 * does not open there. Sealed form: base64 of IV ‖ tag ‖ ciphertext.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error('a secret key is 32 bytes');
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** The plaintext; throws SecretUnreadable when the key or the context is wrong, or the value was altered. */
  open(sealed: string, context: string, what = 'A secret'): string {
    const bytes = Buffer.from(sealed, 'base64');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new SecretUnreadable(what);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretUnreadable(what);
    }
  }
}

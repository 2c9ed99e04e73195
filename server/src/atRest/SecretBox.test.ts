import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSecretKey, SecretBox, SecretUnreadable } from './SecretBox.js';

describe('sealing secrets', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed, with a fresh IV each time', () => {
    const a = box.seal('hunter2', 'space\0r1\0KEY');
    expect(a).not.toContain('hunter2');
    expect(box.seal('hunter2', 'space\0r1\0KEY')).not.toBe(a);
    expect(box.open(a, 'space\0r1\0KEY')).toBe('hunter2');
  });

  it('refuses another row’s context, another key and an altered value', () => {
    const sealed = box.seal('hunter2', 'space\0r1\0KEY');
    expect(() => box.open(sealed, 'space\0r2\0KEY')).toThrow(SecretUnreadable);
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'space\0r1\0KEY')).toThrow(SecretUnreadable);
    const bytes = Buffer.from(sealed, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    expect(() => box.open(bytes.toString('base64'), 'space\0r1\0KEY')).toThrow(SecretUnreadable);
    expect(() => box.open('', 'space\0r1\0KEY')).toThrow(SecretUnreadable);
  });

  it('takes a key as 64 hex characters or base64 of 32 bytes, nothing else', () => {
    const key = randomBytes(32);
    expect(parseSecretKey(key.toString('hex'))).toEqual(key);
    expect(parseSecretKey(key.toString('base64'))).toEqual(key);
    expect(() => parseSecretKey('short')).toThrow(/32 bytes/);
  });
});

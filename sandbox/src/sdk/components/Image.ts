import type { ImageConfig, ImageValue } from '@atrium/protocol';
import { type CommonOptions, type Component, common, describeValue, isMissing } from '../component.js';
import { inputError, outputError } from '../errors.js';

export interface ImageOptions<N extends string> extends CommonOptions<N> {
  /** Largest accepted image in bytes (default 10 MB). */
  maxBytes?: number;
}

const DATA_URL = /^data:(image\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/]*={0,2})$/i;

/** Reads a base64 data: URL or an ImageValue into an ImageValue with its decoded size. */
export function toImageValue(raw: unknown, maxBytes: number, fail: (problem: string) => Error): ImageValue {
  const url = typeof raw === 'string' ? raw : (raw as { url?: unknown } | null)?.url;
  if (typeof url !== 'string')
    throw fail(`expected an image (data: URL or {url}), got ${describeValue(raw)}`);
  const match = DATA_URL.exec(url);
  if (!match) throw fail('expected a base64 data:image/... URL');
  const mimeType = (match[1] as string).toLowerCase();
  const b64 = match[2] as string;
  const size = Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
  if (size > maxBytes) throw fail(`image is ${size} bytes, the limit is ${maxBytes}`);
  const origName = typeof raw === 'object' && raw && 'origName' in raw ? String(raw.origName) : undefined;
  return { url, mimeType, size, ...(origName === undefined ? {} : { origName }) };
}

/** An uploaded image as the function's input, or an image the function returns. */
export function Image<const N extends string>(
  o: ImageOptions<N>,
): Component<N, ImageValue, ImageValue | string> {
  const maxBytes = o.maxBytes ?? 10 * 1024 * 1024;
  const config: ImageConfig & { name: N } = { type: 'image', ...common(o), maxBytes };
  return {
    config,
    parse(raw) {
      if (isMissing(raw)) throw inputError(o.name, 'an image is required');
      return toImageValue(raw, maxBytes, (p) => inputError(o.name, p));
    },
    serialize(value) {
      if (isMissing(value)) return null;
      return toImageValue(value, maxBytes, (p) => outputError(o.name, p));
    },
  };
}

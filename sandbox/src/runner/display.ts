import { inspect } from 'node:util';
import type { MimeBundle } from '@atrium/protocol';

/** Marks a value as carrying its own MIME bundle (what display.html() and friends return). */
export const MIME = Symbol.for('atrium.mime');

export interface Displayable {
  [MIME]: MimeBundle;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

const isPng = (v: unknown): v is Uint8Array =>
  v instanceof Uint8Array && v.length > 4 && PNG_MAGIC.every((b, i) => v[i] === b);

const isPlainData = (v: unknown) =>
  Array.isArray(v) || (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype);

/** The richest MIME bundle for a value: tagged bundles, PNG bytes, Vega-Lite specs, JSON, text. */
export function mimeBundleOf(value: unknown): MimeBundle {
  if (typeof value === 'object' && value !== null && MIME in value) return (value as Displayable)[MIME];
  if (isPng(value))
    return { 'image/png': Buffer.from(value).toString('base64'), 'text/plain': '<PNG image>' };
  const text = typeof value === 'string' ? value : inspect(value, { depth: 4, colors: false });
  if (isPlainData(value)) {
    const schema = (value as { $schema?: unknown }).$schema;
    if (typeof schema === 'string' && schema.includes('vega-lite')) {
      return { 'application/vnd.vegalite.v5+json': value, 'text/plain': '<Vega-Lite chart>' };
    }
    try {
      return { 'application/json': JSON.parse(JSON.stringify(value)), 'text/plain': text };
    } catch {
      return { 'text/plain': text };
    }
  }
  return { 'text/plain': text };
}

/** The bundle of a cell's result: like the Node REPL (strings quoted), unless the value is tagged. */
export function resultBundleOf(value: unknown): MimeBundle {
  if (typeof value === 'object' && value !== null && MIME in value) return (value as Displayable)[MIME];
  if (isPng(value)) return mimeBundleOf(value);
  const bundle = mimeBundleOf(value);
  return { ...bundle, 'text/plain': inspect(value, { depth: 4, colors: false }) };
}

const tagged = (bundle: MimeBundle): Displayable => ({ [MIME]: bundle });

/** Constructors for explicit representations, exposed to cells as display.html(...) and so on. */
export const mimeConstructors = {
  html: (html: string) => tagged({ 'text/html': String(html), 'text/plain': '<HTML>' }),
  png: (png: Uint8Array | string) =>
    tagged({
      'image/png': typeof png === 'string' ? png : Buffer.from(png).toString('base64'),
      'text/plain': '<PNG image>',
    }),
  json: (value: unknown) => tagged({ 'application/json': value, 'text/plain': JSON.stringify(value) }),
  vegaLite: (spec: Record<string, unknown>) =>
    tagged({
      'application/vnd.vegalite.v5+json': {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
        ...spec,
      },
      'text/plain': '<Vega-Lite chart>',
    }),
  text: (text: string) => tagged({ 'text/plain': String(text) }),
  mime: (bundle: MimeBundle) => tagged(bundle),
};

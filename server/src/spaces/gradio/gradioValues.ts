import type { DemoDescription, ImageValue } from '@atrium/protocol';
import { DemoError } from '@atrium/sandbox/sdk';
import type { UploadStore } from './UploadStore.js';

/** Gradio's FileData as it crosses the wire. */
export interface FileData {
  path: string;
  url?: string | null;
  size?: number | null;
  orig_name?: string | null;
  mime_type?: string | null;
  is_stream?: boolean;
  meta: { _type: 'gradio.FileData' };
}

const FILE_ROUTE = `/file=`;

/** Finds an uploaded file named by a FileData path or by a file= URL of this app. */
function uploadedPath(value: { path?: unknown; url?: unknown }): string | undefined {
  if (typeof value.url === 'string' && value.url.includes(FILE_ROUTE)) {
    return decodeURIComponent(
      value.url.slice(value.url.indexOf(FILE_ROUTE) + FILE_ROUTE.length).split('?')[0] ?? '',
    );
  }
  return typeof value.path === 'string' ? value.path : undefined;
}

/**
 * Turns Gradio wire inputs into the SDK's values: an Image given as FileData (uploaded earlier)
 * becomes an ImageValue carrying its bytes as a data: URL, because the sandbox cannot fetch.
 * URLs of other sites are refused: the server never fetches on a caller's behalf.
 */
export function toDemoInputs(d: DemoDescription, data: unknown[], uploads: UploadStore): unknown[] {
  return data.map((value, i) => {
    const c = d.inputs[i];
    if (c?.type !== 'image' || !value || typeof value !== 'object') return value;
    const v = value as { path?: unknown; url?: unknown; orig_name?: unknown };
    if (typeof v.url === 'string' && v.url.startsWith('data:')) return { url: v.url };
    const path = uploadedPath(v);
    const file = path === undefined ? undefined : uploads.get(path);
    if (!file) {
      throw new DemoError(
        `Input "${c.name}": unknown or expired file; upload it first or send a data: URL`,
        'input',
      );
    }
    const image: Partial<ImageValue> = {
      url: `data:${file.mimeType};base64,${file.bytes.toString('base64')}`,
      ...(typeof v.orig_name === 'string' ? { origName: v.orig_name } : {}),
    };
    return image;
  });
}

/** Turns SDK outputs into Gradio wire values (an image becomes a FileData whose url is its data: URL). */
export function toGradioOutputs(d: DemoDescription, outputs: unknown[]): unknown[] {
  return outputs.map((value, i) => {
    if (d.outputs[i]?.type !== 'image' || !value || typeof value !== 'object') return value;
    const image = value as ImageValue;
    const file: FileData = {
      path: image.origName ?? 'image',
      url: image.url,
      size: image.size,
      orig_name: image.origName ?? null,
      mime_type: image.mimeType,
      is_stream: false,
      meta: { _type: 'gradio.FileData' },
    };
    return file;
  });
}

import { randomUUID } from 'node:crypto';
import type { UploadQuota } from '../../quota/UploadQuota.js';

/** One uploaded file, kept in memory until it expires. */
export interface Upload {
  bytes: Buffer;
  mimeType: string;
  name: string;
  expires: number;
  /** Who sent it (their account id, or `address:<ip>`): it counts against their UploadQuota. */
  holder: string;
}

/**
 * Files sent to a demo's `upload` endpoint (Gradio returns a server path the next call names).
 * Bounded in total bytes and age, so uploads nobody uses cannot exhaust memory.
 */
export class UploadStore {
  private readonly files = new Map<string, Upload>();
  private bytes = 0;

  constructor(
    private readonly quota?: UploadQuota,
    private readonly maxTotalBytes = 256 * 1024 * 1024,
    private readonly ttlMs = 60 * 60 * 1000,
  ) {}

  /** Stores a file and returns the path callers pass back in a FileData; 403 past the holder's quota. */
  put(bytes: Buffer, mimeType: string, name: string, holder = 'anonymous'): string {
    this.sweep();
    this.quota?.reserve(holder, bytes.length);
    while (this.bytes + bytes.length > this.maxTotalBytes && this.files.size > 0) {
      this.remove(this.files.keys().next().value as string); // oldest first
    }
    const safeName = name.replace(/[^\w.-]+/g, '_').slice(0, 100) || 'file';
    const path = `${randomUUID()}/${safeName}`;
    this.files.set(path, { bytes, mimeType, name, expires: Date.now() + this.ttlMs, holder });
    this.bytes += bytes.length;
    return path;
  }

  get(path: string): Upload | undefined {
    const file = this.files.get(path);
    if (file && file.expires < Date.now()) {
      this.remove(path);
      return undefined;
    }
    return file;
  }

  /** Drops every file (the app stopped): their holders get the room back. */
  clear(): void {
    for (const path of [...this.files.keys()]) this.remove(path);
  }

  private remove(path: string) {
    const file = this.files.get(path);
    if (!file) return;
    this.bytes -= file.bytes.length;
    this.files.delete(path);
    this.quota?.release(file.holder, file.bytes.length);
  }

  private sweep() {
    const now = Date.now();
    for (const [path, file] of this.files) if (file.expires < now) this.remove(path);
  }
}

import prettyBytes from 'pretty-bytes';
import { forbidden } from '../errors.js';

/**
 * Demo uploads (files sent to a Space's Gradio `upload`, kept in memory for an hour) one person may
 * hold at once across every Space, so one visitor cannot fill the apps' upload stores and push
 * everyone else's files out. A person is their account, or their address when anonymous.
 */
export class UploadQuota {
  private readonly held = new Map<string, number>();

  constructor(readonly limitBytes: number) {}

  /** Bytes `holder` holds now. */
  usage(holder: string): number {
    return this.held.get(holder) ?? 0;
  }

  /** Counts `bytes` against `holder`; a 403 when that would pass the limit (nothing is counted then). */
  reserve(holder: string, bytes: number): void {
    const used = this.usage(holder);
    if (used + bytes > this.limitBytes)
      throw forbidden(
        `Upload limit reached: you hold ${prettyBytes(used)} of demo uploads, of ${prettyBytes(this.limitBytes)} per person, and this file needs ${prettyBytes(bytes)}. Uploads are kept for an hour, or until the app restarts.`,
        'upload_limit_reached',
      );
    this.held.set(holder, used + bytes);
  }

  release(holder: string, bytes: number): void {
    const left = this.usage(holder) - bytes;
    if (left > 0) this.held.set(holder, left);
    else this.held.delete(holder);
  }
}

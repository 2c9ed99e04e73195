import { CloseCode } from '@atrium/protocol';
import { describe, expect, it } from 'vitest';
import { backoffAttempts, liveDocumentEnd } from './liveDocumentAccess';

describe('what a live document does after the server closes it', () => {
  it('reconnects after a close for pace or size: slow, flooding, a frame too large', () => {
    for (const code of [CloseCode.SlowReader, CloseCode.Flooding, CloseCode.FrameTooLarge])
      expect(liveDocumentEnd(code, 'x', 'notebook'), String(code)).toBeNull();
  });

  it('stops for good after a close about access or the document, and says why', () => {
    for (const code of [
      CloseCode.Forbidden,
      CloseCode.NotFound,
      CloseCode.DocumentTooLarge,
      CloseCode.AccessRevoked,
      CloseCode.DocumentDeleted,
      CloseCode.SessionEnded,
    ])
      expect(liveDocumentEnd(code, 'why', 'notebook')?.message, String(code)).toBeTruthy();
    expect(liveDocumentEnd(CloseCode.DocumentDeleted, '', 'notebook')?.message).toBe(
      'This notebook was deleted.',
    );
  });

  it('reconnects after a shutdown or an internal error', () => {
    expect(liveDocumentEnd(CloseCode.ServerShutdown, '', 'notebook')).toBeNull();
    expect(liveDocumentEnd(CloseCode.InternalError, '', 'notebook')).toBeNull();
  });

  it('backs off by the count of retryable closes even when a sync reset the library’s count', () => {
    expect(backoffAttempts(0, 3)).toBe(3);
    expect(backoffAttempts(5, 1)).toBe(5);
  });
});

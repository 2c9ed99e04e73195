/** One Server-Sent Event as a client reads it. */
export interface StreamEvent {
  event: string;
  data: unknown;
}

/** A Server-Sent Events response read as it arrives: every event so far, and whether the server ended it. */
export interface OpenStream {
  events: StreamEvent[];
  ended: boolean;
  /** Stops reading (the client hangs up). */
  cancel: () => Promise<void>;
}

/** Reads an SSE response in the background (comments skipped, `data:` parsed as JSON). */
export function readEventStream(res: Response): OpenStream {
  if (!res.body) throw new Error(`no body (status ${res.status})`);
  const reader = res.body.getReader();
  const stream: OpenStream = { events: [], ended: false, cancel: () => reader.cancel().catch(() => {}) };
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffered += decoder.decode(value, { stream: true });
        for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const lines = block.split('\n');
          const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
          if (data.length === 0) continue;
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
          stream.events.push({ event, data: JSON.parse(data.join('\n')) });
        }
      }
    } catch {
      // Cancelled by the test: the stream is over either way.
    }
    stream.ended = true;
  })();
  return stream;
}

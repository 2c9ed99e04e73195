import { badRequest, payloadTooLarge } from '../errors.js';

// Blank lines are skipped; a line is blank when it holds nothing but spaces, tabs and CRs.
const isBlank = (parts: Buffer[]) => parts.every((p) => p.every((b) => b === 32 || b === 9 || b === 13));

/**
 * Splits a byte stream into lines without buffering more than one line: an NDJSON commit can be
 * large, but each line (one file) is bounded, and so is the whole. A line comes as the pieces of the
 * chunks it arrived in, never joined here: joining a 64 MB line is a copy the event loop need not
 * make (the task worker joins it).
 */
export async function* ndjsonLines(
  source: AsyncIterable<Buffer>,
  maxLine: number,
  maxTotal: number,
): AsyncGenerator<Buffer[]> {
  let pending: Buffer[] = [];
  let pendingSize = 0;
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > maxTotal) throw payloadTooLarge(`Commit body exceeds ${maxTotal} bytes`);
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      pending.push(chunk.subarray(start, nl));
      const line = pending;
      pending = [];
      pendingSize = 0;
      start = nl + 1;
      if (!isBlank(line)) yield line;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingSize += chunk.length - start;
      if (pendingSize > maxLine)
        throw payloadTooLarge(
          `One line of the commit exceeds ${maxLine} bytes; send large files through LFS`,
        );
    }
  }
  if (!isBlank(pending)) yield pending;
}

/** Parses one NDJSON line as an object with a `key`, or a 400 naming the line. */
export function parseLine(line: string, index: number): { key: string; value: Record<string, unknown> } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw badRequest(`Line ${index + 1} of the commit is not valid JSON`, 'malformed_ndjson');
  }
  if (!parsed || typeof parsed !== 'object' || typeof (parsed as { key?: unknown }).key !== 'string') {
    throw badRequest(`Line ${index + 1} of the commit has no "key"`, 'malformed_ndjson');
  }
  const value = (parsed as { value?: unknown }).value;
  if (!value || typeof value !== 'object')
    throw badRequest(`Line ${index + 1} of the commit has no "value" object`, 'malformed_ndjson');
  return parsed as { key: string; value: Record<string, unknown> };
}

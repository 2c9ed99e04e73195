import { badRequest } from '../errors.js';
import { joinChunks } from '../http/rawBody.js';
import { validate } from '../http/validate.js';
import { gitBlobOid } from './gitOid.js';
import { lfsPatterns, matchesLfsPattern } from './lfsPatterns.js';
import { parseLine } from './ndjsonLines.js';
import { CreateRepoBody } from './schema.js';

/**
 * Task-worker functions for the Hub's large bodies (`work/tasks.ts`): each parses, checks and
 * decodes what a request carries and computes git oids, so the event loop only writes bytes.
 */

/** A file's bytes with its git oid, ready to be stored. */
export interface DecodedFile {
  path: string;
  content: Uint8Array;
  gitOid: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(content: string, path: string): DecodedFile {
  if (!BASE64.test(content)) throw badRequest(`Content of ${path} is not valid base64`, 'bad_encoding');
  const bytes = Buffer.from(content, 'base64');
  // A copy that owns its buffer moves to the main thread without another copy.
  const owned = new Uint8Array(bytes.length);
  owned.set(bytes);
  return { path, content: owned, gitOid: gitBlobOid(bytes) };
}

/** `POST /api/repos/create` as @huggingface/hub sends it, files decoded. */
export function repoCreateBodyTask(input: { body: Uint8Array[] }) {
  const body = joinChunks(input.body);
  let raw: unknown;
  try {
    raw = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest('Malformed JSON body', 'malformed_json');
  }
  const { files, ...fields } = validate(CreateRepoBody, raw);
  return { fields, files: (files ?? []).map((f) => decodeBase64(f.content, f.path)) };
}

/** One NDJSON line of a commit; a `file` line comes back with its content decoded. */
export function commitLineTask(input: { line: Uint8Array[]; index: number }) {
  const { key, value } = parseLine(joinChunks(input.line).toString('utf8'), input.index);
  if (key !== 'file' || typeof value.content !== 'string') return { key, value, file: null };
  if (value.encoding !== undefined && value.encoding !== 'base64')
    throw badRequest('Only base64 file content is accepted', 'bad_encoding');
  const { content, ...rest } = value;
  return { key, value: rest, file: decodeBase64(content, String(value.path)) };
}

/** For each path, whether a `.gitattributes` LFS pattern claims it. */
export function uploadModesTask(input: { attributes: string; paths: string[] }): boolean[] {
  const patterns = lfsPatterns(input.attributes);
  return input.paths.map((path) => patterns.some((p) => matchesLfsPattern(p, path)));
}

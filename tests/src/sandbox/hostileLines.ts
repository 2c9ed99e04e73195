/**
 * The hostile lines of the channel fuzz suite, as JavaScript source: they are written from inside
 * sandboxes (a cell writing to /proc/1/fd/1, a Space app writing to its own stdout), so the
 * generator travels in the code the test runs there. Line `i` is the same on every run.
 *
 * `hostileLines(start, count, ctx)` returns lines `start … start+count-1`, each ending in `\n`, as a
 * latin1 string (write it with `Buffer.from(text, 'latin1')`). `ctx`:
 * - `mode`: 'kernel' or 'app' (which channel's messages to imitate);
 * - `sign(json)`: the HMAC of the channel's key (kernel mode), to sign garbage correctly;
 * - `current`: the id of the call being answered now (app mode): only refusable replies use it;
 * - `finished`: ids of requests already answered (replies to them must be ignored).
 */
export const HOSTILE_LINES_JS = String.raw`
function hostileLines(start, count, ctx) {
  let out = '';
  for (let i = start; i < start + count; i++) out += hostileLine(i, ctx) + '\n';
  return out;
}

function hostileLine(i, ctx) {
  let seed = (Math.imul(i, 2654435761) ^ 0x9e3779b9) >>> 0;
  const rnd = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(rnd() * n);
  const pick = (list) => list[int(list.length)];
  const bytes = (n) => {
    let s = '';
    for (let k = 0; k < n; k++) {
      const c = 1 + int(255);
      s += String.fromCharCode(c === 10 ? 32 : c);
    }
    return s;
  };
  const id = () => pick([...(ctx.finished || []), 'no-such-id-' + int(1e9), '', 'x'.repeat(int(300))]);
  const nest = (depth) => '['.repeat(depth) + ']'.repeat(depth);
  const sign = (json) => (ctx.sign ? ctx.sign(json) : bytes(64).replace(/ /g, 'x'));
  const signed = (value) => {
    const json = typeof value === 'string' ? value : JSON.stringify(value);
    return sign(json) + ' ' + json;
  };
  const wrongShapes = [
    null, 42, 'text', [], [1, 2, 3], {}, { header: null }, { header: { msg_id: 7 } },
    { header: { msg_id: 'a', msg_type: 'stream' }, parent_header: { msg_id: id() }, content: { name: 'stdout', text: 42 } },
    { header: { msg_id: 'a', msg_type: 'status' }, parent_header: null, content: { execution_state: 'sleeping' } },
    { header: { msg_id: 'a', msg_type: 'no_such_type' }, parent_header: {}, content: {} },
    { header: { msg_id: 'a', msg_type: 'display_data' }, parent_header: { msg_id: id() }, content: { data: 'not a bundle' } },
    { header: { msg_id: 'a', msg_type: 'atrium_model_request' }, parent_header: {}, content: { model_id: '../../etc/passwd' } },
    { type: 'partial', id: id(), outputs: 42 },
    { type: 'result', id: id() },
    { type: 'description', id: id(), demo: { title: 7 } },
    { type: 'app_loaded', id: id(), durationMs: 'soon' },
    { type: 'model_request', id: id(), model_id: 'no slash' },
    { type: 'no_such_type', id: id() },
    { type: { nested: true }, id: [] },
  ];
  const kernelMessage = (type, content, parent) => ({
    header: { msg_id: 'fuzz-' + i, msg_type: type, session: 's', username: 'u', date: '', version: '5.3' },
    parent_header: parent === undefined ? { msg_id: id() } : parent,
    metadata: {},
    content,
  });
  switch (i % 12) {
    case 0: // random bytes
      return bytes(1 + int(200));
    case 1: // valid JSON of the wrong shape, unsigned
      return JSON.stringify(pick(wrongShapes));
    case 2: // nesting far past any limit
      return pick([nest(100 + int(1000)), '{"a":' + nest(70) + '}', signed(nest(200))]);
    case 3: // a forged signature on a well-formed message
      return bytes(64).replace(/ /g, 'f') + ' ' + JSON.stringify(kernelMessage('stream', { name: 'stdout', text: 'FORGED' }));
    case 4: // correctly signed garbage
      return signed(pick(wrongShapes));
    case 5: // correctly signed, well-formed replies to unknown or finished requests
      return signed(
        pick([
          kernelMessage('execute_reply', { status: 'ok', execution_count: int(100) }),
          kernelMessage('status', { execution_state: 'idle' }),
          kernelMessage('stream', { name: 'stdout', text: 'FORGED' }),
          kernelMessage('error', { ename: 'Fuzz', evalue: 'FORGED', traceback: [] }),
          kernelMessage('interrupt_reply', { status: 'ok' }),
          kernelMessage('shutdown_reply', { status: 'ok', restart: true }),
          kernelMessage('display_data', { data: { 'text/plain': 'FORGED', 'text/html': bytes(int(2000)) }, metadata: {} }),
        ]),
      );
    case 6: // signed requests for models that are not ids
      return signed(kernelMessage('atrium_model_request', { model_id: pick(['', 'a/b/c', 'x'.repeat(500), '../x', 42]) }, {}));
    case 7: // app mode: replies to unknown or finished calls
      return JSON.stringify(
        pick([
          { type: 'result', id: id(), outputs: ['FORGED'], durationMs: 1 },
          { type: 'error', id: id(), message: 'FORGED', kind: 'function' },
          { type: 'partial', id: id(), outputs: ['FORGED'] },
          { type: 'app_loaded', id: id(), durationMs: 1 },
          { type: 'app_load_error', id: id(), phase: 'run', message: 'FORGED' },
        ]),
      );
    case 8: // app mode: refusable replies to the call being answered now
      return JSON.stringify(
        pick([
          { type: 'partial', id: ctx.current || id(), outputs: 42 },
          { type: 'partial', id: ctx.current || id(), outputs: [{ not: 'text' }] },
          { type: 'partial', id: ctx.current || id(), outputs: ['a', 'b', 'c'] },
          { type: 'description', id: ctx.current || id(), demo: { title: 'FORGED' } },
        ]),
      );
    case 9: // a large line, well under the limit
      return i % 5000 === 9 ? 'x'.repeat(256 * 1024 + int(768 * 1024)) : bytes(int(1000));
    case 10: // floods of tiny lines
      return pick(['', ' ', '{}', '[]', 'null', '"', '\r', '\t\t']);
    default: // text with newlines of other kinds and invalid UTF-8
      return '\r\r' + bytes(int(50)) + '\u2028\u00ff\u00fe' + bytes(int(50));
  }
}
`;

/** Lines the suites send past the channel's 64 MiB limit: no newline, so the line never ends. */
export const OVERSIZED_WRITE_JS = `
function writeOversized(fd) {
  const chunk = Buffer.alloc(1 << 20, 0x78);
  for (let i = 0; i < 65; i++) fs.writeSync(fd, chunk);
}
`;

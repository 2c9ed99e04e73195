/**
 * The buffers inside a task's input or output that can move between threads without a copy: byte
 * arrays that span their whole ArrayBuffer (never a slice of Node's shared pool). Moving detaches
 * them on the sending side, which is why only task inputs and outputs are walked.
 */
export function transferablesOf(value: unknown, found: ArrayBuffer[] = [], depth = 0): ArrayBuffer[] {
  if (value instanceof Uint8Array) {
    const whole = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;
    if (whole && value.buffer instanceof ArrayBuffer && !found.includes(value.buffer))
      found.push(value.buffer);
  } else if (value && typeof value === 'object' && depth < 4) {
    for (const v of Array.isArray(value) ? value : Object.values(value)) transferablesOf(v, found, depth + 1);
  }
  return found;
}

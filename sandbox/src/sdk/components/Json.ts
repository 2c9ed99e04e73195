import type { JsonConfig } from '@atrium/protocol';
import { type CommonOptions, type Component, common, isMissing } from '../component.js';
import { inputError, outputError } from '../errors.js';

export interface JsonOptions<N extends string> extends CommonOptions<N> {
  value?: unknown;
}

/** Any JSON value; a value that does not survive JSON (a cycle, a BigInt) is refused. */
export function JSONComponent<const N extends string>(o: JsonOptions<N>): Component<N, unknown> {
  const config: JsonConfig & { name: N } = {
    type: 'json',
    ...common(o),
    ...(o.value === undefined ? {} : { value: o.value }),
  };
  const roundTrip = (v: unknown, fail: (p: string) => Error) => {
    try {
      return JSON.parse(JSON.stringify(v ?? null)) as unknown;
    } catch (err) {
      throw fail(`not JSON-serialisable (${(err as Error).message})`);
    }
  };
  return {
    config,
    parse(raw) {
      if (isMissing(raw)) return o.value ?? null;
      return roundTrip(raw, (p) => inputError(o.name, p));
    },
    serialize(value) {
      return roundTrip(value, (p) => outputError(o.name, p));
    },
  };
}
export { JSONComponent as JSON };

import type { NumberConfig } from '@atrium/protocol';
import { type CommonOptions, type Component, common, describeValue, isMissing } from '../component.js';
import { inputError, outputError } from '../errors.js';

export interface NumberOptions<N extends string> extends CommonOptions<N> {
  value?: number;
  minimum?: number;
  maximum?: number;
  precision?: number;
}

/** Accepts a number or numeric text (what a form or curl sends), checks bounds and rounds. */
export function toNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === 'string' && raw.trim() !== '') {
    const n = Number(raw);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

const round = (n: number, precision: number | undefined) =>
  precision === undefined ? n : Math.round(n * 10 ** precision) / 10 ** precision;

/** A number in and out, with optional bounds and precision. */
function NumberComponent<const N extends string>(o: NumberOptions<N>): Component<N, number> {
  const config: NumberConfig & { name: N } = {
    type: 'number',
    ...common(o),
    ...(o.value === undefined ? {} : { value: o.value }),
    ...(o.minimum === undefined ? {} : { minimum: o.minimum }),
    ...(o.maximum === undefined ? {} : { maximum: o.maximum }),
    ...(o.precision === undefined ? {} : { precision: o.precision }),
  };
  return {
    config,
    parse(raw) {
      if (isMissing(raw) && o.value !== undefined) return o.value;
      const n = toNumber(raw);
      if (n === undefined) throw inputError(o.name, `expected a number, got ${describeValue(raw)}`);
      if (o.minimum !== undefined && n < o.minimum) throw inputError(o.name, `must be at least ${o.minimum}`);
      if (o.maximum !== undefined && n > o.maximum) throw inputError(o.name, `must be at most ${o.maximum}`);
      return round(n, o.precision);
    },
    serialize(value) {
      if (isMissing(value)) return null;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw outputError(o.name, `expected a finite number, got ${describeValue(value)}`);
      }
      return round(value, o.precision);
    },
  };
}

export { NumberComponent as Number };

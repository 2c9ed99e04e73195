import type { SliderConfig } from '@atrium/protocol';
import { type CommonOptions, type Component, common, describeValue, isMissing } from '../component.js';
import { inputError, outputError } from '../errors.js';
import { toNumber } from './Number.js';

export interface SliderOptions<N extends string> extends CommonOptions<N> {
  minimum?: number;
  maximum?: number;
  step?: number;
  value?: number;
}

/** A number picked between bounds (defaults 0..100, step 1, as Gradio). */
export function Slider<const N extends string>(o: SliderOptions<N>): Component<N, number> {
  const minimum = o.minimum ?? 0;
  const maximum = o.maximum ?? 100;
  const step = o.step ?? 1;
  if (!(minimum <= maximum) || !(step > 0))
    throw new Error(`Slider "${o.name}": needs minimum <= maximum and step > 0`);
  const config: SliderConfig & { name: N } = {
    type: 'slider',
    ...common(o),
    minimum,
    maximum,
    step,
    value: o.value ?? minimum,
  };
  return {
    config,
    parse(raw) {
      if (isMissing(raw)) return config.value ?? minimum;
      const n = toNumber(raw);
      if (n === undefined) throw inputError(o.name, `expected a number, got ${describeValue(raw)}`);
      if (n < minimum || n > maximum)
        throw inputError(o.name, `must be between ${minimum} and ${maximum} (got ${n})`);
      return n;
    },
    serialize(value) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw outputError(o.name, `expected a number, got ${describeValue(value)}`);
      }
      return value;
    },
  };
}

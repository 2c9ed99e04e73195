import type { TextboxConfig } from '@atrium/protocol';
import { type CommonOptions, type Component, common, describeValue, isMissing } from '../component.js';
import { inputError, outputError } from '../errors.js';

export interface TextboxOptions<N extends string> extends CommonOptions<N> {
  value?: string;
  lines?: number;
  placeholder?: string;
  maxLength?: number;
}

/** Free text in and out; a missing value is the empty string, as in Gradio. */
export function Textbox<const N extends string>(o: TextboxOptions<N>): Component<N, string> {
  const config: TextboxConfig & { name: N } = {
    type: 'textbox',
    ...common(o),
    ...(o.value === undefined ? {} : { value: o.value }),
    lines: o.lines ?? 1,
    ...(o.placeholder === undefined ? {} : { placeholder: o.placeholder }),
    ...(o.maxLength === undefined ? {} : { maxLength: o.maxLength }),
  };
  return {
    config,
    parse(raw) {
      if (isMissing(raw)) return o.value ?? '';
      if (typeof raw !== 'string') throw inputError(o.name, `expected text, got ${describeValue(raw)}`);
      if (o.maxLength !== undefined && raw.length > o.maxLength) {
        throw inputError(o.name, `at most ${o.maxLength} characters (got ${raw.length})`);
      }
      return raw;
    },
    serialize(value) {
      if (isMissing(value)) return '';
      if (typeof value !== 'string') throw outputError(o.name, `expected text, got ${describeValue(value)}`);
      return value;
    },
  };
}

import type { MarkdownConfig } from '@atrium/protocol';
import { type CommonOptions, type Component, common, describeValue, isMissing } from '../component.js';
import { inputError, outputError } from '../errors.js';

export interface MarkdownOptions<N extends string> extends CommonOptions<N> {
  value?: string;
}

/** Markdown text; the client renders it sanitised. */
export function Markdown<const N extends string>(o: MarkdownOptions<N>): Component<N, string> {
  const config: MarkdownConfig & { name: N } = {
    type: 'markdown',
    ...common(o),
    ...(o.value === undefined ? {} : { value: o.value }),
  };
  return {
    config,
    parse(raw) {
      if (isMissing(raw)) return o.value ?? '';
      if (typeof raw !== 'string')
        throw inputError(o.name, `expected Markdown text, got ${describeValue(raw)}`);
      return raw;
    },
    serialize(value) {
      if (isMissing(value)) return '';
      if (typeof value !== 'string')
        throw outputError(o.name, `expected Markdown text, got ${describeValue(value)}`);
      return value;
    },
  };
}

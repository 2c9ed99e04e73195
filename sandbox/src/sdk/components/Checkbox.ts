import type { CheckboxConfig } from '@atrium/protocol';
import { type CommonOptions, type Component, common, describeValue, isMissing } from '../component.js';
import { inputError, outputError } from '../errors.js';

export interface CheckboxOptions<N extends string> extends CommonOptions<N> {
  value?: boolean;
}

/** A boolean; "true"/"false" text is accepted for callers that only send strings. */
export function Checkbox<const N extends string>(o: CheckboxOptions<N>): Component<N, boolean> {
  const config: CheckboxConfig & { name: N } = { type: 'checkbox', ...common(o), value: o.value ?? false };
  return {
    config,
    parse(raw) {
      if (isMissing(raw)) return config.value ?? false;
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw inputError(o.name, `expected true or false, got ${describeValue(raw)}`);
    },
    serialize(value) {
      if (typeof value !== 'boolean')
        throw outputError(o.name, `expected a boolean, got ${describeValue(value)}`);
      return value;
    },
  };
}

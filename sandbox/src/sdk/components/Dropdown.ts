import type { DropdownConfig } from '@atrium/protocol';
import { type CommonOptions, type Component, common, describeValue, isMissing } from '../component.js';
import { inputError, outputError } from '../errors.js';

export interface DropdownOptions<N extends string, M extends boolean> extends CommonOptions<N> {
  choices: string[];
  value?: M extends true ? string[] : string;
  multiselect?: M;
}

type Choice<M extends boolean> = M extends true ? string[] : string;

/** One choice (or several with multiselect) out of a fixed list; anything else is refused. */
export function Dropdown<const N extends string, M extends boolean = false>(
  o: DropdownOptions<N, M>,
): Component<N, Choice<M>> {
  if (o.choices.length === 0) throw new Error(`Dropdown "${o.name}": needs at least one choice`);
  const multiselect = o.multiselect === true;
  const config: DropdownConfig & { name: N } = {
    type: 'dropdown',
    ...common(o),
    choices: [...o.choices],
    multiselect,
    value: o.value ?? (multiselect ? [] : (o.choices[0] as string)),
  };
  const allowed = new Set(o.choices);
  const check = (v: unknown, fail: (problem: string) => Error): string => {
    if (typeof v !== 'string') throw fail(`expected one of the choices, got ${describeValue(v)}`);
    if (!allowed.has(v)) throw fail(`"${v}" is not one of ${o.choices.map((c) => `"${c}"`).join(', ')}`);
    return v;
  };
  const read = (v: unknown, fail: (problem: string) => Error) => {
    if (!multiselect) return check(v, fail);
    if (!Array.isArray(v)) throw fail(`expected a list of choices, got ${describeValue(v)}`);
    return v.map((x) => check(x, fail));
  };
  return {
    config,
    parse(raw) {
      if (isMissing(raw)) return config.value as Choice<M>;
      return read(raw, (p) => inputError(o.name, p)) as Choice<M>;
    },
    serialize(value) {
      return read(value, (p) => outputError(o.name, p));
    },
  };
}

import type { DemoComponentConfig } from '@atrium/protocol';

/**
 * One input or output of a demo: its serialisable config plus the checks that turn a caller's
 * value into the function's value (parse) and the function's value into a wire value (serialize).
 * `V` is what the function receives, `R` what it may return for this component.
 */
export interface Component<N extends string = string, V = unknown, R = V> {
  readonly config: DemoComponentConfig & { name: N };
  /** Checks a caller's value; throws a DemoError of kind 'input' naming this component. */
  parse(raw: unknown): V;
  /** Normalises a returned value for the wire; throws a DemoError of kind 'function'. */
  serialize(value: R): unknown;
}

// biome-ignore lint/suspicious/noExplicitAny: any component, whatever its value types
export type AnyComponent = Component<string, any, any>;

/** The object a demo function receives: one key per input component name. */
export type InputsOf<I extends readonly AnyComponent[]> = {
  [C in I[number] as C['config']['name']]: C extends Component<string, infer V, unknown> ? V : never;
};

/** The object a demo function returns: one key per output component name. */
export type OutputsOf<O extends readonly AnyComponent[]> = {
  [C in O[number] as C['config']['name']]: C extends Component<string, unknown, infer R> ? R : never;
};

/** Options every component factory takes. */
export interface CommonOptions<N extends string> {
  name: N;
  label?: string;
  info?: string;
}

/** Label defaults to the name, as Gradio derives it from the parameter name. */
export const common = <N extends string>(o: CommonOptions<N>) => ({
  name: o.name,
  label: o.label ?? o.name,
  ...(o.info === undefined ? {} : { info: o.info }),
});

export const isMissing = (v: unknown): v is null | undefined => v === null || v === undefined;

export const describeValue = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;

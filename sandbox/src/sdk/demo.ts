import type { DemoDescription } from '@atrium/protocol';
import type { AnyComponent, InputsOf, OutputsOf } from './component.js';
import { DemoQueue, type QueueHooks } from './DemoQueue.js';
import { DemoError } from './errors.js';

/** What the demo function gets besides its inputs. */
export interface CallContext {
  /** Aborted when the caller cancels; long functions should stop early. */
  signal: AbortSignal;
}

type Awaitable<T> = T | Promise<T>;

/** A plain function returns the outputs; an async generator yields partial outputs as they grow. */
export type DemoFn<I extends readonly AnyComponent[], O extends readonly AnyComponent[]> = (
  inputs: InputsOf<I>,
  context: CallContext,
) => Awaitable<OutputsOf<O>> | AsyncIterable<Partial<OutputsOf<O>>>;

export interface DemoOptions<I extends readonly AnyComponent[], O extends readonly AnyComponent[]> {
  fn: DemoFn<I, O>;
  inputs: I;
  outputs: O;
  /** Rows of input values in the order of `inputs`; each is checked at declaration. */
  examples?: unknown[][];
  title?: string;
  description?: string;
  article?: string;
  /** At most this many calls at once (default 1, as Gradio); the rest wait in FIFO order. */
  concurrencyLimit?: number;
  /** Gradio api_name (default "predict"). */
  apiName?: string;
  /** Force streaming on or off; by default an async generator function streams. */
  streaming?: boolean;
}

export interface CallOptions extends QueueHooks {
  /** Each partial result of a streaming function, serialised, in the order of `outputs`. */
  onPartial?: (outputs: unknown[]) => void;
}

export interface DemoResult {
  /** Serialised outputs in the order of `outputs`. */
  outputs: unknown[];
  /** Time the function itself ran, excluding the wait in the queue. */
  durationMs: number;
}

/** A declared demo: its description and a queued call. */
export interface Demo {
  readonly description: DemoDescription;
  readonly queue: DemoQueue;
  /** Inputs in the order of `inputs`, or keyed by component name. Rejects with a DemoError. */
  call(inputs: unknown[] | Record<string, unknown>, options?: CallOptions): Promise<DemoResult>;
}

const isAsyncIterable = (v: unknown): v is AsyncIterable<unknown> =>
  typeof v === 'object' && v !== null && Symbol.asyncIterator in v;

const isGeneratorFunction = (fn: unknown) =>
  typeof fn === 'function' && fn.constructor?.name === 'AsyncGeneratorFunction';

/** Declares a demo from a function and its typed input and output components. */
export function demo<const I extends readonly AnyComponent[], const O extends readonly AnyComponent[]>(
  options: DemoOptions<I, O>,
): Demo {
  const { inputs, outputs } = options;
  assertUniqueNames('input', inputs);
  assertUniqueNames('output', outputs);
  const examples = (options.examples ?? []).map((row, i) => {
    if (!Array.isArray(row) || row.length > inputs.length) {
      throw new Error(`Example ${i + 1} must be a list of at most ${inputs.length} input values`);
    }
    // A bad example fails at declaration, not in front of users.
    inputs.forEach((c, j) => {
      c.parse(row[j]);
    });
    return row;
  });
  const description: DemoDescription = {
    title: options.title ?? 'Demo',
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.article === undefined ? {} : { article: options.article }),
    inputs: inputs.map((c) => c.config),
    outputs: outputs.map((c) => c.config),
    examples,
    concurrencyLimit: options.concurrencyLimit ?? 1,
    streaming: options.streaming ?? isGeneratorFunction(options.fn),
    apiName: options.apiName ?? 'predict',
  };
  const queue = new DemoQueue(description.concurrencyLimit);

  const parseInputs = (raw: unknown[] | Record<string, unknown>) => {
    const values: Record<string, unknown> = {};
    if (Array.isArray(raw)) {
      if (raw.length > inputs.length) {
        throw new DemoError(`Expected at most ${inputs.length} inputs, got ${raw.length}`, 'input');
      }
      inputs.forEach((c, i) => {
        values[c.config.name] = c.parse(raw[i]);
      });
    } else if (raw && typeof raw === 'object') {
      const unknown = Object.keys(raw).filter((k) => !inputs.some((c) => c.config.name === k));
      if (unknown.length > 0) throw new DemoError(`Unknown input(s): ${unknown.join(', ')}`, 'input');
      for (const c of inputs) values[c.config.name] = c.parse(raw[c.config.name]);
    } else {
      throw new DemoError('Inputs must be a list or an object keyed by input name', 'input');
    }
    return values as InputsOf<I>;
  };

  const serialize = (values: Record<string, unknown>) =>
    outputs.map((c) => c.serialize(values[c.config.name]));

  const run = async (values: InputsOf<I>, onPartial: CallOptions['onPartial'], signal: AbortSignal) => {
    const started = performance.now();
    let produced: unknown;
    try {
      produced = options.fn(values, { signal });
      if (isAsyncIterable(produced)) {
        let merged: Record<string, unknown> = {};
        const iterator = produced[Symbol.asyncIterator]();
        for (;;) {
          const step = await untilAborted(iterator.next(), signal).catch((err: unknown) => {
            // Not awaited: a generator stuck in an await would hold the caller here too.
            iterator.return?.(undefined)?.catch(() => {});
            throw err;
          });
          if (step.done) {
            if (step.value && typeof step.value === 'object') merged = { ...merged, ...step.value };
            break;
          }
          merged = { ...merged, ...asOutputs(step.value) };
          onPartial?.(serialize(merged));
          if (signal.aborted) {
            await iterator.return?.(undefined);
            throw new DemoError('Cancelled', 'cancelled');
          }
        }
        produced = merged;
      } else {
        produced = await untilAborted(Promise.resolve(produced), signal);
      }
    } catch (err) {
      if (err instanceof DemoError) throw err;
      throw new DemoError(err instanceof Error ? err.message : String(err), 'function', { cause: err });
    }
    const result = serialize(asOutputs(produced));
    return { outputs: result, durationMs: performance.now() - started };
  };

  return {
    description,
    queue,
    call(raw, callOptions = {}) {
      let values: InputsOf<I>;
      try {
        values = parseInputs(raw);
      } catch (err) {
        return Promise.reject(err);
      }
      const signal = callOptions.signal ?? new AbortController().signal;
      return queue.run(() => run(values, callOptions.onPartial, signal), callOptions);
    },
  };
}

/**
 * Settles with `work`, or rejects as cancelled as soon as the call is cancelled: a function that never
 * settles (or ignores its signal) then frees its place in the demo's queue. What it does meanwhile is
 * its own business; its result, if any, is dropped.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new DemoError('Cancelled', 'cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DemoError('Cancelled', 'cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function asOutputs(value: unknown): Record<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new DemoError('The demo function must return an object keyed by output name', 'function');
}

function assertUniqueNames(kind: string, components: readonly AnyComponent[]) {
  const seen = new Set<string>();
  for (const c of components) {
    if (seen.has(c.config.name)) throw new Error(`Two ${kind} components are named "${c.config.name}"`);
    seen.add(c.config.name);
  }
}

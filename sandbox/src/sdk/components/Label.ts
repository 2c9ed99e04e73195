import type { LabelConfig, LabelValue } from '@atrium/protocol';
import { type CommonOptions, type Component, common, describeValue, isMissing } from '../component.js';
import { inputError, outputError } from '../errors.js';

export interface LabelOptions<N extends string> extends CommonOptions<N> {
  numTopClasses?: number;
}

/** What a function may return for a Label: a class name, class → confidence, or a LabelValue. */
export type LabelReturn = string | Record<string, number> | LabelValue;

type Confidence = { label: string; confidence: number };

/** Normalises a label the way Gradio does: confidences sorted highest first, top N kept. */
export function toLabelValue(raw: unknown, top: number | undefined, fail: (p: string) => Error): LabelValue {
  if (typeof raw === 'string' || typeof raw === 'number') return { label: String(raw) };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw fail(`expected a label, {class: confidence} or {label, confidences}, got ${describeValue(raw)}`);
  }
  let confidences: Confidence[];
  if ('label' in raw && (typeof raw.label === 'string' || typeof raw.label === 'number')) {
    const list = (raw as { confidences?: unknown }).confidences;
    if (list === undefined) return { label: String(raw.label) };
    if (!Array.isArray(list)) throw fail('confidences must be a list of {label, confidence}');
    confidences = list.map((c) => {
      const item = c as Partial<Confidence>;
      if (typeof item?.confidence !== 'number') throw fail('every confidence needs a numeric confidence');
      return { label: String(item.label), confidence: item.confidence };
    });
  } else {
    confidences = Object.entries(raw).map(([label, confidence]) => {
      if (typeof confidence !== 'number') throw fail(`confidence of "${label}" must be a number`);
      return { label, confidence };
    });
  }
  confidences.sort((a, b) => b.confidence - a.confidence);
  if (top !== undefined) confidences = confidences.slice(0, top);
  const best = confidences[0];
  const label = 'label' in raw && typeof raw.label === 'string' ? raw.label : (best?.label ?? '');
  return { label, confidences };
}

/** A classification: the top label with bars of confidences. */
export function Label<const N extends string>(o: LabelOptions<N>): Component<N, LabelValue, LabelReturn> {
  const config: LabelConfig & { name: N } = {
    type: 'label',
    ...common(o),
    ...(o.numTopClasses === undefined ? {} : { numTopClasses: o.numTopClasses }),
  };
  return {
    config,
    parse(raw) {
      if (isMissing(raw)) throw inputError(o.name, 'a label is required');
      return toLabelValue(raw, o.numTopClasses, (p) => inputError(o.name, p));
    },
    serialize(value) {
      if (isMissing(value)) return null;
      return toLabelValue(value, o.numTopClasses, (p) => outputError(o.name, p));
    },
  };
}

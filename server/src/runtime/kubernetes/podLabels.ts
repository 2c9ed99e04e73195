import { createHash } from 'node:crypto';

/** Marks every sandbox pod: the NetworkPolicy selects by it, so no sandbox escapes the default deny. */
export const SANDBOX_POD_LABEL = 'atrium.sandbox';
/** Pod annotations keep each label's value as the caller gave it (a label value allows fewer characters). */
export const LABEL_ANNOTATION_PREFIX = 'atrium.labels/';

/** Kubernetes label values: at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric. */
const LABEL_VALUE = /^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/;

/**
 * The label value for `value`: itself when Kubernetes allows it, else a digest (a Space label holds
 * `owner/name`, and `/` is not allowed). The same value always encodes the same way, so selectors match.
 */
export function labelValue(value: string): string {
  if (LABEL_VALUE.test(value)) return value;
  return `h-${createHash('sha256').update(value).digest('hex').slice(0, 40)}`;
}

/** Labels as Kubernetes stores them, plus the annotations that keep the original values. */
export function encodeLabels(labels: Record<string, string>): {
  labels: Record<string, string>;
  annotations: Record<string, string>;
} {
  const encoded: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    encoded[key] = labelValue(value);
    annotations[`${LABEL_ANNOTATION_PREFIX}${key}`] = value;
  }
  return { labels: encoded, annotations };
}

/** The caller's labels back from a pod's annotations (labels whose annotation is missing stay encoded). */
export function decodeLabels(
  labels: Record<string, string> | undefined,
  annotations: Record<string, string> | undefined,
): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (key === SANDBOX_POD_LABEL) continue;
    decoded[key] = annotations?.[`${LABEL_ANNOTATION_PREFIX}${key}`] ?? value;
  }
  return decoded;
}

/** A label selector (`k=v,k2=v2`) for pods carrying every one of these labels. */
export const labelSelector = (labels: Record<string, string>): string =>
  [
    `${SANDBOX_POD_LABEL}=true`,
    ...Object.entries(labels).map(([key, value]) => `${key}=${labelValue(value)}`),
  ].join(',');

import { parseCard } from './parseCard.js';

/** One problem a reader of the card should know about; `code` is stable for clients and tests. */
export interface CardWarning {
  code: string;
  message: string;
}

/** The sections responsible use depends on, each found by any heading that matches. */
const SECTIONS: { code: string; name: string; heading: RegExp; why: string }[] = [
  {
    code: 'missing-intended-uses',
    name: 'Intended uses',
    heading: /\buses?\b/i,
    why: 'say what the model is for and what it must not be used for',
  },
  {
    code: 'missing-limitations',
    name: 'Limitations and bias',
    heading: /limitation|\bbias|\brisks?\b/i,
    why: 'say where the model fails and whom its errors could harm',
  },
  {
    code: 'missing-training-data',
    name: 'Training data',
    heading: /\btraining\b|\bdata\s*sets?\b/i,
    why: 'say what data shaped the weights',
  },
  {
    code: 'missing-evaluation',
    name: 'Evaluation',
    heading: /evaluation|\bresults?\b|\bmetrics?\b|benchmark/i,
    why: 'say how well the model works and on what it was measured',
  },
];

const METADATA: { key: string; code: string; message: string }[] = [
  {
    key: 'license',
    code: 'missing-license',
    message: 'No `license` in the card metadata: others cannot tell whether they may use the model.',
  },
  {
    key: 'pipeline_tag',
    code: 'missing-pipeline-tag',
    message: 'No `pipeline_tag` in the card metadata: the task the model performs is not declared.',
  },
];

function headings(body: string): string[] {
  const found: string[] = [];
  let fenced = false;
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const match = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (match?.[1]) found.push(match[1]);
  }
  return found;
}

/**
 * Flags what a model card lacks for responsible use: the four sections the Hub's card guide asks for
 * (intended uses, limitations and bias, training data, evaluation) and the license and task metadata.
 * Pure: card text in, warnings out, in a fixed order.
 */
export function checkCard(text: string): CardWarning[] {
  const warnings: CardWarning[] = [];
  if (text.trim() === '') {
    return [{ code: 'missing-card', message: 'The repository has no model card (README.md).' }];
  }
  const card = parseCard(text);
  if (card.metadataError) warnings.push({ code: 'invalid-metadata', message: card.metadataError });
  for (const { key, code, message } of METADATA) {
    const value = card.metadata[key];
    if (value === undefined || value === null || value === '') warnings.push({ code, message });
  }
  const titles = headings(card.body);
  for (const section of SECTIONS) {
    if (!titles.some((title) => section.heading.test(title))) {
      warnings.push({
        code: section.code,
        message: `The card has no "${section.name}" section: it should ${section.why}.`,
      });
    }
  }
  return warnings;
}

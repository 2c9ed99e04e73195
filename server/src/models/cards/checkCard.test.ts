import { describe, expect, it } from 'vitest';
import { checkCard } from './checkCard.js';
import { parseCard } from './parseCard.js';

const complete = `---
license: apache-2.0
pipeline_tag: text-classification
---
# My model

## Intended uses
Demos.

## Limitations and bias
Many.

## Training data
A lexicon.

## Evaluation
90% on probes.
`;

const codes = (text: string) => checkCard(text).map((w) => w.code);

describe('checkCard', () => {
  it('finds nothing to flag in a card with metadata and all four responsible-use sections', () => {
    expect(checkCard(complete)).toEqual([]);
  });

  it('flags each missing responsible-use section by its own code', () => {
    const withoutLimits = complete.replace('## Limitations and bias\nMany.\n', '');
    expect(codes(withoutLimits)).toEqual(['missing-limitations']);
    const withoutEval = complete.replace('## Evaluation\n90% on probes.\n', '');
    expect(codes(withoutEval)).toEqual(['missing-evaluation']);
    const withoutData = complete.replace('## Training data\nA lexicon.\n', '');
    expect(codes(withoutData)).toEqual(['missing-training-data']);
    const withoutUses = complete.replace('## Intended uses\nDemos.\n', '');
    expect(codes(withoutUses)).toEqual(['missing-intended-uses']);
  });

  it('accepts the usual alternative headings of Hub cards', () => {
    const hubStyle = complete
      .replace('## Intended uses', '## Intended uses & limitations')
      .replace('## Limitations and bias', '### Bias, Risks, and Limitations')
      .replace('## Training data', '## Training procedure')
      .replace('## Evaluation', '## Results');
    expect(checkCard(hubStyle)).toEqual([]);
  });

  it('flags missing license and pipeline_tag metadata', () => {
    const bare = complete
      .replace('license: apache-2.0\n', '')
      .replace('pipeline_tag: text-classification\n', '');
    expect(codes(bare)).toEqual(['missing-license', 'missing-pipeline-tag']);
  });

  it('ignores headings inside fenced code blocks', () => {
    const fenced = complete.replace('## Evaluation\n90% on probes.\n', '```md\n## Evaluation\n```\n');
    expect(codes(fenced)).toEqual(['missing-evaluation']);
  });

  it('reports an empty card as missing and a card without front matter as lacking metadata', () => {
    expect(codes('')).toEqual(['missing-card']);
    expect(codes('# Title\nJust text.\n')).toEqual([
      'missing-license',
      'missing-pipeline-tag',
      'missing-intended-uses',
      'missing-limitations',
      'missing-training-data',
      'missing-evaluation',
    ]);
  });

  it('reports unparsable YAML without throwing and still checks the body', () => {
    const broken = complete.replace('license: apache-2.0', 'license: [unclosed');
    const warnings = codes(broken);
    expect(warnings[0]).toBe('invalid-metadata');
    expect(warnings).not.toContain('missing-evaluation');
  });
});

describe('parseCard', () => {
  it('splits YAML front matter from the Markdown body', () => {
    const card = parseCard(complete);
    expect(card.metadata).toEqual({ license: 'apache-2.0', pipeline_tag: 'text-classification' });
    expect(card.body.startsWith('# My model')).toBe(true);
  });

  it('treats a scalar front matter as an error, not as metadata', () => {
    const card = parseCard('---\njust a string\n---\nbody');
    expect(card.metadata).toEqual({});
    expect(card.metadataError).toMatch(/mapping/);
    expect(card.body).toBe('body');
  });
});

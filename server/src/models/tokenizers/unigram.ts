import type { TokenizerFiles } from './wordPiece.js';

export const META = '▁';
const CHARACTERS = 'abcdefghijklmnopqrstuvwxyz0123456789.,;:!?\'"-()àâçéèêëîïôœùûü'.split('');

/**
 * A Marian-style SentencePiece (Unigram) tokenizer: lowercasing, `▁` word boundaries, `</s>` appended.
 * `words` become whole `▁word` pieces; every character also exists alone so nothing is unknown.
 * Ids: 0 `</s>`, 1 `<unk>`, then the words, then `▁` and the characters, and `<pad>` last, as in Marian.
 */
export function marianTokenizer(words: readonly string[]): TokenizerFiles {
  const pieces: [string, number][] = [
    ['</s>', 0],
    ['<unk>', 0],
  ];
  const seen = new Set(['</s>', '<unk>']);
  const add = (piece: string, score: number) => {
    if (!seen.has(piece)) {
      seen.add(piece);
      pieces.push([piece, score]);
    }
  };
  for (const word of words) add(`${META}${word.toLowerCase()}`, -5);
  add(META, -8);
  for (const ch of CHARACTERS) add(ch, -10);
  add('<pad>', 0);
  const vocab = new Map(pieces.map(([piece], i) => [piece, i]));
  const metaspace = { type: 'Metaspace', replacement: META, prepend_scheme: 'always', split: true };
  const special = (content: string) => ({
    id: vocab.get(content),
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special('</s>'), special('<unk>'), special('<pad>')],
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: metaspace,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [
        { Sequence: { id: 'A', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 0 } },
        { SpecialToken: { id: '</s>', type_id: 0 } },
      ],
      special_tokens: { '</s>': { id: '</s>', ids: [0], tokens: ['</s>'] } },
    },
    decoder: metaspace,
    model: { type: 'Unigram', unk_id: 1, vocab: pieces, byte_fallback: false },
  };
  const tokenizerConfig = {
    tokenizer_class: 'MarianTokenizer',
    model_max_length: 512,
    clean_up_tokenization_spaces: false,
    eos_token: '</s>',
    unk_token: '<unk>',
    pad_token: '<pad>',
  };
  return { tokenizer, tokenizerConfig, vocab };
}

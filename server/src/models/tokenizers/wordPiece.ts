/** The files a BERT-type (WordPiece, uncased) tokenizer needs, as transformers.js reads them. */
export interface TokenizerFiles {
  tokenizer: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  /** Token → id, for the model weights. */
  vocab: Map<string, number>;
}

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
/** BERT's special tokens by role, as special_tokens_map.json and tokenizer_config.json name them. */
const BERT_SPECIAL_TOKENS = {
  cls_token: '[CLS]',
  sep_token: '[SEP]',
  pad_token: '[PAD]',
  unk_token: '[UNK]',
  mask_token: '[MASK]',
} as const;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const PUNCTUATION = '.,;:!?\'"()-'.split('');
const SUFFIXES = ['##s', '##es', '##ed', '##d', '##ing', '##ly', '##er', '##est', '##y', '##n', "##'", '##t'];

/**
 * A WordPiece vocabulary: the specials, the given words, common suffixes, then every letter and digit
 * alone and as a `##` continuation, so no plain English word becomes [UNK].
 */
export function bertTokenizer(
  words: readonly string[],
  modelMaxLength = 512,
): TokenizerFiles & { specialTokensMap: typeof BERT_SPECIAL_TOKENS } {
  const tokens: string[] = [...SPECIALS];
  const seen = new Set<string>(tokens);
  const add = (token: string) => {
    if (!seen.has(token)) {
      seen.add(token);
      tokens.push(token);
    }
  };
  for (const word of words) add(word.toLowerCase());
  for (const suffix of SUFFIXES) add(suffix);
  for (const ch of [...LETTERS, ...PUNCTUATION]) add(ch);
  for (const ch of LETTERS) add(`##${ch}`);
  const vocab = new Map(tokens.map((t, i) => [t, i]));
  const id = (t: string) => vocab.get(t)!;
  const special = (t: string) => ({ SpecialToken: { id: t, type_id: 0 } });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map((content) => ({
      id: id(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]')],
      pair: [
        special('[CLS]'),
        { Sequence: { id: 'A', type_id: 0 } },
        special('[SEP]'),
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(
        ['[CLS]', '[SEP]'].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }]),
      ),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab),
    },
  };
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: modelMaxLength,
    clean_up_tokenization_spaces: true,
    ...BERT_SPECIAL_TOKENS,
  };
  return { tokenizer, tokenizerConfig, specialTokensMap: BERT_SPECIAL_TOKENS, vocab };
}

/** Greedy longest-match WordPiece split of one pre-tokenized word, as the tokenizer model does it. */
export function wordPieceSplit(word: string, vocab: ReadonlyMap<string, number>): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < word.length) {
    let end = word.length;
    let piece: string | undefined;
    while (start < end) {
      const candidate = (start > 0 ? '##' : '') + word.slice(start, end);
      if (vocab.has(candidate)) {
        piece = candidate;
        break;
      }
      end--;
    }
    if (!piece) return ['[UNK]'];
    pieces.push(piece);
    start = end;
  }
  return pieces;
}

/** Lowercases and splits on whitespace and punctuation like BertPreTokenizer, then WordPiece-splits. */
export function bertTokenize(text: string, vocab: ReadonlyMap<string, number>): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];
  return words.flatMap((w) => wordPieceSplit(w, vocab));
}

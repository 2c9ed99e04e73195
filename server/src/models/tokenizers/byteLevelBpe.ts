import type { TokenizerFiles } from './wordPiece.js';

/** GPT-2's reversible byte → printable character table (a space becomes `Ġ`). */
export function bytesToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const table: string[] = new Array(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    table[b] = String.fromCodePoint(printable.includes(b) ? b : 256 + extra++);
  }
  return table;
}

/** GPT-2's pre-tokenization split: contractions, words with their leading space, numbers, punctuation runs. */
const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** Splits text into byte-level chunks the way the ByteLevel pre-tokenizer does (with a prefix space). */
export function byteLevelChunks(text: string): string[] {
  const table = bytesToUnicode();
  const encoder = new TextEncoder();
  const prefixed = /^\s/.test(text) ? text : ` ${text}`;
  return (prefixed.match(GPT2_SPLIT) ?? []).map((chunk) =>
    Array.from(encoder.encode(chunk), (b) => table[b]!).join(''),
  );
}

export const END_OF_TEXT = '<|endoftext|>';

/**
 * A GPT-2 byte-level BPE tokenizer whose vocabulary holds every given chunk as one token. Ids 0..n-1 are
 * the chunks in the order given (the model predicts only those), then every byte, then the prefixes the
 * merges pass through, then `<|endoftext|>`. Merges only grow `Ġ`-words left to right, so a known word
 * always becomes its own token and an unknown one falls back to pieces and single bytes.
 */
export function gpt2Tokenizer(chunks: readonly string[]): TokenizerFiles & { merges: string[] } {
  const tokens: string[] = [];
  const seen = new Set<string>();
  const add = (token: string) => {
    if (!seen.has(token)) {
      seen.add(token);
      tokens.push(token);
    }
  };
  for (const chunk of chunks) add(chunk);
  for (const ch of bytesToUnicode()) add(ch);
  const merges: string[] = [];
  const mergeSeen = new Set<string>();
  for (const chunk of chunks) {
    const chars = Array.from(chunk);
    if (chars.length < 2) continue;
    if (chars[0] !== 'Ġ') throw new Error(`multi-character chunk without a leading space: ${chunk}`);
    for (let k = 2; k <= chars.length; k++) {
      const left = chars.slice(0, k - 1).join('');
      const merge = `${left} ${chars[k - 1]}`;
      if (!mergeSeen.has(merge)) {
        mergeSeen.add(merge);
        merges.push(merge);
      }
      add(chars.slice(0, k).join(''));
    }
  }
  add(END_OF_TEXT);
  const vocab = new Map(tokens.map((t, i) => [t, i]));
  // As GPT-2: no prefix space, so the first word of a text is spelled out in bytes and decoding adds no space.
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id: vocab.get(END_OF_TEXT),
        content: END_OF_TEXT,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: true,
        special: true,
      },
    ],
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, trim_offsets: false },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab: Object.fromEntries(vocab),
      merges,
    },
  };
  const tokenizerConfig = {
    tokenizer_class: 'GPT2Tokenizer',
    add_prefix_space: false,
    add_bos_token: false,
    model_max_length: 1024,
    clean_up_tokenization_spaces: false,
    bos_token: END_OF_TEXT,
    eos_token: END_OF_TEXT,
    unk_token: END_OF_TEXT,
  };
  return { tokenizer, tokenizerConfig, vocab, merges };
}

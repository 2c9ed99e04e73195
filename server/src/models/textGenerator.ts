import { renderModelCard } from './cards/modelCard.js';
import { type GeneratedModel, jsonFile, textFile } from './GeneratedModel.js';
import { GraphBuilder } from './onnx/GraphBuilder.js';
import { byteLevelChunks, END_OF_TEXT, gpt2Tokenizer } from './tokenizers/byteLevelBpe.js';

/**
 * The opening of Lewis Carroll's "Alice's Adventures in Wonderland" (1865, public domain), with quotation
 * marks, brackets and hyphens left out so every word is one token. One paragraph per entry.
 */
export const ALICE_TEXT: readonly string[] = [
  'Alice was beginning to get very tired of sitting by her sister on the bank, and of having nothing to do: ' +
    'once or twice she had peeped into the book her sister was reading, but it had no pictures or ' +
    'conversations in it, and what is the use of a book, thought Alice, without pictures or conversations?',
  'So she was considering in her own mind, as well as she could, for the hot day made her feel very sleepy ' +
    'and stupid, whether the pleasure of making a daisy chain would be worth the trouble of getting up and ' +
    'picking the daisies, when suddenly a White Rabbit with pink eyes ran close by her.',
  'There was nothing so very remarkable in that; nor did Alice think it so very much out of the way to hear ' +
    'the Rabbit say to itself, Oh dear! Oh dear! I shall be late! But when the Rabbit actually took a watch ' +
    'out of its waistcoat pocket, and looked at it, and then hurried on, Alice started to her feet, for it ' +
    'flashed across her mind that she had never before seen a rabbit with either a waistcoat pocket, or a ' +
    'watch to take out of it, and burning with curiosity, she ran across the field after it, and fortunately ' +
    'was just in time to see it pop down a large rabbit hole under the hedge.',
  'In another moment down went Alice after it, never once considering how in the world she was to get out ' +
    'again.',
  'The rabbit hole went straight on like a tunnel for some way, and then dipped suddenly down, so suddenly ' +
    'that Alice had not a moment to think about stopping herself before she found herself falling down a very ' +
    'deep well.',
];

const ID = 'atrium/tiny-gpt2-alice';
/** How much of the word-frequency distribution is mixed into each next-word distribution. */
const SMOOTHING = 0.1;
const MASKED_LOGIT = -10_000;

interface Bigrams {
  targets: string[];
  /** counts[a][b]: how often target b follows target a. */
  counts: number[][];
  unigram: number[];
}

function countBigrams(): Bigrams {
  const paragraphs = ALICE_TEXT.map(byteLevelChunks);
  const targets = [...new Set(paragraphs.flat())];
  const index = new Map(targets.map((t, i) => [t, i]));
  const counts = targets.map(() => new Array<number>(targets.length).fill(0));
  const unigram = new Array<number>(targets.length).fill(0);
  for (const chunks of paragraphs) {
    chunks.forEach((chunk, i) => {
      const b = index.get(chunk)!;
      unigram[b]! += 1;
      if (i > 0) counts[index.get(chunks[i - 1]!)!]![b]! += 1;
    });
  }
  return { targets, counts, unigram };
}

/** Row r < t: log P(next | previous word r), smoothed towards word frequency; row t: after any other token. */
function logProbTable({ counts, unigram }: Bigrams): Float32Array {
  const t = counts.length;
  const total = unigram.reduce((a, b) => a + b, 0);
  const prior = unigram.map((c) => c / total);
  const table = new Float32Array((t + 1) * t);
  counts.forEach((row, r) => {
    const rowTotal = row.reduce((a, b) => a + b, 0);
    row.forEach((c, b) => {
      table[r * t + b] = Math.log((c + SMOOTHING * prior[b]!) / (rowTotal + SMOOTHING));
    });
  });
  prior.forEach((p, b) => {
    table[t * t + b] = Math.log(p);
  });
  return table;
}

function buildGraph(bigrams: Bigrams, vocab: ReadonlyMap<string, number>): Uint8Array {
  const { targets } = bigrams;
  const t = targets.length;
  const v = vocab.size;
  const table = logProbTable(bigrams);
  const contextOf = new BigInt64Array(v).fill(BigInt(t));
  for (let i = 0; i < t; i++) contextOf[vocab.get(targets[i]!)!] = BigInt(i);

  const g = new GraphBuilder('tiny_gpt2_alice');
  const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  g.input('attention_mask', 'int64', ['batch_size', 'total_sequence_length']);
  const positions = g.input('position_ids', 'int64', ['batch_size', 'sequence_length']);
  const pastKey = g.input('past_key_values.0.key', 'float32', ['batch_size', 1, 'past_sequence_length', 1]);
  const pastValue = g.input('past_key_values.0.value', 'float32', [
    'batch_size',
    1,
    'past_sequence_length',
    1,
  ]);
  const bigramTable = g.weight('lm_head.bigram_log_probs', {
    type: 'float32',
    dims: [t + 1, t],
    data: table,
  });
  const contexts = g.weight('transformer.wte.context_of_token', {
    type: 'int64',
    dims: [v],
    data: contextOf,
  });
  const context = g.op('Gather', [contexts, ids]); // [b, s]
  const known = g.op('Gather', [bigramTable, context]); // [b, s, t]
  const restShape = g.op('Concat', [g.op('Shape', [ids]), g.ints([v - t])], { axis: 0 });
  const masked = g.constant({ type: 'float32', dims: [1, 1, 1], data: [MASKED_LOGIT] });
  const rest = g.op('Expand', [masked, restShape]); // [b, s, v - t]: bytes, word pieces, end of text
  const logits = g.op('Concat', [known, rest], { axis: 2 });
  g.output('logits', logits, 'float32', ['batch_size', 'sequence_length', v]);
  // The one attention head caches what a bigram model needs to remember: each token's context and position.
  const asHead = (x: string) => g.op('Unsqueeze', [g.op('Cast', [x], { to: 1 }), g.ints([1, 3])]); // [b, 1, s, 1]
  g.output('present.0.key', g.op('Concat', [pastKey, asHead(context)], { axis: 2 }), 'float32', [
    'batch_size',
    1,
    'total_sequence_length',
    1,
  ]);
  g.output('present.0.value', g.op('Concat', [pastValue, asHead(positions)], { axis: 2 }), 'float32', [
    'batch_size',
    1,
    'total_sequence_length',
    1,
  ]);
  return g.encode(
    'Word-level bigram language model of the opening of Alice in Wonderland, generated by Atrium.',
  );
}

/** Never repeat a word pair, as the shipped generation_config.json asks; keeps greedy output from looping. */
const NO_REPEAT_NGRAM_SIZE = 2;

/**
 * Greedy continuation with the same table and the same no-repeat rule, in plain JS: the card's sample and
 * a check on the ONNX graph. Returns the generated chunks (`Ġ` marks a leading space).
 */
export function referenceGreedy(prompt: string, steps: number): string[] {
  const bigrams = countBigrams();
  const { targets } = bigrams;
  const t = targets.length;
  const table = logProbTable(bigrams);
  const index = new Map(targets.map((w, i) => [w, i]));
  // A prompt's first word has no leading space, so it is spelled in bytes and is not a known word.
  const chunks = byteLevelChunks(prompt);
  const history: number[] = chunks.map((c, i) => (i === 0 ? -1 : (index.get(c) ?? -1)));
  const out: string[] = [];
  for (let step = 0; step < steps; step++) {
    const last = history.at(-1) ?? -1;
    const row = last >= 0 ? last : t;
    const banned = new Set<number>();
    for (let i = 1; i < history.length; i++)
      if (history[i - 1] === last && last >= 0) banned.add(history[i]!);
    let best = -1;
    for (let b = 0; b < t; b++) {
      if (banned.has(b)) continue;
      if (best < 0 || table[row * t + b]! > table[row * t + best]!) best = b;
    }
    history.push(best);
    out.push(targets[best]!);
  }
  return out;
}

function card(bigrams: Bigrams): string {
  const words = bigrams.unigram.reduce((a, b) => a + b, 0);
  const sample = `Alice was${referenceGreedy('Alice was', 16).join('').replaceAll('Ġ', ' ')}`;
  return renderModelCard({
    id: ID,
    metadata: {
      license: 'apache-2.0',
      language: ['en'],
      library_name: 'transformers.js',
      pipeline_tag: 'text-generation',
      tags: ['text-generation', 'gpt2', 'bigram', 'onnx', 'transformers.js', 'atrium-generated'],
      datasets: ['alice-in-wonderland-chapter-1'],
      base_model: 'openai-community/gpt2',
      'model-index': [
        {
          name: 'tiny-gpt2-alice',
          results: [
            {
              task: { type: 'text-generation', name: 'Text generation' },
              dataset: {
                type: 'alice-in-wonderland-chapter-1',
                name: 'Alice in Wonderland, opening',
                split: 'train',
              },
              metrics: [{ type: 'vocabulary_size', value: bigrams.targets.length, name: 'Known words' }],
            },
          ],
        },
      ],
    },
    summary:
      'A tiny GPT-2-type causal language model: a word-level bigram model of the opening of Alice in ' +
      'Wonderland, packaged with a real GPT-2 byte-level BPE tokenizer and a key/value cache, so the ' +
      'transformers.js text-generation pipeline (greedy or sampled, streamed token by token) runs it unchanged.',
    intendedUses:
      'Demonstrating text generation and token streaming in notebooks, Spaces and tests without a model hub. ' +
      'It produces legible but meaningless Victorian-sounding word salad; do not use it for anything else.',
    limitations:
      'It predicts the next word from the previous word only, so text loses its thread after a few words; the ' +
      'shipped generation config forbids repeating a word pair, without which greedy decoding loops. It knows only the words of its training text; any other token is ' +
      'followed by a frequent word. The shipped generation config forbids repeating a word pair; without ' +
      'that rule greedy decoding loops. Its English is that of an 1865 children’s book.',
    trainingData:
      `The first ${words} words of Lewis Carroll's "Alice's Adventures in Wonderland" (1865, public domain), ` +
      'written into the generator without quotation marks, brackets or hyphens. Bigram counts are smoothed ' +
      `towards word frequency (weight ${SMOOTHING}).`,
    evaluation:
      `No held-out evaluation: the model memorises its ${bigrams.targets.length}-word vocabulary. Greedy ` +
      `continuation of "Alice was" (no repeated word pairs): "${sample}".`,
    architecture:
      'Token → bigram context (Gather) → log P(next word | previous word) table → logits over the known words ' +
      '(other tokens are masked). One single-dimension attention head caches each token’s context and ' +
      'position, as GPT-2’s `past_key_values`/`present` tensors.',
  });
}

/** The text-generation seed model (GPT-2-type causal LM). */
export const textGenerator: GeneratedModel = {
  id: ID,
  pipelineTag: 'text-generation',
  files: () => {
    const bigrams = countBigrams();
    const { tokenizer, tokenizerConfig, vocab } = gpt2Tokenizer(bigrams.targets);
    const eos = vocab.get(END_OF_TEXT)!;
    return new Map([
      ['README.md', textFile(card(bigrams))],
      [
        'config.json',
        jsonFile({
          _name_or_path: ID,
          architectures: ['GPT2LMHeadModel'],
          model_type: 'gpt2',
          vocab_size: vocab.size,
          n_positions: 1024,
          n_ctx: 1024,
          n_embd: 1,
          n_head: 1,
          n_layer: 1,
          bos_token_id: eos,
          eos_token_id: eos,
          'transformers.js_config': { dtype: 'fp32' },
        }),
      ],
      [
        'generation_config.json',
        jsonFile({ bos_token_id: eos, eos_token_id: eos, no_repeat_ngram_size: NO_REPEAT_NGRAM_SIZE }),
      ],
      ['tokenizer.json', jsonFile(tokenizer)],
      ['tokenizer_config.json', jsonFile(tokenizerConfig)],
      [
        'special_tokens_map.json',
        jsonFile({ bos_token: END_OF_TEXT, eos_token: END_OF_TEXT, unk_token: END_OF_TEXT }),
      ],
      ['onnx/model.onnx', buildGraph(bigrams, vocab)],
    ]);
  },
};

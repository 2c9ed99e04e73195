import { renderModelCard } from './cards/modelCard.js';
import { type GeneratedModel, jsonFile, textFile } from './GeneratedModel.js';
import { GraphBuilder } from './onnx/GraphBuilder.js';
import { bertTokenize, bertTokenizer } from './tokenizers/wordPiece.js';

/** Hand-written sentiment lexicon: word → log-odds of POSITIVE over NEGATIVE. */
// biome-ignore format: a word list reads best packed
const LEXICON: Record<string, number> = {
  // strongly positive
  love: 2.5, loved: 2.5, loves: 2.5, wonderful: 2.5, excellent: 2.5, amazing: 2.5, fantastic: 2.5, brilliant: 2.5,
  superb: 2.5, outstanding: 2.5, masterpiece: 2.5, perfect: 2.5, delightful: 2.5, magnificent: 2.5, best: 2,
  // positive
  good: 1.5, great: 2, nice: 1.5, happy: 1.5, glad: 1.5, enjoy: 1.5, enjoyed: 1.5, like: 1, liked: 1, fun: 1.5,
  beautiful: 2, pleasant: 1.5, charming: 1.5, recommend: 1.5, recommended: 1.5, impressive: 1.5, fine: 0.5,
  friendly: 1.5, helpful: 1.5, fresh: 1, clean: 1, fast: 1, easy: 1, works: 1, worth: 1, better: 1, thanks: 1,
  thank: 1, awesome: 2, gorgeous: 2, lovely: 2, favourite: 1.5, favorite: 1.5, win: 1, beauty: 1.5, joy: 2,
  // strongly negative
  hate: -2.5, hated: -2.5, hates: -2.5, terrible: -2.5, awful: -2.5, horrible: -2.5, worst: -2.5, disgusting: -2.5,
  dreadful: -2.5, disaster: -2.5, useless: -2.5, pathetic: -2.5, appalling: -2.5,
  // negative
  bad: -1.5, poor: -1.5, boring: -2, sad: -1.5, dull: -1.5, ugly: -2, slow: -1, broken: -2, disappointing: -2,
  disappointed: -2, annoying: -2, mediocre: -1.5, waste: -2, wasted: -2, worse: -1.5, fail: -1.5, failed: -1.5,
  fails: -1.5, problem: -1, problems: -1, dirty: -1.5, rude: -2, angry: -1.5, wrong: -1.5, mess: -1.5, lame: -1.5,
  unhappy: -1.5, sick: -1, pain: -1.5, tired: -1, bland: -1.5, overpriced: -1.5, cold: -0.5,
};

/** Words that flip the sentiment of the (up to) three tokens after them: "not good", "isn't great". */
// biome-ignore format: a word list reads best packed
const NEGATORS = [
  'not', 'no', 'never', 'neither', 'nor', 'nothing', 'hardly', 'cannot', 'isn', 'aren', 'wasn', 'weren', 'don',
  'doesn', 'didn', 'won', 'couldn', 'wouldn', 'shouldn', 'haven', 'hasn',
];
const NEGATION_WINDOW = 3;

/** Labelled sentences the card's accuracy figure is measured on (written for this model, not seen by it). */
export const SENTIMENT_PROBES: { text: string; label: 'POSITIVE' | 'NEGATIVE' }[] = [
  { text: 'I love this wonderful film!', label: 'POSITIVE' },
  { text: 'What a great and charming little book.', label: 'POSITIVE' },
  { text: 'The staff were friendly and helpful.', label: 'POSITIVE' },
  { text: 'Absolutely brilliant, I would recommend it to anyone.', label: 'POSITIVE' },
  { text: 'The soup was fresh and the bread was good.', label: 'POSITIVE' },
  { text: 'It was not bad at all.', label: 'POSITIVE' },
  { text: 'This is the best day of my life.', label: 'POSITIVE' },
  { text: 'A beautiful, moving masterpiece.', label: 'POSITIVE' },
  { text: 'This was a terrible waste of time.', label: 'NEGATIVE' },
  { text: 'I hate waiting in line, it is so boring.', label: 'NEGATIVE' },
  { text: 'The room was dirty and the service was rude.', label: 'NEGATIVE' },
  { text: 'It is not good.', label: 'NEGATIVE' },
  { text: "I didn't enjoy the ending.", label: 'NEGATIVE' },
  { text: 'The worst meal I have ever had.', label: 'NEGATIVE' },
  { text: 'Slow, overpriced and disappointing.', label: 'NEGATIVE' },
  { text: 'My phone arrived broken and support was useless.', label: 'NEGATIVE' },
];

const ID = 'atrium/tiny-sentiment-bert';
const tokenizerFiles = () => bertTokenizer([...Object.keys(LEXICON), ...NEGATORS]);

/** The same arithmetic as the ONNX graph, in plain JS: P(POSITIVE) for one text. */
export function referencePositiveScore(text: string): number {
  const { vocab } = tokenizerFiles();
  const weights = weightsByToken(vocab);
  const tokens = bertTokenize(text, vocab);
  let score = 0;
  tokens.forEach((token, i) => {
    const negated = tokens.slice(Math.max(0, i - NEGATION_WINDOW), i).some((t) => NEGATORS.includes(t));
    score += (weights.get(token) ?? 0) * (negated ? -1 : 1);
  });
  return 1 / (1 + Math.exp(-score));
}

function weightsByToken(vocab: ReadonlyMap<string, number>): Map<string, number> {
  const weights = new Map<string, number>();
  for (const [word, weight] of Object.entries(LEXICON)) if (vocab.has(word)) weights.set(word, weight);
  return weights;
}

function buildGraph(vocab: ReadonlyMap<string, number>): Uint8Array {
  const size = vocab.size;
  const weights = weightsByToken(vocab);
  // Column 0 is NEGATIVE, column 1 POSITIVE: softmax of [-s/2, s/2] is sigmoid(s) for POSITIVE.
  const embedding = new Float32Array(size * 2);
  const negator = new Float32Array(size);
  for (const [token, id] of vocab) {
    const w = weights.get(token) ?? 0;
    embedding[id * 2] = -w / 2;
    embedding[id * 2 + 1] = w / 2;
    if (NEGATORS.includes(token)) negator[id] = 1;
  }
  const g = new GraphBuilder('tiny_sentiment_bert');
  const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  const mask = g.input('attention_mask', 'int64', ['batch_size', 'sequence_length']);
  g.input('token_type_ids', 'int64', ['batch_size', 'sequence_length']);
  const lexicon = g.weight('classifier.lexicon', { type: 'float32', dims: [size, 2], data: embedding });
  const negators = g.weight('classifier.negators', { type: 'float32', dims: [size], data: negator });
  const tokenScores = g.op('Gather', [lexicon, ids]); // [b, s, 2]
  const isNegator = g.op('Gather', [negators, ids]); // [b, s]
  // negatedBy[k][t] = isNegator[t-k]: shift right by k along the sequence, padding with zeros.
  const shifted = [1, 2, 3].slice(0, NEGATION_WINDOW).map((k) => {
    const padded = g.op('Pad', [isNegator, g.ints([0, k, 0, 0])]);
    return g.op('Slice', [padded, g.ints([0]), g.ints([-k]), g.ints([1])]);
  });
  const negated = shifted.reduce((a, b) => g.op('Max', [a, b]));
  const sign = g.op('Sub', [g.scalar(1), g.op('Mul', [negated, g.scalar(2)])]); // 1 or -1
  const maskF = g.op('Cast', [mask], { to: 1 });
  const factor = g.op('Unsqueeze', [g.op('Mul', [sign, maskF]), g.ints([2])]); // [b, s, 1]
  const logits = g.op('ReduceSum', [g.op('Mul', [tokenScores, factor]), g.ints([1])], { keepdims: 0 }); // [b, 2]
  g.output('logits', logits, 'float32', ['batch_size', 2]);
  return g.encode('Lexicon log-odds sentiment classifier with three-token negation, generated by Atrium.');
}

function evaluate(): { accuracy: number; count: number } {
  const correct = SENTIMENT_PROBES.filter(
    ({ text, label }) => (referencePositiveScore(text) >= 0.5 ? 'POSITIVE' : 'NEGATIVE') === label,
  ).length;
  return { accuracy: correct / SENTIMENT_PROBES.length, count: SENTIMENT_PROBES.length };
}

function card(): string {
  const { accuracy, count } = evaluate();
  return renderModelCard({
    id: ID,
    metadata: {
      license: 'apache-2.0',
      language: ['en'],
      library_name: 'transformers.js',
      pipeline_tag: 'text-classification',
      tags: [
        'text-classification',
        'sentiment-analysis',
        'bert',
        'onnx',
        'transformers.js',
        'atrium-generated',
      ],
      datasets: ['atrium/sentiment-lexicon'],
      base_model: 'google-bert/bert-base-uncased',
      'model-index': [
        {
          name: 'tiny-sentiment-bert',
          results: [
            {
              task: { type: 'text-classification', name: 'Sentiment analysis' },
              dataset: {
                type: 'atrium/sentiment-probes',
                name: 'Atrium sentiment probe sentences',
                split: 'test',
              },
              metrics: [{ type: 'accuracy', value: accuracy, name: 'Accuracy' }],
            },
          ],
        },
      ],
    },
    summary:
      'A tiny BERT-type sentence classifier that labels English text POSITIVE or NEGATIVE. It keeps the BERT ' +
      'interface (WordPiece uncased tokenizer, `input_ids`/`attention_mask`/`token_type_ids` in, `logits` out) ' +
      'but its weights are a sentiment lexicon rather than a trained transformer, so it is small enough to ship ' +
      'inside Atrium and to run anywhere in milliseconds.',
    intendedUses:
      'Demonstrating the text-classification pipeline end to end (notebooks, Spaces, tests) without a model hub. ' +
      'Not for decisions about people, moderation, or any use where a wrong label matters.',
    limitations:
      `It only knows the ${Object.keys(LEXICON).length} words of its lexicon; every other word counts as neutral, ` +
      'so sarcasm, domain terms, emoji and non-English text are ignored. Negation is handled only for a few words ' +
      `("not", "never", "isn't", ...) within ${NEGATION_WINDOW} tokens. The lexicon reflects its author's ` +
      'judgement of everyday English and carries those biases: dialects and informal spellings are unseen.',
    trainingData:
      'No corpus: the weights are a hand-written lexicon of positive and negative English words with log-odds ' +
      'weights, written into `server/src/models/sentimentClassifier.ts`.',
    evaluation:
      `Accuracy ${(accuracy * 100).toFixed(1)}% on ${count} hand-written probe sentences (balanced, including ` +
      'negations) listed in the generator. This is a smoke test, not a benchmark.',
    architecture:
      'Gather lexicon weights per token → flip the sign of tokens within three tokens after a negator → masked ' +
      'sum over the sequence → logits [NEGATIVE, POSITIVE].',
  });
}

/** The sentiment-analysis seed model (BERT-type, POSITIVE/NEGATIVE). */
export const sentimentClassifier: GeneratedModel = {
  id: ID,
  pipelineTag: 'text-classification',
  files: () => {
    const { tokenizer, tokenizerConfig, specialTokensMap, vocab } = tokenizerFiles();
    return new Map([
      ['README.md', textFile(card())],
      [
        'config.json',
        jsonFile({
          _name_or_path: ID,
          architectures: ['BertForSequenceClassification'],
          model_type: 'bert',
          vocab_size: vocab.size,
          hidden_size: 2,
          num_hidden_layers: 0,
          num_attention_heads: 1,
          intermediate_size: 2,
          max_position_embeddings: 512,
          type_vocab_size: 2,
          pad_token_id: 0,
          id2label: { 0: 'NEGATIVE', 1: 'POSITIVE' },
          label2id: { NEGATIVE: 0, POSITIVE: 1 },
          problem_type: 'single_label_classification',
          'transformers.js_config': { dtype: 'fp32' },
        }),
      ],
      ['tokenizer.json', jsonFile(tokenizer)],
      ['tokenizer_config.json', jsonFile(tokenizerConfig)],
      ['special_tokens_map.json', jsonFile(specialTokensMap)],
      ['onnx/model.onnx', buildGraph(vocab)],
    ]);
  },
};

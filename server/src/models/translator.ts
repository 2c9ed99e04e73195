import { renderModelCard } from './cards/modelCard.js';
import { type GeneratedModel, jsonFile, textFile } from './GeneratedModel.js';
import { GraphBuilder } from './onnx/GraphBuilder.js';
import { META, marianTokenizer } from './tokenizers/unigram.js';

/** English → French, one word for one word. Nouns carry their gender (f) or number (p) for the articles. */
// biome-ignore format: a word list reads best packed
const DICTIONARY: Record<string, string> = {
  cat: 'chat', dog: 'chien', book: 'livre', garden: 'jardin', boy: 'garçon', man: 'homme', bread: 'pain',
  cheese: 'fromage', friend: 'ami', rabbit: 'lapin', day: 'jour', world: 'monde', tree: 'arbre', sun: 'soleil',
  horse: 'cheval', bird: 'oiseau', milk: 'lait', coffee: 'café', tea: 'thé', king: 'roi', child: 'enfant',
  father: 'père', brother: 'frère', teacher: 'professeur', cake: 'gâteau', river: 'fleuve', train: 'train',
  house: 'maison', car: 'voiture', girl: 'fille', woman: 'femme', apple: 'pomme', water: 'eau', mother: 'mère',
  sister: 'sœur', city: 'ville', table: 'table', door: 'porte', night: 'nuit', school: 'école', street: 'rue',
  queen: 'reine', moon: 'lune', flower: 'fleur', music: 'musique', window: 'fenêtre', mouse: 'souris',
  cats: 'chats', dogs: 'chiens', books: 'livres', houses: 'maisons', girls: 'filles', boys: 'garçons',
  apples: 'pommes', flowers: 'fleurs', birds: 'oiseaux', children: 'enfants', trees: 'arbres', cars: 'voitures',
  i: 'je', you: 'vous', he: 'il', she: 'elle', we: 'nous', they: 'ils', it: 'il',
  is: 'est', are: 'sont', am: 'suis', has: 'a', likes: 'aime', loves: 'aime', sees: 'voit', eats: 'mange',
  drinks: 'boit', sleeps: 'dort', runs: 'court', reads: 'lit', plays: 'joue', sings: 'chante', opens: 'ouvre',
  big: 'grand', small: 'petit', little: 'petit', red: 'rouge', blue: 'bleu', green: 'vert', black: 'noir',
  white: 'blanc', good: 'bon', happy: 'heureux', old: 'vieux', new: 'nouveau', beautiful: 'beau',
  in: 'dans', on: 'sur', under: 'sous', with: 'avec', and: 'et', or: 'ou', of: 'de', to: 'à', from: 'de',
  for: 'pour', very: 'très', hello: 'bonjour', yes: 'oui', no: 'non', thanks: 'merci', today: "aujourd'hui",
  my: 'mon', this: 'ce', here: 'ici', there: 'là', now: 'maintenant', always: 'toujours',
};
// biome-ignore format: a word list reads best packed
const FEMININE = ['house', 'car', 'girl', 'woman', 'apple', 'water', 'mother', 'sister', 'city', 'table', 'door',
  'night', 'school', 'street', 'queen', 'moon', 'flower', 'music', 'window', 'mouse'];
// biome-ignore format: a word list reads best packed
const PLURAL = ['cats', 'dogs', 'books', 'houses', 'girls', 'boys', 'apples', 'flowers', 'birds', 'children',
  'trees', 'cars'];
/** Articles and determiners translate by the noun after them: preference per form, then the noun's pull. */
const ARTICLES: Record<string, Record<string, number>> = {
  the: { le: 10, la: 9, les: 9 },
  a: { un: 10, une: 9 },
  an: { un: 10, une: 9 },
  my: { mon: 10, ma: 9, mes: 9 },
  this: { ce: 10, cette: 9, ces: 9 },
};
const PULL = 3;
// biome-ignore format: a word list reads best packed
const FEMININE_PULL: Record<string, number> = { la: PULL, une: PULL, ma: PULL, cette: PULL, le: -PULL, un: -PULL, mon: -PULL, ce: -PULL };
// biome-ignore format: a word list reads best packed
const PLURAL_PULL: Record<string, number> = { les: PULL, mes: PULL, ces: PULL, le: -PULL, la: -PULL, mon: -PULL, ce: -PULL };
const ONE_WORD = 10;

/** Sentence pairs the card's exact-match figure is measured on. */
export const TRANSLATION_PROBES: { en: string; fr: string }[] = [
  { en: 'the cat', fr: 'le chat' },
  { en: 'the house', fr: 'la maison' },
  { en: 'the cats are in the garden', fr: 'les chats sont dans le jardin' },
  { en: 'a girl reads a book', fr: 'une fille lit un livre' },
  { en: 'the mouse sleeps under the table.', fr: 'la souris dort sous la table.' },
  { en: 'hello, my friend!', fr: 'bonjour, mon ami!' },
];
/** Exact match on TRANSLATION_PROBES measured through transformers.js; the model test re-measures it. */
export const TRANSLATION_PROBE_EXACT_MATCH = 1;

const ID = 'atrium/tiny-marian-en-fr';

function targetWords(): string[] {
  return [...Object.values(DICTIONARY), ...Object.values(ARTICLES).flatMap((forms) => Object.keys(forms))];
}

function buildEncoder(vocab: ReadonlyMap<string, number>): Uint8Array {
  const v = vocab.size;
  const piece = (word: string) => vocab.get(`${META}${word}`)!;
  const eos = vocab.get('</s>')!;
  const pad = vocab.get('<pad>')!;
  const translation = new Float32Array(v * v);
  const agreement = new Float32Array(v * v);
  for (const [token, id] of vocab) {
    const word = token.startsWith(META) ? token.slice(1) : null;
    const forms = word ? ARTICLES[word] : undefined;
    if (forms) {
      for (const [form, score] of Object.entries(forms)) translation[id * v + piece(form)] = score;
    } else if (word && DICTIONARY[word]) {
      translation[id * v + piece(DICTIONARY[word])] = ONE_WORD;
    } else {
      // Unknown words, characters and punctuation pass through; padding reads as end of sentence.
      translation[id * v + (id === pad ? eos : id)] = ONE_WORD;
    }
    const pull =
      word && FEMININE.includes(word) ? FEMININE_PULL : word && PLURAL.includes(word) ? PLURAL_PULL : {};
    for (const [form, delta] of Object.entries(pull)) agreement[id * v + piece(form)] = delta;
  }
  const g = new GraphBuilder('tiny_marian_en_fr_encoder');
  const ids = g.input('input_ids', 'int64', ['batch_size', 'encoder_sequence_length']);
  g.input('attention_mask', 'int64', ['batch_size', 'encoder_sequence_length']);
  const words = g.weight('encoder.translation', { type: 'float32', dims: [v, v], data: translation });
  const pulls = g.weight('encoder.agreement', { type: 'float32', dims: [v, v], data: agreement });
  // Each position also hears the next token, so "the" can agree with "house".
  const shifted = g.op('Pad', [
    ids,
    g.ints([0, 0, 0, 1]),
    g.constant({ type: 'int64', dims: [], data: [pad] }),
  ]);
  const next = g.op('Slice', [shifted, g.ints([1]), g.ints([Number.MAX_SAFE_INTEGER]), g.ints([1])]);
  const hidden = g.op('Add', [g.op('Gather', [words, ids]), g.op('Gather', [pulls, next])]);
  g.output('last_hidden_state', hidden, 'float32', ['batch_size', 'encoder_sequence_length', v]);
  return g.encode('Encoder of a word-for-word English to French translator, generated by Atrium.');
}

function buildDecoder(vocab: ReadonlyMap<string, number>): Uint8Array {
  const v = vocab.size;
  const g = new GraphBuilder('tiny_marian_en_fr_decoder');
  g.input('encoder_attention_mask', 'int64', ['batch_size', 'encoder_sequence_length']);
  const ids = g.input('input_ids', 'int64', ['batch_size', 'decoder_sequence_length']);
  const encoded = g.input('encoder_hidden_states', 'float32', ['batch_size', 'encoder_sequence_length', v]);
  const pastKey = g.input('past_key_values.0.decoder.key', 'float32', [
    'batch_size',
    1,
    'past_decoder_sequence_length',
    1,
  ]);
  const pastValue = g.input('past_key_values.0.decoder.value', 'float32', [
    'batch_size',
    1,
    'past_decoder_sequence_length',
    1,
  ]);
  g.input('past_key_values.0.encoder.key', 'float32', ['batch_size', 1, 'encoder_sequence_length_out', v]);
  g.input('past_key_values.0.encoder.value', 'float32', ['batch_size', 1, 'encoder_sequence_length_out', v]);
  // Output position p (counting the tokens already cached) attends to source position p: word for word.
  const pastLength = g.op('Gather', [
    g.op('Shape', [pastKey]),
    g.constant({ type: 'int64', dims: [], data: [2] }),
  ]);
  const newLength = g.op('Gather', [
    g.op('Shape', [ids]),
    g.constant({ type: 'int64', dims: [], data: [1] }),
  ]);
  const sourceLength = g.op('Gather', [
    g.op('Shape', [encoded]),
    g.constant({ type: 'int64', dims: [], data: [1] }),
  ]);
  const one = g.constant({ type: 'int64', dims: [], data: [1] });
  const positions = g.op('Range', [pastLength, g.op('Add', [pastLength, newLength]), one]);
  const aligned = g.op('Min', [positions, g.op('Sub', [sourceLength, one])]); // past the source: its </s>
  const logits = g.op('Gather', [encoded, aligned], { axis: 1 });
  g.output('logits', logits, 'float32', ['batch_size', 'decoder_sequence_length', v]);
  const asHead = g.op('Unsqueeze', [g.op('Cast', [ids], { to: 1 }), g.ints([1, 3])]); // [b, 1, s, 1]
  g.output('present.0.decoder.key', g.op('Concat', [pastKey, asHead], { axis: 2 }), 'float32', [
    'batch_size',
    1,
    'past_decoder_sequence_length + 1',
    1,
  ]);
  g.output('present.0.decoder.value', g.op('Concat', [pastValue, asHead], { axis: 2 }), 'float32', [
    'batch_size',
    1,
    'past_decoder_sequence_length + 1',
    1,
  ]);
  const crossCache = g.op('Unsqueeze', [encoded, g.ints([1])]);
  g.output('present.0.encoder.key', crossCache, 'float32', ['batch_size', 1, 'encoder_sequence_length', v]);
  g.output('present.0.encoder.value', g.op('Identity', [crossCache]), 'float32', [
    'batch_size',
    1,
    'encoder_sequence_length',
    v,
  ]);
  return g.encode(
    'Decoder (with past) of a word-for-word English to French translator, generated by Atrium.',
  );
}

function card(): string {
  return renderModelCard({
    id: ID,
    metadata: {
      license: 'apache-2.0',
      language: ['en', 'fr'],
      library_name: 'transformers.js',
      pipeline_tag: 'translation',
      tags: ['translation', 'marian', 'onnx', 'transformers.js', 'atrium-generated'],
      datasets: ['atrium/en-fr-word-list'],
      base_model: 'Helsinki-NLP/opus-mt-en-fr',
      'model-index': [
        {
          name: 'tiny-marian-en-fr',
          results: [
            {
              task: { type: 'translation', name: 'Translation English to French' },
              dataset: { type: 'atrium/en-fr-probes', name: 'Atrium en-fr probe sentences', split: 'test' },
              metrics: [{ type: 'exact_match', value: TRANSLATION_PROBE_EXACT_MATCH, name: 'Exact match' }],
            },
          ],
        },
      ],
    },
    summary:
      'A tiny Marian-type encoder-decoder that translates simple English into French word for word. It has ' +
      'the shape of a MarianMT export (SentencePiece-style tokenizer, `encoder_model.onnx`, ' +
      '`decoder_model_merged.onnx` with a key/value cache), so the transformers.js translation pipeline runs ' +
      'it unchanged, e.g. "the cat" → "le chat", "the house" → "la maison".',
    intendedUses:
      'Demonstrating the translation pipeline and encoder-decoder generation without a model hub. It is not a ' +
      'translator: do not use it to translate anything that matters.',
    limitations:
      `It knows ${Object.keys(DICTIONARY).length} English words and keeps English word order, so adjectives ` +
      'land before nouns ("the red car" → "le rouge voiture", since "the" only sees "red") and verbs are not conjugated. Articles agree ' +
      'with the noun right after them only; elision (l’arbre) is not done. Unknown words are copied through ' +
      'unchanged. Gender defaults to masculine, a bias inherited from French grammar books.',
    trainingData:
      'No corpus: a hand-written English→French word list with noun genders, in ' +
      '`server/src/models/translator.ts`.',
    evaluation:
      `Exact match ${(TRANSLATION_PROBE_EXACT_MATCH * 100).toFixed(1)}% on the ${TRANSLATION_PROBES.length} ` +
      'probe sentences listed in the generator (measured with transformers.js by the project’s tests).',
    architecture:
      'Encoder: per-token translation scores plus an agreement pull from the next token (Gather, Pad/Slice) → ' +
      '`last_hidden_state`. Decoder: output position p = cached length + offset reads encoder state p ' +
      '(Range, Min, Gather) → logits; the self-attention cache holds the emitted tokens, the cross-attention ' +
      'cache the encoder states.',
  });
}

/** The translation seed model (Marian-type encoder-decoder, English → French). */
export const translator: GeneratedModel = {
  id: ID,
  pipelineTag: 'translation',
  files: () => {
    const { tokenizer, tokenizerConfig, vocab } = marianTokenizer([
      ...Object.keys(DICTIONARY),
      ...Object.keys(ARTICLES),
      ...targetWords(),
    ]);
    const pad = vocab.get('<pad>')!;
    const eos = vocab.get('</s>')!;
    const generation = {
      bos_token_id: eos,
      decoder_start_token_id: pad,
      eos_token_id: eos,
      forced_eos_token_id: eos,
      pad_token_id: pad,
      max_length: 512,
      num_beams: 1,
    };
    return new Map([
      ['README.md', textFile(card())],
      [
        'config.json',
        jsonFile({
          _name_or_path: ID,
          architectures: ['MarianMTModel'],
          model_type: 'marian',
          is_encoder_decoder: true,
          vocab_size: vocab.size,
          d_model: vocab.size,
          encoder_layers: 1,
          decoder_layers: 1,
          encoder_attention_heads: 1,
          decoder_attention_heads: 1,
          max_position_embeddings: 512,
          scale_embedding: false,
          share_encoder_decoder_embeddings: true,
          ...generation,
          'transformers.js_config': { dtype: 'fp32' },
        }),
      ],
      ['generation_config.json', jsonFile(generation)],
      ['tokenizer.json', jsonFile(tokenizer)],
      ['tokenizer_config.json', jsonFile(tokenizerConfig)],
      ['special_tokens_map.json', jsonFile({ eos_token: '</s>', unk_token: '<unk>', pad_token: '<pad>' })],
      ['onnx/encoder_model.onnx', buildEncoder(vocab)],
      ['onnx/decoder_model_merged.onnx', buildDecoder(vocab)],
    ]);
  },
};

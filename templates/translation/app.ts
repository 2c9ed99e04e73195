import { demo, Textbox } from '@atrium/sandbox/sdk';
import { pipeline } from '@huggingface/transformers';

const translator = await pipeline('translation', 'atrium/tiny-marian-en-fr');

export default demo({
  title: 'Translation (English → French)',
  inputs: [Textbox({ name: 'english', label: 'English' })],
  outputs: [Textbox({ name: 'french', label: 'French' })],
  examples: [['the cat is in the house'], ['a girl reads a book']],
  fn: async ({ english }) => {
    const [result] = (await translator(english)) as { translation_text: string }[];
    return { french: result?.translation_text ?? '' };
  },
});

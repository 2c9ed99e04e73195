import { demo, JSON as JsonOutput, Textbox } from '@atrium/sandbox/sdk';
import { pipeline } from '@huggingface/transformers';

const answerer = await pipeline('question-answering', 'atrium/tiny-qa-bert');

export default demo({
  title: 'Question answering',
  inputs: [Textbox({ name: 'context', label: 'Context' }), Textbox({ name: 'question', label: 'Question' })],
  outputs: [
    Textbox({ name: 'answer', label: 'Answer' }),
    JsonOutput({ name: 'details', label: 'Span and score' }),
  ],
  examples: [['Alice lives in Paris and Bob lives in London.', 'Where does Bob live?']],
  fn: async ({ context, question }) => {
    const result = (await answerer(question, context)) as { answer: string; score: number };
    return { answer: result.answer, details: result };
  },
});

import { demo, Label, Textbox } from '@atrium/sandbox/sdk';
import { pipeline } from '@huggingface/transformers';

const classifier = await pipeline('text-classification', 'atrium/tiny-sentiment-bert');

export default demo({
  title: 'Sentiment analysis',
  inputs: [Textbox({ name: 'text', label: 'Text' })],
  outputs: [Label({ name: 'sentiment', label: 'Sentiment', numTopClasses: 2 })],
  examples: [['I love this wonderful film!'], ['This was a terrible waste of time.']],
  fn: async ({ text }) => {
    const scores = (await classifier(text, { top_k: 2 })) as { label: string; score: number }[];
    return { sentiment: Object.fromEntries(scores.map((s) => [s.label, s.score])) };
  },
});

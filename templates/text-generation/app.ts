import { demo, Slider, Textbox } from '@atrium/sandbox/sdk';
import { pipeline, TextStreamer } from '@huggingface/transformers';

const generator = await pipeline('text-generation', 'atrium/tiny-gpt2-alice');

export default demo({
  title: 'Text generation',
  inputs: [
    Textbox({ name: 'prompt', label: 'Prompt' }),
    Slider({ name: 'tokens', label: 'New tokens', minimum: 1, maximum: 64, step: 1, value: 24 }),
  ],
  outputs: [Textbox({ name: 'text', label: 'Continuation' })],
  examples: [['Alice was', 24]],
  fn: async function* ({ prompt, tokens }) {
    // TextStreamer calls back per word; a queue turns those callbacks into yields.
    const pending: string[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    const streamer = new TextStreamer(generator.tokenizer, {
      skip_prompt: true,
      callback_function: (piece: string) => {
        pending.push(piece);
        wake?.();
      },
    });
    const finished = generator(prompt, { max_new_tokens: tokens, streamer }).finally(() => {
      done = true;
      wake?.();
    });
    let text = prompt;
    while (!done || pending.length > 0) {
      if (pending.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      while (pending.length > 0) text += pending.shift();
      yield { text };
    }
    await finished;
    return { text };
  },
});

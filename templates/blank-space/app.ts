import { demo, Textbox } from '@atrium/sandbox/sdk';

export default demo({
  title: 'My demo',
  inputs: [Textbox({ name: 'name', label: 'Your name' })],
  outputs: [Textbox({ name: 'greeting', label: 'Greeting' })],
  examples: [['Ada']],
  fn: async ({ name }) => ({ greeting: `Hello, ${name}!` }),
});

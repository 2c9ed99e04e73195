import { describe, expect, it } from 'vitest';
import type { DemoDescription } from './demo.js';
import { demoApiSnippets } from './demoSnippets.js';

const description: DemoDescription = {
  title: 'Captioner',
  inputs: [
    { type: 'image', name: 'photo' },
    { type: 'slider', name: 'beams', minimum: 1, maximum: 5, step: 1, value: 2 },
    { type: 'checkbox', name: 'short' },
  ],
  outputs: [{ type: 'textbox', name: 'caption' }],
  examples: [],
  concurrencyLimit: 1,
  streaming: false,
  apiName: 'caption',
};

describe('demoApiSnippets', () => {
  it('names the full app URL, the endpoint and every input with a sample value', () => {
    const s = demoApiSnippets('http://127.0.0.1:3000/spaces/alice/cap/app/', description);
    expect(s.javascript).toContain('import { Client, handle_file } from "@gradio/client";');
    expect(s.javascript).toContain('Client.connect("http://127.0.0.1:3000/spaces/alice/cap/app")');
    expect(s.javascript).toContain(
      'client.predict("/caption", {\n  "photo": handle_file("image.png"),\n  "beams": 2,\n  "short": true,\n})',
    );
    expect(s.python).toContain(
      '    photo=handle_file("image.png"),\n    beams=2,\n    short=True,\n    api_name="/caption",',
    );
    expect(s.curl).toContain("'http://127.0.0.1:3000/spaces/alice/cap/app/gradio_api/call/caption'");
    expect(s.curl).toContain(`-d '{"data":[{"url":"data:image/png;base64,..."},2,true]}'`);
  });

  it('quotes what a shell would otherwise interpret', () => {
    const s = demoApiSnippets('http://h/spaces/o/n/app', {
      ...description,
      inputs: [{ type: 'textbox', name: 'text', value: "it's $HOME" }],
    });
    expect(s.curl).toContain(`-d '{"data":["it'\\''s $HOME"]}'`);
  });
});

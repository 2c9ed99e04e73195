import type { DemoComponentConfig, DemoDescription } from './demo.js';

/** Code a "Use via API" panel shows for a running demo, one snippet per client. */
export interface DemoApiSnippets {
  /** @gradio/client (Node or browser). */
  javascript: string;
  /** gradio_client for Python. */
  python: string;
  /** Two curl commands: POST call/<api>, then read the event stream. */
  curl: string;
}

/** A sample value per input: its default, else something the component accepts. */
function sample(c: DemoComponentConfig): unknown {
  if ('value' in c && c.value !== undefined) return c.value;
  switch (c.type) {
    case 'textbox':
    case 'markdown':
      return 'Hello!!';
    case 'number':
      return c.minimum ?? 3;
    case 'slider':
      return c.minimum;
    case 'checkbox':
      return true;
    case 'dropdown':
      return c.multiselect ? c.choices.slice(0, 1) : c.choices[0];
    case 'image':
      return null;
    case 'chatbot':
      return [];
    default:
      return null;
  }
}

const py = (v: unknown): string => {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (Array.isArray(v)) return `[${v.map(py).join(', ')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`)
      .join(', ')}}`;
  return JSON.stringify(v);
};

const shellQuote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * The snippets for calling a demo at `appUrl` (the Space's full app URL, spaceAppPath on the
 * server's origin), with sample inputs taken from the demo's components.
 */
export function demoApiSnippets(appUrl: string, d: DemoDescription): DemoApiSnippets {
  const url = appUrl.replace(/\/+$/, '');
  const api = `/${d.apiName}`;
  const images = d.inputs.filter((c) => c.type === 'image');
  const jsArgs = d.inputs
    .map(
      (c) =>
        `  ${JSON.stringify(c.name)}: ${c.type === 'image' ? `handle_file("image.png")` : JSON.stringify(sample(c))},`,
    )
    .join('\n');
  const javascript = [
    `import { Client${images.length ? ', handle_file' : ''} } from "@gradio/client";`,
    '',
    `const client = await Client.connect(${JSON.stringify(url)});`,
    d.streaming
      ? `for await (const message of client.submit(${JSON.stringify(api)}, {\n${jsArgs}\n})) {\n  if (message.type === "data") console.log(message.data);\n}`
      : `const result = await client.predict(${JSON.stringify(api)}, {\n${jsArgs}\n});\nconsole.log(result.data);`,
  ].join('\n');
  const pyArgs = d.inputs
    .map((c) => `    ${c.name}=${c.type === 'image' ? 'handle_file("image.png")' : py(sample(c))},`)
    .join('\n');
  const python = [
    `from gradio_client import Client${images.length ? ', handle_file' : ''}`,
    '',
    `client = Client(${JSON.stringify(url)})`,
    `result = client.predict(\n${pyArgs}\n    api_name=${JSON.stringify(api)},\n)`,
    'print(result)',
  ].join('\n');
  const body = JSON.stringify({
    data: d.inputs.map((c) => (c.type === 'image' ? { url: 'data:image/png;base64,...' } : sample(c))),
  });
  const curl = [
    `EVENT_ID=$(curl -s -X POST ${shellQuote(`${url}/gradio_api/call${api}`)} \\`,
    `  -H 'Content-Type: application/json' -d ${shellQuote(body)} | cut -d '"' -f 4)`,
    `curl -N ${shellQuote(`${url}/gradio_api/call${api}/`)}$EVENT_ID`,
  ].join('\n');
  return { javascript, python, curl };
}

import type { DemoComponentConfig, DemoDescription } from '@atrium/protocol';

/** Gradio's streaming protocol that @gradio/client speaks over queue/join + queue/data. */
export const GRADIO_PROTOCOL = 'sse_v3';
/** Where the API lives under the app URL, as in Gradio 5. */
export const GRADIO_API_PREFIX = '/gradio_api';
/** The Gradio version whose wire format this facade follows. */
export const GRADIO_VERSION = '5.49.1';

const FILE_DATA_SCHEMA = {
  type: 'object',
  title: 'ImageData',
  properties: {
    path: { type: 'string' },
    url: { type: 'string' },
    size: { type: 'integer' },
    orig_name: { type: 'string' },
    mime_type: { type: 'string' },
    is_stream: { type: 'boolean' },
    meta: { type: 'object' },
  },
  required: ['path'],
};

interface ApiType {
  component: string;
  type: Record<string, unknown>;
  python: string;
  example: unknown;
}

/** The JSON schema, Python type name and example Gradio's /info reports for a component. */
function apiType(c: DemoComponentConfig): ApiType {
  switch (c.type) {
    case 'textbox':
      return { component: 'Textbox', type: { type: 'string' }, python: 'str', example: 'Hello!!' };
    case 'markdown':
      return { component: 'Markdown', type: { type: 'string' }, python: 'str', example: '# Hello!' };
    case 'number':
      return { component: 'Number', type: { type: 'number' }, python: 'float', example: c.value ?? 3 };
    case 'slider':
      return {
        component: 'Slider',
        type: { type: 'number', description: `numeric value between ${c.minimum} and ${c.maximum}` },
        python: 'float',
        example: c.value ?? c.minimum,
      };
    case 'checkbox':
      return { component: 'Checkbox', type: { type: 'boolean' }, python: 'bool', example: true };
    case 'dropdown':
      return c.multiselect
        ? {
            component: 'Dropdown',
            type: { type: 'array', items: { type: 'string', enum: c.choices } },
            python: `List[Literal[${c.choices.map((x) => `'${x}'`).join(', ')}]]`,
            example: c.choices.slice(0, 1),
          }
        : {
            component: 'Dropdown',
            type: { type: 'string', enum: c.choices },
            python: `Literal[${c.choices.map((x) => `'${x}'`).join(', ')}]`,
            example: c.choices[0],
          };
    case 'image':
      return { component: 'Image', type: FILE_DATA_SCHEMA, python: 'filepath', example: null };
    case 'label':
      return {
        component: 'Label',
        type: {
          type: 'object',
          title: 'LabelData',
          properties: {
            label: { type: 'string' },
            confidences: {
              type: 'array',
              items: {
                type: 'object',
                properties: { label: { type: 'string' }, confidence: { type: 'number' } },
              },
            },
          },
        },
        python: 'Dict(label: str, confidences: List[Dict(label: str, confidence: float)])',
        example: { label: 'positive' },
      };
    case 'json':
      return {
        component: 'Json',
        type: {},
        python: 'Dict[Any, Any] | List[Any] | str | float | bool | None',
        example: {},
      };
    case 'chatbot':
      return {
        component: 'Chatbot',
        type: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              role: { type: 'string', enum: ['user', 'assistant', 'system'] },
              content: { type: 'string' },
            },
          },
        },
        python: 'List[Dict(role: str, content: str)]',
        example: [],
      };
  }
}

/** Whether a caller may leave this input out (Gradio's parameter_has_default). */
function defaultOf(c: DemoComponentConfig): { has: boolean; value: unknown } {
  if ('value' in c && c.value !== undefined) return { has: true, value: c.value };
  if (c.type === 'checkbox') return { has: true, value: false };
  return { has: false, value: null };
}

/** Gradio's component props from our config (label, value and the component's own options). */
function props(c: DemoComponentConfig): Record<string, unknown> {
  const { type: _type, name, ...rest } = c;
  return { ...rest, name: c.type, elem_id: name, visible: true, interactive: null, show_label: true };
}

const BUTTON_ID = 0;
const inputId = (i: number) => i + 1;
const outputId = (d: DemoDescription, i: number) => d.inputs.length + i + 1;

/**
 * Gradio's /config for one demo: components, one dependency (the demo function, api_name from
 * the description) and the protocol fields @gradio/client reads (root, api_prefix, protocol).
 */
export function gradioConfig(d: DemoDescription, root: string, appId: number): Record<string, unknown> {
  const components = [
    ...d.inputs.map((c, i) => ({
      id: inputId(i),
      type: c.type,
      props: props(c),
      skip_api: false,
      api_info: apiType(c).type,
      example_inputs: apiType(c).example,
    })),
    ...d.outputs.map((c, i) => ({
      id: outputId(d, i),
      type: c.type,
      props: props(c),
      skip_api: false,
      api_info: apiType(c).type,
    })),
    {
      id: BUTTON_ID,
      type: 'button',
      props: { value: 'Submit', variant: 'primary', visible: true },
      skip_api: true,
    },
  ];
  const dependency = {
    id: 0,
    targets: [[BUTTON_ID, 'click']],
    inputs: d.inputs.map((_, i) => inputId(i)),
    outputs: d.outputs.map((_, i) => outputId(d, i)),
    backend_fn: true,
    js: null,
    queue: true,
    api_name: d.apiName,
    api_visibility: 'public',
    show_api: true,
    scroll_to_output: false,
    show_progress: 'full',
    batch: false,
    max_batch_size: 4,
    cancels: [],
    types: { generator: d.streaming, cancel: false },
    collects_event_data: false,
    trigger_after: null,
    trigger_only_on_success: false,
    trigger_mode: 'once',
    connection: 'sse',
    time_limit: null,
    stream_every: 0.5,
    concurrency_limit: d.concurrencyLimit,
    rendered_in: null,
    zerogpu: false,
  };
  const layout = {
    id: -1,
    children: [...components.map((c) => ({ id: c.id }))],
  };
  return {
    version: GRADIO_VERSION,
    api_prefix: GRADIO_API_PREFIX,
    mode: 'interface',
    app_id: appId,
    dev_mode: false,
    analytics_enabled: false,
    title: d.title,
    description: d.description ?? null,
    article: d.article ?? null,
    examples: d.examples,
    components,
    dependencies: [dependency],
    layout,
    page: { '': { layout, components: components.map((c) => c.id), dependencies: [0] } },
    pages: [['', 'Home']],
    current_page: '',
    root,
    protocol: GRADIO_PROTOCOL,
    enable_queue: true,
    show_error: true,
    show_api: true,
    is_colab: false,
    connect_heartbeat: false,
    run_history: false,
    space_id: null,
    username: null,
    max_file_size: null,
    css: null,
    js: null,
    head: null,
    theme: 'default',
    stylesheets: [],
    fill_height: false,
    fill_width: false,
  };
}

/** Gradio's /info: the named endpoint with its parameters and returns, as @gradio/client reads them. */
export function gradioApiInfo(d: DemoDescription): Record<string, unknown> {
  const endpoint = {
    parameters: d.inputs.map((c) => {
      const t = apiType(c);
      const def = defaultOf(c);
      return {
        label: c.label ?? c.name,
        parameter_name: c.name,
        parameter_has_default: def.has,
        parameter_default: def.value,
        type: t.type,
        python_type: { type: t.python, description: c.info ?? '' },
        component: t.component,
        example_input: t.example,
      };
    }),
    returns: d.outputs.map((c) => {
      const t = apiType(c);
      return {
        label: c.label ?? c.name,
        type: t.type,
        python_type: { type: t.python, description: c.info ?? '' },
        component: t.component,
      };
    }),
    show_api: true,
    api_visibility: 'public',
  };
  return { named_endpoints: { [`/${d.apiName}`]: endpoint }, unnamed_endpoints: {} };
}

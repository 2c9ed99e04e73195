import type { DemoComponentConfig } from '@atrium/protocol';
import type { AnyComponent } from './component.js';
import {
  Chatbot,
  Checkbox,
  Dropdown,
  Image,
  JSON as JsonComponent,
  Label,
  Markdown,
  Number as NumberComponent,
  Slider,
  Textbox,
} from './components/index.js';

/**
 * Rebuilds a component from its serialised config, so a process that only has a DemoDescription
 * (the server, in front of a sandboxed demo) can check inputs before a call is queued.
 */
export function componentFromConfig(config: DemoComponentConfig): AnyComponent {
  switch (config.type) {
    case 'textbox':
      return Textbox(config);
    case 'number':
      return NumberComponent(config);
    case 'slider':
      return Slider(config);
    case 'checkbox':
      return Checkbox(config);
    case 'dropdown':
      return Dropdown({ ...config, multiselect: config.multiselect === true });
    case 'image':
      return Image(config);
    case 'label':
      return Label(config);
    case 'json':
      return JsonComponent(config);
    case 'markdown':
      return Markdown(config);
    case 'chatbot':
      return Chatbot(config);
    default:
      throw new Error(`Unknown component type "${(config as { type: string }).type}"`);
  }
}

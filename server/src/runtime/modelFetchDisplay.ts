import { randomUUID } from 'node:crypto';
import type { DisplayDataContent, MimeBundle } from '@atrium/protocol';
import escapeHtml from 'escape-html';
import type { ModelFetchReport } from '../models/provideToSandbox.js';

type Emit = (type: 'display_data' | 'update_display_data', content: DisplayDataContent) => void;

/** A progress bar (HTML) and a line of text (plain, what notebooks saved as .ipynb keep readable). */
export function modelFetchBundle(update: ModelFetchReport): MimeBundle {
  const bar =
    update.fraction === null
      ? '<progress></progress>'
      : `<progress max="1" value="${update.fraction.toFixed(3)}"></progress>`;
  return {
    'text/plain': update.text,
    'text/html': `<div class="atrium-model-fetch">${update.done ? '' : `${bar} `}${escapeHtml(update.text)}</div>`,
  };
}

/**
 * Shows a model fetch under the cell that caused it, the way a Jupyter progress bar does: one display,
 * updated in place (`update_display_data` with the same display_id) until the model is ready.
 */
export function modelFetchDisplay(modelId: string, emit: Emit): (update: ModelFetchReport) => void {
  const displayId = `atrium-model-${modelId}-${randomUUID()}`;
  let shown = false;
  return (update) => {
    emit(shown ? 'update_display_data' : 'display_data', {
      data: modelFetchBundle(update),
      metadata: {},
      transient: { display_id: displayId },
    });
    shown = true;
  };
}

import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { markdown } from '@codemirror/lang-markdown';
import {
  bracketMatching,
  defaultHighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language';
import { EditorState, Prec } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { CellType } from './notebookModel';

export interface CellEditorProps {
  text: Y.Text;
  awareness: Awareness;
  type: CellType;
  readOnly: boolean;
  autoFocus: boolean;
  /** Shift+Enter (advance) and Ctrl+Enter (stay). */
  onRun: (advance: boolean) => void;
  onEscape: () => void;
  onFocus: () => void;
  /** Hands the view to the cell (split at the cursor needs it). */
  onView?: (view: EditorView | null) => void;
}

/** One CodeMirror 6 editor bound to a cell's Y.Text: remote cursors with names, undo of one's own edits only. */
export function CellEditor({
  text,
  awareness,
  type,
  readOnly,
  autoFocus,
  onRun,
  onEscape,
  onFocus,
  onView,
}: CellEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  // Callbacks change every render; the editor is built once per text, so it reads them through a ref.
  const handlers = useRef({ onRun, onEscape, onFocus });
  handlers.current = { onRun, onEscape, onFocus };

  // biome-ignore lint/correctness/useExhaustiveDependencies: the editor is rebuilt only when its text or mode changes.
  useEffect(() => {
    if (!host.current) return;
    // One UndoManager per cell and person: it tracks only this client's edits (y-codemirror's origin).
    const undoManager = new Y.UndoManager(text);
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: text.toString(),
        extensions: [
          Prec.highest(
            keymap.of([
              {
                key: 'Shift-Enter',
                run: () => {
                  handlers.current.onRun(true);
                  return true;
                },
              },
              {
                key: 'Mod-Enter',
                run: () => {
                  handlers.current.onRun(false);
                  return true;
                },
              },
              {
                key: 'Escape',
                run: () => {
                  handlers.current.onEscape();
                  return true;
                },
              },
            ]),
          ),
          lineNumbers(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          highlightActiveLine(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          type === 'code' ? javascript({ typescript: true }) : type === 'markdown' ? markdown() : [],
          keymap.of([...yUndoManagerKeymap, indentWithTab, ...defaultKeymap]),
          yCollab(text, awareness, { undoManager }),
          EditorState.readOnly.of(readOnly),
          EditorView.editable.of(!readOnly),
          EditorView.domEventHandlers({ focus: () => handlers.current.onFocus() }),
          EditorView.contentAttributes.of({ 'aria-label': `${type} cell source` }),
        ],
      }),
    });
    onView?.(view);
    if (autoFocus) view.focus();
    return () => {
      onView?.(null);
      view.destroy();
      undoManager.destroy();
    };
  }, [text, awareness, type, readOnly]);

  return <div className="nb-editor" ref={host} />;
}

import type { KernelLanguage } from '@atrium/protocol';
import {
  autocompletion,
  type CompletionContext,
  type CompletionResult,
  completionStatus,
  startCompletion,
} from '@codemirror/autocomplete';
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { markdown } from '@codemirror/lang-markdown';
import { python } from '@codemirror/lang-python';
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
  /** The notebook's language: how code cells are highlighted. */
  language: KernelLanguage;
  readOnly: boolean;
  autoFocus: boolean;
  /** Shift+Enter (advance) and Ctrl+Enter (stay). */
  onRun: (advance: boolean) => void;
  onEscape: () => void;
  onFocus: () => void;
  /** Hands the view to the cell (split at the cursor needs it). */
  onView?: (view: EditorView | null) => void;
  /** Tab: the kernel's completions at the cursor (complete_request). */
  onComplete?: (code: string, cursorPos: number) => Promise<{ matches: string[]; from: number; to: number }>;
  /** Shift+Tab: the kernel's help for the name at the cursor (inspect_request). */
  onInspect?: (code: string, cursorPos: number) => void;
}

/** Tab completes when the cursor follows a name or a dot; elsewhere it indents. */
const completesHere = (view: EditorView) => {
  const { head, empty } = view.state.selection.main;
  return empty && /[\w.]$/.test(view.state.sliceDoc(Math.max(0, head - 1), head));
};

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
  onComplete,
  onInspect,
  language,
}: CellEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  // Callbacks change every render; the editor is built once per text, so it reads them through a ref.
  const handlers = useRef({ onRun, onEscape, onFocus, onComplete, onInspect });
  handlers.current = { onRun, onEscape, onFocus, onComplete, onInspect };

  // biome-ignore lint/correctness/useExhaustiveDependencies: the editor is rebuilt only when its text or mode changes.
  useEffect(() => {
    if (!host.current) return;
    // One UndoManager per cell and person: it tracks only this client's edits (y-codemirror's origin).
    const undoManager = new Y.UndoManager(text);
    // Completions come from the kernel (Jupyter's complete_request); a single one is applied at once.
    const kernelCompletions = async (context: CompletionContext): Promise<CompletionResult | null> => {
      const complete = handlers.current.onComplete;
      if (!complete || !context.explicit) return null;
      const code = context.state.doc.toString();
      const answer = await complete(code, context.pos).catch(() => null);
      if (!answer || answer.matches.length === 0) return null;
      const only = answer.matches.length === 1 ? answer.matches[0] : undefined;
      if (only !== undefined && context.view) {
        // One completion is applied at once, as Jupyter does on Tab.
        context.view.dispatch({
          changes: { from: answer.from, to: answer.to, insert: only },
          selection: { anchor: answer.from + only.length },
        });
        return null;
      }
      return { from: answer.from, to: answer.to, options: answer.matches.map((label) => ({ label })) };
    };
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
                key: 'Tab',
                run: (view) => {
                  if (type !== 'code' || !handlers.current.onComplete || !completesHere(view)) return false;
                  if (completionStatus(view.state) === 'active') return false;
                  return startCompletion(view);
                },
              },
              {
                key: 'Shift-Tab',
                run: (view) => {
                  if (type !== 'code' || !handlers.current.onInspect) return false;
                  handlers.current.onInspect(view.state.doc.toString(), view.state.selection.main.head);
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
          type === 'code'
            ? language === 'python'
              ? python()
              : javascript({ typescript: language === 'typescript' })
            : type === 'markdown'
              ? markdown()
              : [],
          type === 'code'
            ? autocompletion({ override: [kernelCompletions], activateOnTyping: false, defaultKeymap: true })
            : [],
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
  }, [text, awareness, type, readOnly, language]);

  return <div className="nb-editor" ref={host} />;
}

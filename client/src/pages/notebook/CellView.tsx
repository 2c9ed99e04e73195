import type { KernelLanguage } from '@atrium/protocol';
import type { EditorView } from '@codemirror/view';
import { memo, useEffect, useReducer, useRef, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { renderMathMarkdown } from '../../safeHtml/mathMarkdown';
import { CellEditor } from './CellEditor';
import { queueEditor } from './editorQueue';
import { cellId, cellSource, cellType } from './notebookModel';
import { OutputView } from './OutputView';
import { type Output, outputLines, SCROLL_ABOVE_LINES } from './outputs';
import type { Collaborator } from './useNotebookDoc';

export interface CellViewProps {
  cell: Y.Map<unknown>;
  index: number;
  awareness: Awareness;
  selected: boolean;
  editing: boolean;
  canWrite: boolean;
  /** Build the editor at once rather than when the cell scrolls into view. */
  eager: boolean;
  /** 'running' or 'queued' according to the kernel, else null. */
  kernelMark: 'running' | 'queued' | null;
  people: Collaborator[];
  onSelect: (id: string) => void;
  onEdit: (id: string) => void;
  onCommandMode: (id: string) => void;
  onRun: (id: string, advance: boolean) => void;
  /** Lets the page split at the cursor. */
  registerView: (id: string, view: EditorView | null) => void;
  /** The notebook's language (highlighting) and its kernel's completion and help (Tab, Shift+Tab). */
  language: KernelLanguage;
  complete: (code: string, cursorPos: number) => Promise<{ matches: string[]; from: number; to: number }>;
  inspect: (code: string, cursorPos: number) => Promise<string | null>;
}

/**
 * Re-renders when anything inside the cell's Y.Map changes (outputs, type, count). Typing in the
 * source re-renders only when the page shows the source itself (placeholder or rendered markdown):
 * a live editor already shows it, and a keystroke should cost nothing more than CodeMirror's update.
 */
function useCellVersion(cell: Y.Map<unknown>, sourceShownByEditor: boolean): number {
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  const editorShows = useRef(sourceShownByEditor);
  editorShows.current = sourceShownByEditor;
  useEffect(() => {
    const onChange = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      const source = cell.get('source');
      if (editorShows.current && events.every((e) => e.target === source)) return;
      bump();
    };
    cell.observeDeep(onChange);
    return () => cell.unobserveDeep(onChange);
  }, [cell]);
  return version;
}

/** Becomes true once the element comes near the viewport (and stays true): editors are built lazily. */
function useNearViewport(ref: React.RefObject<HTMLElement | null>, eager: boolean): boolean {
  const [near, setNear] = useState(eager);
  useEffect(() => {
    if (near || !ref.current) return;
    let cancel: (() => void) | null = null;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) cancel ??= queueEditor(() => setNear(true));
        else {
          // Scrolled past before its turn came: no editor needed after all.
          cancel?.();
          cancel = null;
        }
      },
      { rootMargin: '400px 0px' },
    );
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      cancel?.();
    };
  }, [near, ref]);
  return near;
}

function CellViewImpl(props: CellViewProps) {
  const { cell, index, awareness, selected, editing, canWrite, eager, kernelMark, people } = props;
  const root = useRef<HTMLDivElement>(null);
  const near = useNearViewport(root, eager);
  const type = cellType(cell);
  useCellVersion(cell, (near || editing) && !(type === 'markdown' && !editing));
  const id = cellId(cell);
  const source = cellSource(cell);
  const running = cell.get('execution_state') === 'running' || kernelMark === 'running';
  const count = cell.get('execution_count') as number | null | undefined;
  const outputs =
    type === 'code'
      ? (((cell.get('outputs') as Y.Array<unknown> | undefined)?.toJSON() ?? []) as Output[])
      : [];
  const ranBy = (
    (cell.get('metadata') as Y.Map<unknown> | undefined)?.get('atrium') as
      | { executed_by?: string }
      | undefined
  )?.executed_by;
  const showRendered = type === 'markdown' && !editing;
  const viewRef = useRef<EditorView | null>(null);
  const [help, setHelp] = useState<string | null>(null);
  // Long outputs scroll in a bounded box, as in JupyterLab; the reader may unfold them.
  const [unfolded, setUnfolded] = useState(false);
  const long = outputLines(outputs) > SCROLL_ABOVE_LINES;
  const scrolled = long && !unfolded;

  // Focus follows the mode: the editor in edit mode, the cell itself in command mode.
  useEffect(() => {
    if (editing && viewRef.current && !viewRef.current.hasFocus) viewRef.current.focus();
    else if (selected && !editing && root.current) {
      // Command mode: the cell itself holds focus (not its editor), so keys reach the shortcuts.
      const active = document.activeElement;
      if (!root.current.contains(active) || active?.closest('.cm-editor'))
        root.current.focus({ preventScroll: true });
    }
    if (selected) root.current?.scrollIntoView({ block: 'nearest' });
  }, [editing, selected]);

  const prompt =
    type !== 'code' ? '' : running ? '[*]' : kernelMark === 'queued' ? '[*]' : `[${count ?? ' '}]`;

  return (
    // The cell is focusable (tabIndex) and its keys are Jupyter's command-mode shortcuts, read by the page.
    // biome-ignore lint/a11y/noStaticElementInteractions: a notebook cell is a focus target, not a control.
    <div
      ref={root}
      className={`nb-cell nb-cell-${type}${selected ? ' nb-selected' : ''}${editing ? ' nb-editing' : ''}${running ? ' nb-running' : ''}`}
      data-cell-id={id}
      data-testid="cell"
      data-index={index}
      tabIndex={-1}
      onMouseDown={() => props.onSelect(id)}
      onDoubleClick={() => canWrite && type === 'markdown' && props.onEdit(id)}
    >
      <div className="nb-gutter">
        <span className="nb-prompt" data-testid="prompt">
          {prompt}
        </span>
        {people.map((p) => (
          <span
            key={p.clientId}
            className="nb-cell-person"
            style={{ background: p.user.color }}
            title={`${p.user.name} is here`}
          >
            {p.user.name.slice(0, 1).toUpperCase()}
          </span>
        ))}
      </div>
      <div className="nb-body">
        {showRendered ? (
          <div
            className="nb-markdown"
            // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by the one sanitizer (safeHtml).
            dangerouslySetInnerHTML={{
              __html:
                renderMathMarkdown(source.toString()) ||
                '<p class="nb-empty">Empty markdown cell: double-click to edit</p>',
            }}
          />
        ) : near || editing ? (
          <CellEditor
            text={source}
            awareness={awareness}
            type={type}
            readOnly={!canWrite}
            autoFocus={editing}
            onRun={(advance) => props.onRun(id, advance)}
            onEscape={() => props.onCommandMode(id)}
            onFocus={() => props.onEdit(id)}
            language={props.language}
            onComplete={props.complete}
            onInspect={(code, pos) => void props.inspect(code, pos).then(setHelp)}
            onView={(view) => {
              viewRef.current = view;
              props.registerView(id, view);
            }}
          />
        ) : (
          <pre className="nb-editor-placeholder">{source.toString() || ' '}</pre>
        )}
        {help && (
          // biome-ignore lint/a11y/useKeyWithClickEvents: Escape in the editor and a click both dismiss it.
          <pre className="nb-help" data-testid="inspect" onClick={() => setHelp(null)}>
            {help}
          </pre>
        )}
        {(outputs.length > 0 || ranBy) && (
          <div className="nb-outputs" data-testid="outputs" aria-live="polite">
            <div
              className={`nb-output-area${scrolled ? ' nb-outputs-scrolled' : ''}`}
              data-testid="output-area"
              // A scrolling box must be reachable by keyboard to be scrolled without a mouse.
              tabIndex={scrolled ? 0 : undefined}
            >
              {outputs.map((o, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: outputs have no ids; they only ever append or clear.
                <OutputView key={i} output={o} />
              ))}
            </div>
            {long && (
              <button
                type="button"
                className="button-link nb-output-fold"
                onClick={() => setUnfolded(!unfolded)}
              >
                {unfolded ? 'Scroll long output' : 'Show all output'}
              </button>
            )}
            {ranBy && (
              <div className="nb-ran-by" data-testid="ran-by">
                {running ? 'running, started by' : 'ran by'} {ranBy}
              </div>
            )}
          </div>
        )}
      </div>
    </div>
  );
}

/** One cell: gutter with its prompt and who is in it, the editor (or rendered markdown), the outputs. */
export const CellView = memo(CellViewImpl);

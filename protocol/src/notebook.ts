/** Where a notebook's kernel is: not started yet, starting, idle, busy running cells, or dead. */
export type NotebookKernelState = 'none' | 'starting' | 'idle' | 'busy' | 'dead';

/**
 * The notebook's shared kernel as every viewer sees it. The server publishes it as its own presence
 * state (awareness field KERNEL_PRESENCE_FIELD, on a state without `user`, which clients cannot forge).
 */
export interface NotebookKernelStatus {
  state: NotebookKernelState;
  /** Why the kernel died (e.g. "killed: out of memory"). */
  reason: string | null;
  /** The cell running now, and the cells waiting, in order. */
  running: string | null;
  queued: string[];
  /** Who asked for the run in progress. */
  runBy: string | null;
}

/** Awareness field carrying NotebookKernelStatus. */
export const KERNEL_PRESENCE_FIELD = 'kernel';

/** Awareness field a client sets to say which cell it is in (a cell id, or null). */
export const CELL_PRESENCE_FIELD = 'cell';

/** Body of POST /api/notebooks/:owner/:name/run: these cells in order, or every code cell. */
export interface NotebookRunRequest {
  cells?: string[];
  all?: boolean;
}

/** Body of POST /api/notebooks/new: a blank notebook, or one imported from an .ipynb. */
export interface NotebookCreateRequest {
  name: string;
  organization?: string;
  private?: boolean;
  /** An nbformat 4 notebook (parsed JSON). */
  notebook?: unknown;
  /** Or a notebook template's name (`GET /api/templates`, kind `notebook`). */
  template?: string;
}

/** GET /api/notebooks/:owner/:name/session: what the caller may do, and the kernel now. */
export interface NotebookSessionView {
  canWrite: boolean;
  kernel: NotebookKernelStatus;
}

/** Who ran a cell, stored in the cell's metadata under `atrium`. */
export interface CellRunRecord {
  executed_by: string;
  executed_at: string;
}

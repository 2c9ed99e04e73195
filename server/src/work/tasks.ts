import { commitLineTask, repoCreateBodyTask, uploadModesTask } from '../hub/bodyTasks.js';
import { importNotebookTask, notebookStateTask } from '../notebooks/importTask.js';

/**
 * Everything the task worker can run, by name: pure functions of their input that parse, check and
 * build what a large request carries, so the event loop only stores the result.
 */
export const tasks = {
  importNotebook: importNotebookTask,
  notebookState: notebookStateTask,
  repoCreateBody: repoCreateBodyTask,
  commitLine: commitLineTask,
  uploadModes: uploadModesTask,
};

export type TaskName = keyof typeof tasks;
export type TaskInput<N extends TaskName> = Parameters<(typeof tasks)[N]>[0];
export type TaskOutput<N extends TaskName> = ReturnType<(typeof tasks)[N]>;

export * from './NewNotebook';
export * from './NotebookPage';

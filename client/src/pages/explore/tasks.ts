/** The tasks Explore filters by (the Hub's pipeline tags), with the words people know them by. */
export const TASKS = [
  { tag: 'text-classification', label: 'Text classification' },
  { tag: 'translation', label: 'Translation' },
  { tag: 'text-generation', label: 'Text generation' },
  { tag: 'question-answering', label: 'Question answering' },
  { tag: 'image-classification', label: 'Image classification' },
] as const;

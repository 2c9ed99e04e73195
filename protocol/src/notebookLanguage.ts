import type { KernelLanguage } from './kernel.js';

/** The kernelspec and language_info a notebook carries for each language (what Jupyter writes for Python). */
export const NOTEBOOK_KERNELSPECS: Record<
  KernelLanguage,
  {
    kernelspec: { name: string; display_name: string; language: KernelLanguage };
    language_info: { name: KernelLanguage; file_extension: string };
  }
> = {
  python: {
    kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
    language_info: { name: 'python', file_extension: '.py' },
  },
  typescript: {
    kernelspec: { name: 'atrium-typescript', display_name: 'TypeScript (Atrium)', language: 'typescript' },
    language_info: { name: 'typescript', file_extension: '.ts' },
  },
  javascript: {
    kernelspec: { name: 'atrium-javascript', display_name: 'JavaScript (Atrium)', language: 'javascript' },
    language_info: { name: 'javascript', file_extension: '.js' },
  },
};

/** What a person calls each language (the notebook page's label and kernel menu). */
export const LANGUAGE_LABELS: Record<KernelLanguage, string> = {
  python: 'Python',
  typescript: 'TypeScript',
  javascript: 'JavaScript',
};

const field = (value: unknown, key: string): unknown =>
  value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;

const languageOf = (name: unknown): KernelLanguage | null => {
  if (typeof name !== 'string') return null;
  const n = name.toLowerCase();
  if (n === 'python' || /^python\d?$/.test(n) || n === 'ipython' || n === 'ipython3') return 'python';
  if (n === 'typescript' || n === 'atrium-typescript') return 'typescript';
  if (n === 'javascript' || n === 'atrium-javascript') return 'javascript';
  return null;
};

/**
 * The language a notebook's metadata chooses, as Jupyter reads it: kernelspec.language, then
 * language_info.name, then the kernelspec's name (`python3`). A notebook that names no kernel is
 * Python, Jupyter's default kernel: Colab and the Hugging Face course publish notebooks without a
 * kernelspec. Atrium's blank notebook names TypeScript (or Python) explicitly.
 */
export function notebookLanguage(metadata: unknown): KernelLanguage {
  const spec = field(metadata, 'kernelspec');
  const named =
    languageOf(field(spec, 'language')) ??
    languageOf(field(field(metadata, 'language_info'), 'name')) ??
    languageOf(field(spec, 'name'));
  if (named) return named;
  // A kernelspec or language_info naming something Atrium cannot run (R, Julia): Atrium's own kernel.
  return spec || field(metadata, 'language_info') ? 'typescript' : 'python';
}

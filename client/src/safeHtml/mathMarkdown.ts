import katexPlugin from '@vscode/markdown-it-katex';
import 'katex/dist/katex.min.css';
import { markdownRenderer } from './markdown';
import { sanitizeHtml } from './sanitize';

// The package is CommonJS with `exports.default`: a bundler hands over either the plugin or its module.
const markdownItKatex = (katexPlugin as unknown as { default?: typeof katexPlugin }).default ?? katexPlugin;

// KaTeX (and its fonts and styles) load only with the pages that typeset math, not with every page.
const md = markdownRenderer().use(markdownItKatex, {
  // A formula KaTeX cannot read is shown as its source with the error, never thrown.
  throwOnError: false,
  // No \href, \url or \htmlClass… from a notebook; a formula may not ask for boxes larger than this.
  trust: false,
  maxSize: 50,
  maxExpand: 1000,
} as Parameters<typeof markdownItKatex>[1]);

/** Markdown with `$…$` and `$$…$$` typeset by KaTeX, as safe HTML (notebook cells and outputs). */
export function renderMathMarkdown(source: string): string {
  return sanitizeHtml(md.render(source), 'markdown');
}

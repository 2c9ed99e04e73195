import MarkdownIt from 'markdown-it';
import { sanitizeHtml } from './sanitize';

/** Cards and notebooks mix HTML into markdown (as on the Hub and in Jupyter); it all goes through sanitizeHtml. */
export const markdownRenderer = () => new MarkdownIt({ html: true, linkify: true });
const md = markdownRenderer();

/** Markdown as safe HTML. `frontMatter`: a card's YAML header is left out (the page shows it as metadata). */
export function renderMarkdown(source: string, options: { frontMatter?: boolean } = {}): string {
  const body = options.frontMatter ? source.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n?/, '') : source;
  return sanitizeHtml(md.render(body), 'markdown');
}

import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: true, linkify: true });

/** A card's markdown as safe HTML: the YAML front matter is dropped, scripts and handlers are stripped. */
export function renderMarkdown(source: string): string {
  const body = source.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n?/, '');
  return DOMPurify.sanitize(md.render(body), { USE_PROFILES: { html: true } });
}

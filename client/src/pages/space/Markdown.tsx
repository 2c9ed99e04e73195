import { renderMarkdown } from '../repo/renderMarkdown';

/** Markdown from a demo (its article, a Markdown output), sanitized by DOMPurify in renderMarkdown. */
export function Markdown({ source, className }: { source: string; className?: string }) {
  const html = { __html: renderMarkdown(source) };
  // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by DOMPurify in renderMarkdown
  return <div className={`markdown ${className ?? ''}`} dangerouslySetInnerHTML={html} />;
}

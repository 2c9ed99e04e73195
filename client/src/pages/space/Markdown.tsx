import { renderMarkdown } from '../../safeHtml';

/** Markdown from a demo (its article, a Markdown output), sanitized by the one sanitizer (safeHtml). */
export function Markdown({ source, className }: { source: string; className?: string }) {
  const html = { __html: renderMarkdown(source, { frontMatter: true }) };
  // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by the one sanitizer (safeHtml)
  return <div className={`markdown ${className ?? ''}`} dangerouslySetInnerHTML={html} />;
}

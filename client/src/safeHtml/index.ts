export { renderMarkdown } from './markdown';
export { type HtmlPlace, sanitizeHtml, sanitizeSvg } from './sanitize';

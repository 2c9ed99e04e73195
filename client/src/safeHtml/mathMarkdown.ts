import katexPlugin from '@vscode/markdown-it-katex';
import 'katex/dist/katex.min.css';
import { markdownRenderer } from './markdown';
import { sanitizeHtml, sanitizeKatex } from './sanitize';

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

/** What one render passes its math rules: the typeset formulas, and the marker that stands for each in the text. */
type MathEnv = { formulas: string[]; marker: string };

// Each formula is typeset apart and stands in the markdown as a text marker, so the user's HTML is
// sanitized with the strict markdown rules and KaTeX's output alone with its own (sanitizeKatex).
for (const rule of ['math_inline', 'math_inline_block', 'math_inline_bare_block', 'math_block'] as const) {
  const typeset = md.renderer.rules[rule];
  if (!typeset) throw new Error(`markdown-it-katex no longer renders ${rule}`);
  md.renderer.rules[rule] = (tokens, idx, options, env: MathEnv, self) => {
    env.formulas.push(typeset(tokens, idx, options, env, self));
    return `${env.marker}${env.formulas.length - 1}x`;
  };
}

/** Markdown with `$…$` and `$$…$$` typeset by KaTeX, as safe HTML (notebook cells and outputs). */
export function renderMathMarkdown(source: string): string {
  // A marker no source can contain (a fresh random one per render), made only of letters and digits.
  const env: MathEnv = { formulas: [], marker: `atriummath${crypto.randomUUID().replaceAll('-', '')}n` };
  const safe = sanitizeHtml(md.render(source, env), 'markdown');
  if (env.formulas.length === 0) return safe;
  const page = document.createElement('template');
  page.innerHTML = safe;
  // Markers are replaced in text nodes only, never inside an attribute.
  const markers = new RegExp(`${env.marker}(\\d+)x`);
  const texts = document.createTreeWalker(page.content, NodeFilter.SHOW_TEXT);
  const found: Text[] = [];
  for (let node = texts.nextNode(); node; node = texts.nextNode())
    if (markers.test(node.nodeValue ?? '')) found.push(node as Text);
  for (const text of found) {
    const parts = (text.nodeValue ?? '').split(new RegExp(`${env.marker}(\\d+)x`));
    // split with a capture group: text, formula index, text, formula index, …, text.
    const replacement = parts.map((part, i) => {
      if (i % 2 === 0) return document.createTextNode(part);
      const formula = document.createElement('template');
      formula.innerHTML = sanitizeKatex(env.formulas[Number(part)] ?? '');
      return formula.content;
    });
    text.replaceWith(...replacement);
  }
  return page.innerHTML;
}

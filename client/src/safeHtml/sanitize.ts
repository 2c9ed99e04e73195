import DOMPurify from 'dompurify';

/**
 * The one place HTML from users, cards and kernels is made safe before Atrium's pages show it.
 * Whatever the source, nothing may submit, restyle the page, embed another document or run code:
 * no forms or their controls, no style elements, no frames or plugins, no <base>/<meta>/<link>, no
 * event attributes, no javascript: URLs (DOMPurify's URL rule), no data-* attributes.
 */
const FORBID_TAGS = [
  'script',
  'style',
  'link',
  'meta',
  'base',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'option',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'template',
  'dialog',
];

// A private instance: the hooks below must not change how any other code uses DOMPurify.
const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
  // Links to other sites open in a new tab that gets no handle on this window and no referrer.
  if (node.tagName === 'A' && /^https?:/i.test(node.getAttribute('href') ?? '')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});
purifier.addHook('uponSanitizeAttribute', (_node, data) => {
  // KaTeX's classes belong to typeset math alone (sanitizeKatex): user HTML may not dress up as it.
  if (data.attrName === 'class' && /katex/i.test(data.attrValue))
    data.attrValue = data.attrValue
      .split(/\s+/)
      .filter((name) => !/^katex/i.test(name))
      .join(' ');
});

/**
 * Where the HTML goes: `markdown` (cards, markdown cells, demo text) also loses inline styles and has
 * its ids and names prefixed (`user-content-`, as on GitHub) so they cannot clobber the page's
 * globals; `output` (a kernel's text/html) keeps both, for pandas tables and outputs that address
 * their own elements, and is shown in a box that contains whatever it draws (`.nb-output-html`).
 * Neither keeps SVG or MathML: only KaTeX's own output does (sanitizeKatex).
 */
export type HtmlPlace = 'markdown' | 'output';

export function sanitizeHtml(html: string, place: HtmlPlace): string {
  return purifier.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS,
    FORBID_ATTR: place === 'markdown' ? ['style', 'srcset'] : ['srcset'],
    ALLOW_DATA_ATTR: false,
    SANITIZE_NAMED_PROPS: place === 'markdown',
  });
}

/**
 * The inline styles KaTeX writes on its own boxes (struts, vertical lists, spacing, \\color): each
 * declaration a box dimension with a plain length, or a colour. Nothing positions, loads or covers.
 */
const KATEX_STYLE =
  /^(?:\s*(?:(?:height|depth|width|min-width|max-width|top|bottom|vertical-align|margin-(?:left|right|top|bottom)|padding-(?:left|right|top|bottom)|border-(?:top|bottom|left|right)-width)\s*:\s*-?(?:\d+\.?\d*|\.\d+)(?:em|ex|pt|px|%)?|(?:color|border-color)\s*:\s*(?:#[0-9a-f]{3,8}|[a-z]{1,30}))\s*(?:;|$))+\s*$/i;

// KaTeX's output alone goes through this instance, never user HTML (mathMarkdown.ts typesets each
// formula apart and sets it into the already sanitized markdown), so its exceptions reach nothing else.
const katexPurifier = DOMPurify(window);
katexPurifier.addHook('uponSanitizeAttribute', (_node, data) => {
  if (data.attrName === 'style' && KATEX_STYLE.test(data.attrValue)) data.forceKeepAttr = true;
});

/** One formula typeset by KaTeX: MathML (its accessible copy), SVG (stretchy glyphs) and its box sizes kept. */
export function sanitizeKatex(html: string): string {
  return katexPurifier.sanitize(html, {
    USE_PROFILES: { html: true, mathMl: true, svg: true },
    FORBID_TAGS,
    FORBID_ATTR: ['style', 'srcset'],
    ALLOW_DATA_ATTR: false,
  });
}

/** An SVG figure with its scripts and handlers removed (shown as an <img>, which runs nothing anyway). */
export function sanitizeSvg(svg: string): string {
  return purifier.sanitize(svg, { USE_PROFILES: { svg: true, svgFilters: true }, FORBID_TAGS });
}

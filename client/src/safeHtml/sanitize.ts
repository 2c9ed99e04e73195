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

// A private instance: the hook below must not change how any other code uses DOMPurify.
const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
  // Links to other sites open in a new tab that gets no handle on this window and no referrer.
  if (node.tagName === 'A' && /^https?:/i.test(node.getAttribute('href') ?? '')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

/**
 * The inline styles KaTeX writes on its own boxes (struts, vertical lists, spacing, \\color): each
 * declaration a box dimension with a plain length, or a colour. Nothing positions, loads or covers.
 */
const KATEX_STYLE =
  /^(?:\s*(?:(?:height|depth|width|min-width|max-width|top|bottom|vertical-align|margin-(?:left|right|top|bottom)|padding-(?:left|right|top|bottom)|border-(?:top|bottom|left|right)-width)\s*:\s*-?(?:\d+\.?\d*|\.\d+)(?:em|ex|pt|px|%)?|(?:color|border-color)\s*:\s*(?:#[0-9a-f]{3,8}|[a-z]{1,30}))\s*(?:;|$))+\s*$/i;
purifier.addHook('uponSanitizeAttribute', (node, data) => {
  // Typeset math (mathMarkdown.ts) needs KaTeX's sizes, which markdown otherwise loses with `style`.
  if (data.attrName === 'style' && node.closest('.katex') && KATEX_STYLE.test(data.attrValue))
    data.forceKeepAttr = true;
});

/**
 * Where the HTML goes: `markdown` (cards, markdown cells, demo text) also loses inline styles and has
 * its ids and names prefixed (`user-content-`, as on GitHub) so they cannot clobber the page's
 * globals; `output` (a kernel's text/html) keeps both, for pandas tables and outputs that address
 * their own elements, and is shown in a box that contains whatever it draws (`.nb-output-html`).
 */
export type HtmlPlace = 'markdown' | 'output';

export function sanitizeHtml(html: string, place: HtmlPlace): string {
  return purifier.sanitize(html, {
    // MathML is KaTeX's accessible copy of every formula, SVG its stretchy glyphs (√, arrows).
    USE_PROFILES: { html: true, mathMl: true, svg: true },
    FORBID_TAGS,
    FORBID_ATTR: place === 'markdown' ? ['style', 'srcset'] : ['srcset'],
    ALLOW_DATA_ATTR: false,
    SANITIZE_NAMED_PROPS: place === 'markdown',
  });
}

/** An SVG figure with its scripts and handlers removed (shown as an <img>, which runs nothing anyway). */
export function sanitizeSvg(svg: string): string {
  return purifier.sanitize(svg, { USE_PROFILES: { svg: true, svgFilters: true }, FORBID_TAGS });
}

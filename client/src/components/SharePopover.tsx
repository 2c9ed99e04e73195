import { useState } from 'react';

/** "Share": a page's link (and, where it has an embed page, an iframe snippet), copied with one click. */
export function SharePopover({ link, embed }: { link: string; embed?: string }) {
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async (what: string, text: string) => {
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    setCopied(what);
  };
  return (
    <span className="share">
      <button
        type="button"
        className="button button-secondary button-small"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        Share
      </button>
      {open && (
        <div className="card share-popover">
          <label>
            Link
            <input name="share-link" readOnly value={link} onFocus={(e) => e.target.select()} />
          </label>
          <button type="button" className="button button-small" onClick={() => void copy('link', link)}>
            {copied === 'link' ? 'Copied' : 'Copy link'}
          </button>
          {embed && (
            <>
              <label>
                Embed
                <input name="share-embed" readOnly value={embed} onFocus={(e) => e.target.select()} />
              </label>
              <button type="button" className="button button-small" onClick={() => void copy('embed', embed)}>
                {copied === 'embed' ? 'Copied' : 'Copy embed code'}
              </button>
            </>
          )}
        </div>
      )}
    </span>
  );
}

import { useState } from 'react';

/** "Share": the Space's link and an iframe snippet of its embed page, copied with one click. */
export function ShareButton({ spaceId }: { spaceId: string }) {
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  const link = `${window.location.origin}/spaces/${spaceId}`;
  const embed = `<iframe src="${window.location.origin}/embed/spaces/${spaceId}" width="100%" height="600" frameborder="0"></iframe>`;
  const copy = async (what: string, text: string) => {
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    setCopied(what);
  };
  return (
    <span className="share">
      <button type="button" className="button button-secondary button-small" onClick={() => setOpen(!open)}>
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
          <label>
            Embed
            <input name="share-embed" readOnly value={embed} onFocus={(e) => e.target.select()} />
          </label>
          <button type="button" className="button button-small" onClick={() => void copy('embed', embed)}>
            {copied === 'embed' ? 'Copied' : 'Copy embed code'}
          </button>
        </div>
      )}
    </span>
  );
}

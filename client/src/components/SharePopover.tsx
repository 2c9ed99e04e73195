import { useCallback, useRef, useState } from 'react';
import { useDismiss } from '../hooks/useDismiss';
import { CopyButton } from './CopyButton';

/** "Share": a page's link (and, where it has an embed page, an iframe snippet), copied with one click. */
export function SharePopover({ link, embed }: { link: string; embed?: string }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLSpanElement>(null);
  useDismiss(
    open,
    root,
    useCallback(() => setOpen(false), []),
  );
  return (
    <span className="share" ref={root}>
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
          <CopyButton text={link} label="Copy link" className="button button-small" />
          {embed && (
            <>
              <label>
                Embed
                <input name="share-embed" readOnly value={embed} onFocus={(e) => e.target.select()} />
              </label>
              <CopyButton text={embed} label="Copy embed code" className="button button-small" />
            </>
          )}
        </div>
      )}
    </span>
  );
}

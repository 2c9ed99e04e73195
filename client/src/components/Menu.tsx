import { type ReactNode, useCallback, useRef, useState } from 'react';
import { useDismiss } from '../hooks/useDismiss';

/** A small dropdown: opens on click, closes on outside click, Escape, or choosing an item. */
export function Menu({ label, button, children }: { label: string; button: ReactNode; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useDismiss(
    open,
    root,
    useCallback(() => setOpen(false), []),
  );
  return (
    <div className="menu" ref={root}>
      <button
        type="button"
        className="menu-button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        {button}
      </button>
      {open && (
        // Clicking any item (a link or a button) closes the menu.
        // biome-ignore lint/a11y/useKeyWithClickEvents: items are links and buttons with their own keys.
        <div className="menu-items" role="menu" onClick={() => setOpen(false)}>
          {children}
        </div>
      )}
    </div>
  );
}

import { type RefObject, useEffect } from 'react';

/**
 * Sets `--nb-sticky-top` on `ref` to the height of the site's sticky header (`.navbar`), kept current
 * as it wraps or changes: a sticky toolbar then rests just below it instead of sliding under it.
 */
export function useStickyBelowHeader(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const header = document.querySelector<HTMLElement>('.navbar');
    const element = ref.current;
    if (!header || !element) return;
    const place = () => element.style.setProperty('--nb-sticky-top', `${header.offsetHeight}px`);
    place();
    const observer = new ResizeObserver(place);
    observer.observe(header);
    return () => observer.disconnect();
  }, [ref]);
}

import { useEffect } from 'react';

/** Sets the browser tab's title for a page ("<page> · Atrium"), so history and tabs are readable. */
export function usePageTitle(title: string | undefined) {
  useEffect(() => {
    document.title = title ? `${title} · Atrium` : 'Atrium';
  }, [title]);
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../api';

/** What a page loaded from the API: loading, the data, or the error (with its status for 404 pages). */
export type Resource<T> =
  | { state: 'loading' }
  | { state: 'ready'; data: T }
  | { state: 'failed'; error: string; status: number };

/** Loads `load()` whenever `key` changes; `reload` fetches again after a change. */
export function useResource<T>(key: string, load: () => Promise<T>) {
  const [resource, setResource] = useState<Resource<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loadedKey = useRef(key);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what `load` fetches.
  useEffect(() => {
    let current = true;
    // A different thing is being shown: drop the old one; a reload keeps it on screen meanwhile.
    if (loadedKey.current !== key) {
      loadedKey.current = key;
      setResource({ state: 'loading' });
    }
    load().then(
      (data) => current && setResource({ state: 'ready', data }),
      (err: unknown) =>
        current &&
        setResource({
          state: 'failed',
          error: errorMessage(err),
          status: err instanceof ApiError ? err.status : 0,
        }),
    );
    return () => {
      current = false;
    };
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { resource, reload };
}

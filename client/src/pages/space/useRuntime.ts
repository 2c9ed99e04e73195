import type { SpaceRuntimeView } from '@atrium/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, isTransient, spaceApi } from '../../api';

/**
 * The Space's runtime, asked for on load (which wakes a sleeping Space) and again every second
 * while it is changing and every second otherwise, so a restart by anyone shows for everyone.
 */
export function useRuntime(id: string) {
  const [runtime, setRuntime] = useState<SpaceRuntimeView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((t) => t + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` forces a fresh look.
  useEffect(() => {
    let live = true;
    const poll = async () => {
      let next: SpaceRuntimeView | null = null;
      try {
        next = await spaceApi.runtime(id);
        if (!live) return;
        setRuntime(next);
        setError(null);
      } catch (err) {
        if (!live) return;
        setError(errorMessage(err));
      }
      timer.current = setTimeout(poll, isTransient(next?.stage) ? 500 : 1000);
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer.current);
    };
  }, [id, tick]);
  return { runtime, error, refresh, setRuntime };
}

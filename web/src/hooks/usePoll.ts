// Polls a loader while a screen is shown: one request at a time (the next waits for the
// previous answer), aborted when the inputs change or the screen goes away.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Poll<T> {
  data: T | null;
  error: unknown;
  /** Asks again now, e.g. right after a command the data will reflect. */
  refresh: () => void;
}

export function usePoll<T>(load: (signal: AbortSignal) => Promise<T>, intervalMs: number, key: string): Poll<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const loadRef = useRef(load);
  // The latest loader, without restarting the poll each render (declared before the poll's effect, so it runs first).
  useEffect(() => {
    loadRef.current = load;
  });
  const kick = useRef<() => void>(() => undefined);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | null = null;
    setData(null);
    setError(null);
    const run = async (): Promise<void> => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      controller?.abort();
      const mine = new AbortController();
      controller = mine;
      try {
        const value = await loadRef.current(mine.signal);
        if (stopped || mine.signal.aborted) return;
        setData(value);
        setError(null);
      } catch (err) {
        if (stopped || mine.signal.aborted) return;
        setError(err);
      }
      if (!stopped && controller === mine) timer = setTimeout(() => void run(), intervalMs);
    };
    kick.current = () => void run();
    void run();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      controller?.abort();
    };
  }, [key, intervalMs]);

  const refresh = useCallback(() => kick.current(), []);
  return { data, error, refresh };
}

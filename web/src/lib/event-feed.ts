// The console's one event stream (hooks/useEventStream.ts, opened once for the event log) handed
// on to the views that refresh on events, so that none opens a stream of its own (the controller
// bounds streams per account). Import-free, so test/console-pool-format.test.ts runs it under Node.

/** What a view needs of an event to tell whether it concerns it. */
export interface FedEvent {
  readonly kind: string;
  readonly clusterId?: string | null;
}

type Listener = (event: FedEvent) => void;

const listeners = new Set<Listener>();

/** Tells `listener` of every event the stream delivers from now on; returns how to stop. */
export function subscribeStreamEvents(listener: Listener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Called by the stream for each event it delivers; a listener that throws does not stop the others. */
export function publishStreamEvent(event: FedEvent): void {
  for (const listener of [...listeners]) {
    try {
      listener(event);
    } catch {
      // A view's refresh failing is that view's to show.
    }
  }
}

/**
 * Calls `action` once `quietMs` after the last of a burst of calls to the returned trigger (a
 * failover says several events within a second: one refresh for them), and not after `cancel`.
 */
export function debounced(action: () => void, quietMs: number): { trigger: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancel = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return {
    trigger: () => {
      cancel();
      timer = setTimeout(() => {
        timer = null;
        action();
      }, quietMs);
    },
    cancel,
  };
}

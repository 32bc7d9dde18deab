// The in-process event bus: whoever stores events publishes them here once their transaction
// has committed (the agent link, for agents' events and the controller's own), and the event
// streams (GET /api/v1/events/stream) listen. Delivery is synchronous and best effort: a
// listener that throws harms no other, and one that falls behind is its stream's business,
// not the bus's.
import type { EventRow } from '../db/entities/index.js';

export type EventListener = (row: EventRow) => void;

/** Listeners a bus takes at most: one per open stream, with room to spare. */
export const eventBusListenersMax = 1_000;

/**
 * @example
 *   const bus = new EventBus();
 *   const stop = bus.subscribe((row) => console.log(row.kind));
 *   bus.publish(rows); // after the INSERT committed
 *   stop();
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  constructor(
    private readonly onListenerError: (err: unknown) => void = () => {},
    private readonly listenersMax = eventBusListenersMax,
  ) {}

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: EventListener): () => void {
    if (this.listeners.size >= this.listenersMax) throw new RangeError(`the event bus takes at most ${this.listenersMax} listeners`);
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Hands stored rows to every listener, in order. */
  publish(rows: readonly EventRow[]): void {
    if (rows.length === 0 || this.listeners.size === 0) return;
    // A copy: a listener may unsubscribe (its stream closed) while rows are handed out.
    for (const listener of [...this.listeners]) {
      for (const row of rows) {
        try {
          listener(row);
        } catch (err) {
          this.onListenerError(err);
        }
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}

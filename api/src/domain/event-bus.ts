// The in-process event bus: whoever stores events publishes them here once their transaction
// has committed (the agent link, for agents' events and the controller's own), and the event
// streams (GET /api/v1/events/stream) listen. Delivery is synchronous and best effort: a
// listener that throws harms no other, and one that falls behind is its stream's business,
// not the bus's.
//
// With several controllers on one database (event-share.ts), events another controller stored
// are published here too, marked `shared`. Each event is handed out once, whichever way it
// came first: the bus remembers the ids it published lately.
import type { EventRow } from '../db/entities/index.js';

/** `local`: stored by this controller; `shared`: stored by another one on the same database. */
export type EventOrigin = 'local' | 'shared';

export type EventListener = (row: EventRow, origin: EventOrigin) => void;

/** Listeners a bus takes at most: one per open stream, with room to spare. */
export const eventBusListenersMax = 1_000;

/**
 * Ids of events published lately, kept so that none is handed out twice: enough for every event
 * a poll of event-share.ts can read again (its look-back window) at thousands of events a second.
 */
export const eventBusRecentIdsMax = 50_000;

/**
 * @example
 *   const bus = new EventBus();
 *   const stop = bus.subscribe((row) => console.log(row.kind));
 *   bus.publish(rows); // after the INSERT committed
 *   stop();
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();
  /** In the order published, oldest first; bounded by recentIdsMax. */
  private readonly recent = new Set<string>();

  constructor(
    private readonly onListenerError: (err: unknown) => void = () => {},
    private readonly listenersMax = eventBusListenersMax,
    private readonly recentIdsMax = eventBusRecentIdsMax,
  ) {}

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: EventListener): () => void {
    if (this.listeners.size >= this.listenersMax) throw new RangeError(`the event bus takes at most ${this.listenersMax} listeners`);
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Hands stored rows to every listener, in order, skipping those published before (by id). */
  publish(rows: readonly EventRow[], origin: EventOrigin = 'local'): void {
    const fresh = rows.filter((row) => !this.recent.has(row.id));
    for (const row of fresh) this.remember(row.id);
    if (fresh.length === 0 || this.listeners.size === 0) return;
    // A copy: a listener may unsubscribe (its stream closed) while rows are handed out.
    for (const listener of [...this.listeners]) {
      for (const row of fresh) {
        try {
          listener(row, origin);
        } catch (err) {
          this.onListenerError(err);
        }
      }
    }
  }

  /** Records events as handed out without handing them out: those stored before this controller was listening (event-share.ts). */
  skip(ids: Iterable<string>): void {
    for (const id of ids) if (!this.recent.has(id)) this.remember(id);
  }

  /** True when the event was published lately (within the last recentIdsMax). */
  published(id: string): boolean {
    return this.recent.has(id);
  }

  private remember(id: string): void {
    this.recent.add(id);
    if (this.recent.size > this.recentIdsMax) this.recent.delete(this.recent.values().next().value as string);
  }

  get size(): number {
    return this.listeners.size;
  }
}

// Events waiting for the controller. Bounded: while the controller is away for long, the
// oldest events are dropped and counted, and one `events.dropped` event says how many. Each
// event is held to the contract when queued: one the controller would refuse (data too deep or
// too large) would be sent again with every report and refused with it, costing the witness.
import { randomUUID } from 'node:crypto';
import { agentEventSchema, type AgentEvent } from '../../contracts/controller-v1.js';
import type { CoreEvent } from '../core/decide.js';

export class EventQueue {
  private readonly queue: AgentEvent[] = [];
  private dropped = 0;

  constructor(
    private readonly maxEvents: number,
    private readonly wallMs: () => number = Date.now,
  ) {}

  push(event: CoreEvent): AgentEvent {
    const draft: AgentEvent = { id: randomUUID(), time: new Date(this.wallMs()).toISOString(), kind: event.kind.slice(0, 64), severity: event.severity, message: event.message.slice(0, 2048), data: { ...event.data } };
    const checked = agentEventSchema.safeParse(draft);
    const stored: AgentEvent = checked.success ? draft : { ...draft, data: { dataLeftOut: (checked.error.issues[0]?.message ?? 'outside the contract').slice(0, 256) } };
    this.queue.push(stored);
    if (this.queue.length > this.maxEvents) {
      this.queue.shift();
      this.dropped += 1;
    }
    return stored;
  }

  /** The oldest `max` events, without removing them (they go once acknowledged). */
  peek(max: number): AgentEvent[] {
    if (this.dropped > 0) {
      // Say so, in order, before the events that survived.
      const note = { id: randomUUID(), time: new Date(this.wallMs()).toISOString(), kind: 'events.dropped', severity: 'warning' as const, message: `${this.dropped} events were dropped while the controller was unreachable`, data: { dropped: this.dropped } };
      this.queue.unshift(note);
      this.dropped = 0;
    }
    return this.queue.slice(0, max);
  }

  /** Removes the events the controller stored (the first `ids`, matched by id so a concurrent push cannot shift them). */
  ack(ids: readonly string[]): void {
    const done = new Set(ids);
    let removed = 0;
    while (removed < ids.length && this.queue.length > 0 && done.has((this.queue[0] as AgentEvent).id)) {
      this.queue.shift();
      removed += 1;
    }
  }

  get length(): number {
    return this.queue.length;
  }
}

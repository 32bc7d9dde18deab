// Events: what happened in a cluster, from an agent or from the controller, read a page at a
// time or as a stream.
import { z } from 'zod';
import { component } from './components.js';
import { cursor, keysetPage, nullableUuid, timestamp, uuid } from './fields.js';
import { eventSeverities } from './vocabulary.js';

/** `before` of a page, `id:` of a streamed event. */
export const eventCursor = cursor.describe("An event's position: `<time, ISO 8601 with milliseconds>_<event id>`");

export const eventSchema = component(
  'Event',
  z
    .strictObject({
      id: uuid.describe('Unique; an event repeated in a resumed stream has the same id'),
      cursor: eventCursor,
      time: timestamp.describe("When it happened (an agent event: by the node's clock)"),
      clusterId: nullableUuid,
      nodeId: nullableUuid,
      kind: z.string().describe('Dotted kind, e.g. `failover.completed`'),
      severity: z.enum(eventSeverities),
      message: z.string(),
      data: z.record(z.string(), z.unknown()).describe('Details by kind'),
    })
    .describe('Something that happened in a cluster: from an agent (failover, camera lost, `backfill.started`, …) or from the controller (`node.state-changed`, `node.agent-lost`, `node.agent-returned`)'),
);
export type Event = z.infer<typeof eventSchema>;

export const eventPageSchema = component('EventPage', keysetPage(eventSchema, eventCursor));
export type EventPage = z.infer<typeof eventPageSchema>;

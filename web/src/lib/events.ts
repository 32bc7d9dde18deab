// Keeping the event log: pure and import-free, so test/console-format.test.ts runs it under Node.

/** The log keeps this many events; older ones are a page of GET /api/v1/events away. */
export const eventLogMax = 200;

/**
 * Newest first (by cursor: time, then id), one per id, at most `max`. A resumed SSE stream
 * may repeat an event, and the history page and the stream may overlap.
 */
export function mergeEvents<E extends { id: string; cursor: string }>(current: readonly E[], incoming: readonly E[], max = eventLogMax): E[] {
  const byId = new Map<string, E>();
  for (const event of [...incoming, ...current]) if (!byId.has(event.id)) byId.set(event.id, event);
  return [...byId.values()].sort((a, b) => (a.cursor < b.cursor ? 1 : a.cursor > b.cursor ? -1 : 0)).slice(0, max);
}

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

/** A refused event stream is reopened after about 1 s, then 2 s, 4 s …, while the session holds … */
export const streamReopenMinMs = 1_000;
/** … and never waits longer than this. */
export const streamReopenMaxMs = 30_000;

/**
 * How long to wait before the `attempt`-th reopening (0 for the first) of an event stream the
 * browser gave up on: doubling from {@link streamReopenMinMs}, capped at
 * {@link streamReopenMaxMs}, and spread over its upper half (`random` in [0, 1)) so that
 * consoles cut off together (a controller restart, a database outage) do not return together.
 *
 * @example
 *   streamReopenDelayMs(0, () => 0)    // 500
 *   streamReopenDelayMs(3, () => 0.99) // 7960
 *   streamReopenDelayMs(20, () => 0.5) // 22500
 */
export function streamReopenDelayMs(attempt: number, random: () => number = Math.random): number {
  const exponent = Number.isNaN(attempt) ? 0 : Math.min(Math.max(0, Math.floor(attempt)), 20);
  const ceiling = Math.min(streamReopenMaxMs, streamReopenMinMs * 2 ** exponent);
  const draw = random();
  const share = draw > 0 ? Math.min(1, draw) : 0;
  return Math.round(ceiling * (0.5 + share / 2));
}

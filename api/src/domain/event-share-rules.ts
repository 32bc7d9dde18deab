// The pure part of sharing events between controllers (event-share.ts): the NOTIFY payloads
// that name stored events, reading them back, and the order events are handed out in.

/** What one notification says: controller `c` stored the events `e`, in this order. */
export interface EventsNotice {
  readonly controllerId: string;
  readonly eventIds: readonly string[];
}

/** Event ids are UUIDs (agents' and the controller's): anything else in a payload is not ours. */
const eventIdPattern = /^[0-9A-Za-z-]{1,36}$/;

/**
 * The payloads announcing `eventIds` (in order), each at most `bytesMax` bytes of JSON
 * `{"c": controllerId, "e": [ids…]}`; an id that fits no payload on its own is left out (the
 * poll finds it).
 *
 * @example eventsNoticePayloads('A', ['e1', 'e2'], 7_900) // ['{"c":"A","e":["e1","e2"]}']
 */
export function eventsNoticePayloads(controllerId: string, eventIds: readonly string[], bytesMax: number): string[] {
  const payloads: string[] = [];
  const head = `{"c":${JSON.stringify(controllerId)},"e":[`;
  const tail = ']}';
  let ids: string[] = [];
  let bytes = Buffer.byteLength(head) + tail.length;
  const emit = (): void => {
    if (ids.length > 0) payloads.push(`${head}${ids.join(',')}${tail}`);
    ids = [];
    bytes = Buffer.byteLength(head) + tail.length;
  };
  for (const id of eventIds) {
    const quoted = JSON.stringify(id);
    const size = Buffer.byteLength(quoted) + (ids.length > 0 ? 1 : 0);
    if (ids.length > 0 && bytes + size > bytesMax) emit();
    const alone = Buffer.byteLength(head) + tail.length + Buffer.byteLength(quoted);
    if (alone > bytesMax) continue;
    bytes += Buffer.byteLength(quoted) + (ids.length > 0 ? 1 : 0);
    ids.push(quoted);
  }
  emit();
  return payloads;
}

/**
 * A payload read back; null when it is not one (another program's NOTIFY on the channel). Ids
 * that are not event ids are dropped.
 *
 * @example readEventsNotice('{"c":"A","e":["e1"]}') // { controllerId: 'A', eventIds: ['e1'] }
 */
export function readEventsNotice(payload: string): EventsNotice | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { c, e } = value as { c?: unknown; e?: unknown };
  if (typeof c !== 'string' || c === '' || !Array.isArray(e)) return null;
  return { controllerId: c, eventIds: e.filter((id): id is string => typeof id === 'string' && eventIdPattern.test(id)) };
}

/**
 * Rows in the order a controller hands them out: by time, then id, as the event streams'
 * cursors order them.
 *
 * @example inCursorOrder([{ id: 'b', time: t1 }, { id: 'a', time: t1 }]) // a, b
 */
export function inCursorOrder<T extends { readonly id: string; readonly time: Date }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => a.time.getTime() - b.time.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

// The availability timeline of one cluster: from the rows that overlap a window [from, to), which
// node served when (serving spans), the changes of the Serving role (the failover history) and
// what each node lacked (camera gaps), with each node's serving time and the time no node served.
// Pure: the rows, the nodes and the time arrive as input (timeline-query.ts reads them).
import { validationFailed } from './errors.js';
import type { CameraGapRow, FailoverRecordRow, ServingSpanRow } from '../db/entities/index.js';
import type { Timeline, TimelineGapBand, TimelineMarker, TimelineMarkerKind, TimelineNode, TimelineServingBand } from '../model/timeline.js';

/** The most bands and markers one answer holds, all nodes together: a chart draws this many without trouble. */
export const timelineItemsMax = 5_000;
/** Spans of one node and epoch less than this apart are one band: the node reports every second or so. */
export const servingMergeGapMs = 2_000;
export const timelineWindowMsMin = 60_000;
export const timelineWindowMsMax = 30 * 24 * 60 * 60 * 1000;
export const timelineWindowMsDefault = 24 * 60 * 60 * 1000;

export interface TimelineWindow {
  readonly from: Date;
  readonly to: Date;
}

/**
 * The window a query asks for: `to` defaults to now and `from` to 24 h before `to`; between 1
 * minute and 30 days long, else a `validation-failed` problem naming the parameter.
 * @example timelineWindowOf({ from: '2026-12-01T00:00:00Z' }, now) // { from: 2026-12-01, to: 2026-12-02 }
 */
export function timelineWindowOf(query: { from?: string | undefined; to?: string | undefined }, now: Date): TimelineWindow {
  const parse = (text: string, path: string): Date => {
    const time = new Date(text);
    if (Number.isNaN(time.getTime())) throw validationFailed([{ path, message: 'must be an ISO 8601 time' }]);
    return time;
  };
  const given = query.from !== undefined ? parse(query.from, '/query/from') : undefined;
  const to = query.to !== undefined ? parse(query.to, '/query/to') : given !== undefined ? new Date(given.getTime() + timelineWindowMsDefault) : now;
  const from = given ?? new Date(to.getTime() - timelineWindowMsDefault);
  const lengthMs = to.getTime() - from.getTime();
  if (lengthMs < timelineWindowMsMin || lengthMs > timelineWindowMsMax) {
    throw validationFailed([{ path: '/query/to', message: `the window (to - from) must be between 1 minute and 30 days long; it is ${Math.round(lengthMs / 1000)} s` }]);
  }
  return { from, to };
}

export type SpanInput = Pick<ServingSpanRow, 'nodeId' | 'epoch' | 'startAt' | 'endAt' | 'state'>;
export type FailoverInput = Pick<FailoverRecordRow, 'id' | 'time' | 'fromNodeId' | 'toNodeId' | 'reason' | 'trigger' | 'detectionMs' | 'switchMs' | 'epoch'>;
export type GapInput = Pick<CameraGapRow, 'nodeId' | 'deviceId' | 'startAt' | 'endAt' | 'missingSeconds' | 'state' | 'resolvedAt'>;

export interface TimelineInput {
  readonly clusterId: string;
  readonly window: TimelineWindow;
  readonly now: Date;
  /** The cluster's nodes in the order to show them. */
  readonly nodes: readonly { readonly id: string; readonly name: string }[];
  /** The earliest start of any serving span of the cluster (not only this window's); null when none. */
  readonly firstServingAt: Date | null;
  readonly spans: readonly SpanInput[];
  readonly failovers: readonly FailoverInput[];
  readonly gaps: readonly GapInput[];
  /** The reader left records out (more than it reads for one answer). */
  readonly rowsTruncated?: boolean;
}

/** [startMs, endMs), startMs < endMs. */
type Interval = readonly [number, number];

/** The union of intervals: sorted, disjoint, touching ones joined. */
export function unionOf(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].filter(([s, e]) => s < e).sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out.at(-1);
    if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

const lengthOf = (intervals: readonly Interval[]): number => intervals.reduce((sum, [s, e]) => sum + (e - s), 0);
const clip = ([s, e]: Interval, [from, to]: Interval): Interval | null => (Math.max(s, from) < Math.min(e, to) ? [Math.max(s, from), Math.min(e, to)] : null);
const iso = (ms: number): string => new Date(ms).toISOString();
const seconds = (ms: number): number => ms / 1000;

const markerKinds: Readonly<Record<string, TimelineMarkerKind>> = { failback: 'failback', switch: 'switch', swap: 'switch' };
/** failback and switch/swap are their own kinds; every other reason (peer-dead, …, local-health) is a failover. */
export const markerKindOf = (reason: string): TimelineMarkerKind => markerKinds[reason] ?? 'failover';

/** One node's serving bands: its spans clipped to the window, one band per stretch of one epoch. */
function servingBandsOf(spans: readonly SpanInput[], window: Interval): TimelineServingBand[] {
  const sorted = [...spans].sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
  const merged: Array<{ start: number; end: number; epoch: number; open: boolean }> = [];
  for (const span of sorted) {
    const [s, e] = [span.startAt.getTime(), span.endAt.getTime()];
    const last = merged.at(-1);
    if (last !== undefined && last.epoch === span.epoch && s - last.end < servingMergeGapMs) {
      last.end = Math.max(last.end, e);
      last.open = span.state === 'open';
    } else merged.push({ start: s, end: e, epoch: span.epoch, open: span.state === 'open' });
  }
  return merged.flatMap((band) => {
    const clipped = clip([band.start, band.end], window);
    return clipped === null ? [] : [{ start: iso(clipped[0]), end: iso(clipped[1]), epoch: band.epoch, open: band.open }];
  });
}

/** One node's gap bands: per state, the union of its cameras' gaps, with how many cameras each concerns. */
function gapBandsOf(gaps: readonly GapInput[], window: Interval): TimelineGapBand[] {
  const bands: Array<TimelineGapBand & { startMs: number }> = [];
  for (const state of ['open', 'filled', 'expired'] as const) {
    const ofState = gaps.filter((g) => g.state === state);
    for (const [s, e] of unionOf(ofState.map((g) => [g.startAt.getTime(), g.endAt.getTime()] as const))) {
      const clipped = clip([s, e], window);
      if (clipped === null) continue;
      const inside = ofState.filter((g) => g.startAt.getTime() < e && g.endAt.getTime() > s);
      const resolvedMs = inside.map((g) => g.resolvedAt?.getTime() ?? Number.NaN).filter((t) => !Number.isNaN(t));
      bands.push({
        startMs: clipped[0],
        start: iso(clipped[0]),
        end: iso(clipped[1]),
        state,
        cameras: new Set(inside.map((g) => g.deviceId)).size,
        missingSeconds: Math.round(inside.reduce((sum, g) => sum + g.missingSeconds, 0) * 1000) / 1000,
        resolvedAt: state === 'open' || resolvedMs.length === 0 ? null : iso(Math.max(...resolvedMs)),
      });
    }
  }
  return bands.sort((a, b) => a.startMs - b.startMs).map(({ startMs: _startMs, ...band }) => band);
}

function markerOf(record: FailoverInput): TimelineMarker {
  return {
    id: record.id,
    time: record.time.toISOString(),
    kind: markerKindOf(record.reason),
    fromNodeId: record.fromNodeId,
    toNodeId: record.toNodeId,
    reason: record.reason,
    trigger: record.trigger,
    detectionMs: record.detectionMs,
    switchMs: record.switchMs,
    epoch: record.epoch,
  };
}

/** Keeps the oldest items up to `room` (each list is oldest first); what is left out makes the answer truncated. */
function bounded<T>(items: readonly T[], room: { left: number }): T[] {
  const kept = items.slice(0, Math.max(0, room.left));
  room.left -= kept.length;
  return kept;
}

/**
 * The timeline of one cluster in `input.window`.
 * @example timelineOf({ clusterId, window: { from, to }, now, nodes: [{ id: a, name: 'rs-a' }], firstServingAt: from, spans: [{ nodeId: a, epoch: 1, startAt: from, endAt: to, state: 'open' }], failovers: [], gaps: [] }).nodes[0].servingShare // 1
 */
export function timelineOf(input: TimelineInput): Timeline {
  const { from, to } = input.window;
  const window: Interval = [from.getTime(), to.getTime()];
  const windowMs = window[1] - window[0];
  const known = new Set(input.nodes.map((n) => n.id));
  const others = [...new Set([...input.spans.map((s) => s.nodeId), ...input.gaps.map((g) => g.nodeId)])].filter((id) => !known.has(id)).sort();
  const nodes = [...input.nodes.map((n) => ({ id: n.id, name: n.name })), ...others.map((id) => ({ id, name: id }))];

  const servingOf = new Map(nodes.map((n) => [n.id, servingBandsOf(input.spans.filter((s) => s.nodeId === n.id), window)]));
  const intervalsOf = (bands: readonly TimelineServingBand[]): Interval[] => bands.map((b) => [Date.parse(b.start), Date.parse(b.end)] as const);
  const anyServing = unionOf(nodes.flatMap((n) => intervalsOf(servingOf.get(n.id) ?? [])));

  const observedFromMs = input.firstServingAt === null ? null : Math.max(window[0], input.firstServingAt.getTime());
  const observedToMs = Math.min(window[1], input.now.getTime());
  const observed: Interval | null = observedFromMs !== null && observedFromMs < observedToMs ? [observedFromMs, observedToMs] : null;
  const servedInObserved = observed === null ? 0 : lengthOf(anyServing.map((i) => clip(i, observed)).filter((i): i is Interval => i !== null));
  const unservedMs = observed === null ? 0 : observed[1] - observed[0] - servedInObserved;

  const markersAll = [...input.failovers].filter((r) => r.time.getTime() >= window[0] && r.time.getTime() < window[1]).sort((a, b) => a.time.getTime() - b.time.getTime() || (a.id < b.id ? -1 : 1)).map(markerOf);
  const gapsOf = new Map(nodes.map((n) => [n.id, gapBandsOf(input.gaps.filter((g) => g.nodeId === n.id), window)]));
  const itemsAll = markersAll.length + nodes.reduce((sum, n) => sum + (servingOf.get(n.id)?.length ?? 0) + (gapsOf.get(n.id)?.length ?? 0), 0);
  const room = { left: timelineItemsMax };
  const markers = bounded(markersAll, room);
  const timelineNodes: TimelineNode[] = nodes.map((n) => {
    const bands = servingOf.get(n.id) ?? [];
    const servingMs = lengthOf(unionOf(intervalsOf(bands)));
    return {
      nodeId: n.id,
      name: n.name,
      servingSeconds: seconds(servingMs),
      servingShare: windowMs > 0 ? Math.min(1, servingMs / windowMs) : 0,
      serving: bounded(bands, room),
      gaps: bounded(gapsOf.get(n.id) ?? [], room),
    };
  });
  return {
    clusterId: input.clusterId,
    from: from.toISOString(),
    to: to.toISOString(),
    windowSeconds: seconds(windowMs),
    observedFrom: observed === null ? null : iso(observed[0]),
    observedTo: observed === null ? null : iso(observed[1]),
    unservedSeconds: seconds(Math.max(0, unservedMs)),
    nodes: timelineNodes,
    markers,
    truncated: input.rowsTruncated === true || itemsAll > timelineItemsMax,
    itemsMax: timelineItemsMax,
  };
}

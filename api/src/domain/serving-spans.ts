// When each node served, from the reports the controller receives (issue 18: serving time per
// node per day). Pure: the agent link's reporting recorder feeds it every report and writes the
// spans it changes. A span is what the reports confirmed: from the first report that said
// serving to the last one that still did, never across a silence longer than silenceMsMax (the
// node may have stopped meanwhile) and never across midnight UTC (a day's time is then a sum).
import type { ServingSpanRow } from '../db/entities/index.js';

const dayMs = 86_400_000;

/** The UTC day of a time, YYYY-MM-DD. */
export function utcDayOf(atMs: number): string {
  return new Date(atMs).toISOString().slice(0, 10);
}

/** Midnight UTC at the start of the day that holds atMs. */
function dayStartMs(atMs: number): number {
  return Math.floor(atMs / dayMs) * dayMs;
}

/** One report's word on serving. */
export interface ServingObservation {
  readonly clusterId: string;
  readonly nodeId: string;
  readonly serving: boolean;
  readonly epoch: number;
  readonly atMs: number;
}

/** A node's span still open, and the ones an observation closed: each to be written. */
export interface SpanChange {
  readonly open: ServingSpanRow | null;
  readonly closed: readonly ServingSpanRow[];
}

function span(id: string, obs: Pick<ServingObservation, 'clusterId' | 'nodeId' | 'epoch'>, startMs: number, endMs: number, state: ServingSpanRow['state']): ServingSpanRow {
  return { id, clusterId: obs.clusterId, nodeId: obs.nodeId, epoch: obs.epoch, day: utcDayOf(startMs), startAt: new Date(startMs), endAt: new Date(endMs), durationMs: endMs - startMs, state };
}

function closedAt(open: ServingSpanRow, endMs: number): ServingSpanRow {
  return { ...open, endAt: new Date(endMs), durationMs: endMs - open.startAt.getTime(), state: 'closed' };
}

/**
 * The node's open span after one more report. A report older than the span's end changes
 * nothing (reports of one node arrive in order; this only guards against a clock step).
 *
 * @example
 *   observeServing(null, { serving: true, epoch: 3, atMs: t, … }, id, 3_000).open // a span [t, t]
 *   observeServing(thatSpan, { serving: true, epoch: 3, atMs: t + 500, … }, id, 3_000).open // [t, t + 500]
 *   observeServing(thatSpan, { serving: false, epoch: 3, atMs: t + 1000, … }, id, 3_000).closed // [t, t + 500], closed
 */
export function observeServing(open: ServingSpanRow | null, obs: ServingObservation, newId: () => string, silenceMsMax: number): SpanChange {
  if (open !== null && obs.atMs < open.endAt.getTime()) return { open, closed: [] };
  const continues = open !== null && obs.serving && obs.epoch === open.epoch && obs.atMs - open.endAt.getTime() <= silenceMsMax;
  if (open !== null && continues) {
    const midnightMs = dayStartMs(obs.atMs);
    if (midnightMs <= open.startAt.getTime()) return { open: { ...open, endAt: new Date(obs.atMs), durationMs: obs.atMs - open.startAt.getTime() }, closed: [] };
    // Served through midnight: the old day's span ends there, the new day's starts there.
    return { open: span(newId(), obs, midnightMs, obs.atMs, 'open'), closed: [closedAt(open, midnightMs)] };
  }
  const closed = open === null ? [] : [closedAt(open, open.endAt.getTime())];
  return { open: obs.serving ? span(newId(), obs, obs.atMs, obs.atMs, 'open') : null, closed };
}

/** Closes a span whose node has not reported for longer than silenceMsMax, at its last report. */
export function closeIfSilent(open: ServingSpanRow, nowMs: number, silenceMsMax: number): ServingSpanRow | null {
  return nowMs - open.endAt.getTime() > silenceMsMax ? closedAt(open, open.endAt.getTime()) : null;
}

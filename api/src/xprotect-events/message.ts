// Which stored twinrec event becomes which generic event, and its text. Pure: the notifier
// (notifier.ts) feeds it the event rows the bus hands out and the names it looked up.
//
// Values come from names an admin or an agent chose (clusters, nodes) and from agents' event
// data: each is cleaned before it goes into a message, so that no value can end the message
// early (CR LF is the International data source's separator), start another event or hide text.
import type { EventRow } from '../db/entities/index.js';
import { nameForbiddenCharacters } from '../model/vocabulary.js';
import { renderedLengthMax, tokenize, type GenericEventKind } from './settings.js';

/** One occurrence to report: its kind, when, in which cluster, and the values of its placeholders. */
export interface GenericEventOccurrence {
  readonly kind: GenericEventKind;
  readonly time: Date;
  readonly clusterId: string;
  /** The node the occurrence is about or came from (null: the cluster as a whole). */
  readonly nodeId: string | null;
  /** Which placeholder names a node: the notifier looks these names up (by node id, or `peer` for the cluster's other node). */
  readonly nodes: Readonly<Record<string, 'self' | 'peer'>>;
  /** Placeholders filled from the event itself. */
  readonly values: Readonly<Record<string, string>>;
}

/** Longest value put into a message; longer names are cut (with an ellipsis). */
export const valueLengthMax = 128;

const forbidden = new RegExp(`[${nameForbiddenCharacters}]+`, 'gu');

/**
 * A value as it may go into a message: controls, line and paragraph separators, bidi and
 * invisible format characters become one space each run; at most valueLengthMax characters.
 *
 * @example
 *   cleanValue('node\r\ntwinrec failover') // 'node twinrec failover'
 */
export function cleanValue(value: string): string {
  const clean = value.replace(forbidden, ' ').trim();
  return clean.length <= valueLengthMax ? clean : `${clean.slice(0, valueLengthMax - 1)}…`;
}

/**
 * Fills a template (checked by settingsIssues) with cleaned values; an unknown or missing
 * value leaves `?`. The result is cut to renderedLengthMax characters.
 *
 * @example
 *   renderMessage('twinrec failover {cluster}: {to} serves', { cluster: 'pair-1', to: 'rs-b' }) // 'twinrec failover pair-1: rs-b serves'
 */
export function renderMessage(template: string, values: Readonly<Record<string, string>>): string {
  let out = '';
  for (const token of tokenize(template)) {
    if (token.kind === 'error') return cleanValue(template).slice(0, renderedLengthMax);
    out += token.kind === 'text' ? token.text : cleanValue(values[token.name] ?? '?') || '?';
  }
  // The template is checked, but a stored one from an older version is cleaned too.
  return out.replace(forbidden, ' ').slice(0, renderedLengthMax);
}

const downStates = new Set(['STOP', 'WAIT']);

const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);

/**
 * The generic event a stored event makes, or null when it makes none:
 * - `failover.claiming` (an agent took the Serving role from a failed peer) → failover, from the peer to this node;
 * - `failover.local-health` (an agent handed the role away, its own recorder unhealthy) → failover, from this node to the peer;
 * - `failback.started` (an agent hands the role back to the preferred peer) → failback;
 * - `node.agent-lost` (the controller heard nothing for agents.staleAfterMs) and
 *   `node.state-changed` to STOP or WAIT → node down;
 * - `backfill.completed` → backfill completed.
 * Data missing is no stored event: the notifier watches the cluster's data-missing verdict.
 */
export function occurrenceOf(row: Pick<EventRow, 'kind' | 'time' | 'clusterId' | 'nodeId' | 'data'>): GenericEventOccurrence | null {
  if (row.clusterId === null) return null;
  const data = row.data ?? {};
  const time = row.time instanceof Date ? row.time : new Date(row.time);
  const base = { time, clusterId: row.clusterId, nodeId: row.nodeId };
  switch (row.kind) {
    case 'failover.claiming':
      return { ...base, kind: 'failover', nodes: { to: 'self', from: 'peer' }, values: { reason: text(data.reason) ?? 'peer failed', epoch: text(data.epoch) ?? '?' } };
    case 'failover.local-health':
      return { ...base, kind: 'failover', nodes: { from: 'self', to: 'peer' }, values: { reason: 'local recorder unhealthy', epoch: text(data.epoch) ?? '?' } };
    case 'failback.started':
      return { ...base, kind: 'failback', nodes: { from: 'self', to: 'peer' }, values: { epoch: text(data.epoch) ?? '?' } };
    case 'node.agent-lost': {
      const staleAfterMs = typeof data.staleAfterMs === 'number' ? data.staleAfterMs : null;
      return { ...base, kind: 'node-down', nodes: { node: 'self' }, values: { reason: staleAfterMs === null ? 'agent silent' : `agent silent for ${Math.round(staleAfterMs / 1000)} s` } };
    }
    case 'node.state-changed': {
      const to = text(data.to);
      if (to === undefined || !downStates.has(to)) return null;
      return { ...base, kind: 'node-down', nodes: { node: 'self' }, values: { reason: `state ${to}` } };
    }
    case 'backfill.completed':
      return { ...base, kind: 'backfill-completed', nodes: { node: 'self' }, values: { blocks: text(data.blocks) ?? '?', bytes: text(data.bytes) ?? '?', seconds: text(data.seconds) ?? '?' } };
    default:
      return null;
  }
}

/** The data-missing occurrence of a cluster whose verdict turned to missing. */
export function dataMissingOccurrence(clusterId: string, missingSeconds: number | null, time: Date): GenericEventOccurrence {
  return { kind: 'data-missing', time, clusterId, nodeId: null, nodes: {}, values: { missingSeconds: missingSeconds === null ? 'unknown' : String(Math.round(missingSeconds)) } };
}

/** Names the notifier found: the cluster's, and each node's by id (the peer: the cluster's other node). */
export interface OccurrenceNames {
  readonly cluster: string;
  readonly nodes: ReadonlyMap<string, string>;
}

/**
 * Every placeholder's value for an occurrence: the common ones, the event's own and the node
 * names (by id where no name was found).
 */
export function valuesOf(occurrence: GenericEventOccurrence, names: OccurrenceNames): Record<string, string> {
  const values: Record<string, string> = { ...occurrence.values, cluster: names.cluster, time: occurrence.time.toISOString(), kind: occurrence.kind };
  const self = occurrence.nodeId;
  const others = [...names.nodes.keys()].filter((id) => id !== self);
  for (const [placeholder, which] of Object.entries(occurrence.nodes)) {
    const id = which === 'self' ? self : others.length === 1 ? others[0] : undefined;
    values[placeholder] = id === undefined || id === null ? (which === 'peer' ? 'the peer' : '?') : (names.nodes.get(id) ?? id);
  }
  return values;
}

/** Example values for a test send of a kind's message (POST …/generic-events/test). */
export function exampleValues(kind: GenericEventKind, now: Date): Record<string, string> {
  return { cluster: 'test-cluster', time: now.toISOString(), kind, from: 'test-node-a', to: 'test-node-b', node: 'test-node-a', reason: 'test', epoch: '1', missingSeconds: '60', blocks: '1', bytes: '1024', seconds: '1' };
}

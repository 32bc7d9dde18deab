// The failover history, recorded as it happens: which agent event is a change of the Serving
// role, and the record it makes. Pure; the agent link writes the records in the transaction that
// stores the events (agent-link.ts), so each event makes its record exactly once.
//
// | event (from the node that decided)           | from      | to        | reason                  | trigger   |
// |----------------------------------------------|-----------|-----------|-------------------------|-----------|
// | failover.claiming (the node taking over)     | its peer  | the node  | peer-dead/-unhealthy/-stopped/-not-serving | automatic |
// | failover.local-health (the node handing over) | the node  | its peer  | local-health            | automatic |
// | failback.started (the node handing back)     | the node  | its peer  | failback                | automatic |
// | switch.started / swap.started (commanded)    | the node  | its peer  | switch / swap           | manual    |
// Detection comes from the event (`detectionMs`, measured by the deciding agent); the switch time
// is the new node's `serving.endpoint-claimed` minus the decision, filled in when both are known.
import { randomUUID } from 'node:crypto';
import { failoverClaimReasons } from '../../../contracts/controller-v1.js';
import type { EventRow, FailoverRecordRow } from '../db/entities/index.js';

/** A claim's endpoint reported later than this after the decision is not that decision's. */
export const switchMatchWindowMs = 60_000;
export const endpointClaimedKind = 'serving.endpoint-claimed';

const reasons = failoverClaimReasons;

const wholeMs = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 2 ** 31 ? Math.round(value) : null);

/** The record an event makes, or null when it is no change of the Serving role. */
export function failoverRecordOf(event: EventRow, peerNodeId: string | null): FailoverRecordRow | null {
  if (event.clusterId === null || event.nodeId === null) return null;
  const base = { id: randomUUID(), time: event.time, clusterId: event.clusterId, detectionMs: wholeMs(event.data.detectionMs), switchMs: null, epoch: wholeMs(event.data.epoch), eventId: event.id };
  switch (event.kind) {
    case 'failover.claiming': {
      const reason = reasons.find((r) => r === event.data.reason);
      return reason === undefined ? null : { ...base, fromNodeId: peerNodeId, toNodeId: event.nodeId, reason, trigger: 'automatic' };
    }
    case 'failover.local-health':
      return { ...base, fromNodeId: event.nodeId, toNodeId: peerNodeId, reason: 'local-health', trigger: 'automatic' };
    case 'failback.started':
      return { ...base, fromNodeId: event.nodeId, toNodeId: peerNodeId, reason: 'failback', trigger: 'automatic', detectionMs: null };
    case 'switch.started':
    case 'swap.started':
      return { ...base, fromNodeId: event.nodeId, toNodeId: peerNodeId, reason: event.kind === 'switch.started' ? 'switch' : 'swap', trigger: 'manual', detectionMs: null };
    default:
      return null;
  }
}

/** The switch time a record gets from its new node's endpoint claim, or null when the claim is not its. */
export function switchMsOf(record: Pick<FailoverRecordRow, 'time' | 'toNodeId'>, claimed: Pick<EventRow, 'time' | 'nodeId' | 'kind'>): number | null {
  if (claimed.kind !== endpointClaimedKind || claimed.nodeId !== record.toNodeId) return null;
  const ms = claimed.time.getTime() - record.time.getTime();
  return ms >= 0 && ms <= switchMatchWindowMs ? ms : null;
}

// Audit entries: who did what to which object, and whether it worked. Changes write theirs in
// the same transaction as the change; relayed commands, which change nothing in the database,
// write theirs once the agent has answered.
import { randomUUID } from 'node:crypto';
import type { AuditDetails, AuditEntryRow } from '../db/entities/index.js';
import type { AuditOutcome } from '../model/vocabulary.js';

/** Who asks for a change, as written to the audit log. */
export interface Actor {
  readonly name: string;
  readonly address: string | null;
}

/**
 * A new audit row; the target is cut to the column's 255 characters. `details` says what the
 * change did where the target alone does not (a policy change's versions).
 *
 * @example
 *   auditRow({ name: 'local-operator', address: '127.0.0.1' }, 'cluster.switch', `cluster/${id}`, 'success')
 */
export function auditRow(actor: Actor, action: string, target: string, outcome: AuditOutcome, details: AuditDetails | null = null): AuditEntryRow {
  return { id: randomUUID(), time: new Date(), actor: actor.name.slice(0, 128), action, target: target.slice(0, 255), outcome, address: actor.address?.slice(0, 64) ?? null, details };
}

import { EntitySchema } from 'typeorm';
import type { AuditOutcome } from '../../model/vocabulary.js';

/** What a change did, as flat facts: numbers, names and lists of names. */
export type AuditDetails = { [key: string]: string | number | boolean | null | string[] };

/** Who did what to which object, and whether it worked. Written in the same transaction as the change. */
export interface AuditEntryRow {
  id: string;
  time: Date;
  actor: string;
  /** Dotted verb, e.g. `cluster.create`, `node.delete`, `cluster.switch`. */
  action: string;
  /** What was acted on, e.g. `cluster/5f0c…`. */
  target: string;
  outcome: AuditOutcome;
  /** Request address of the actor, when known. */
  address: string | null;
  /** What the change did, for actions that say more than their target (e.g. `cluster.policy-changed`: the versions before and after). */
  details?: AuditDetails | null;
}

export const AuditEntryEntity = new EntitySchema<AuditEntryRow>({
  name: 'AuditEntry',
  tableName: 'audit_entry',
  columns: {
    id: { type: String, length: 36, primary: true },
    time: { type: Date },
    actor: { type: String, length: 128 },
    action: { type: String, length: 64 },
    target: { type: String, length: 255 },
    outcome: { type: String, length: 16 },
    address: { type: String, length: 64, nullable: true },
    details: { type: 'simple-json', nullable: true },
  },
  indices: [{ name: 'IDX_audit_entry_time', columns: ['time'] }],
});

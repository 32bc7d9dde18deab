// The audit log: who did what, and whether it was allowed.
import { z } from 'zod';
import { component } from './components.js';
import { cursor, keysetPage, timestamp, uuid } from './fields.js';
import { auditOutcomes } from './vocabulary.js';

export const auditCursor = cursor.describe("An audit entry's position: `<time, ISO 8601 with milliseconds>_<entry id>`");

export const auditEntrySchema = component(
  'AuditEntry',
  z.strictObject({
    id: uuid,
    cursor: auditCursor,
    time: timestamp,
    actor: z.string().describe('Account name, `agent:<node>` for an agent, `controller` for the controller itself'),
    action: z.string().describe('Dotted verb, e.g. `cluster.switch`, `cluster.policy-changed`, `auth.login`, `account.create`, `token.delete`, `cluster.focus`, `access.denied`'),
    target: z.string().describe('What was acted on, e.g. `cluster/<id>`, `account/<name>`; for `access.denied`, the method and path'),
    outcome: z.enum(auditOutcomes).describe('`success`; `failure` (refused or failed); `denied` (the role was too low)'),
    address: z.string().nullable().describe("The caller's address"),
    details: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe(
        'What the change did, for the actions that say more than their target: `cluster.policy-changed` has `fromVersion`, `toVersion` and `changed` (the settings that changed, as paths like `failover.profile`); `cluster.switch` to a node that lacked data has `forced`, `to` (the node) and `missingSeconds`; `cluster.backfill-start`, `-pause` and `-resume` have `nodes` (asked), `done`, `refused` and `unreachable` (node names); null for the others',
      ),
  }),
);
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = component('AuditPage', keysetPage(auditEntrySchema, auditCursor));
export type AuditPage = z.infer<typeof auditPageSchema>;

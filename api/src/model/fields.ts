// Fields many REST API objects share, each with its bounds and its description.
import { z } from 'zod';
import { haStatuses, namePattern, reachableRule, roles } from './vocabulary.js';

export const uuid = z.uuid();
export const nullableUuid = uuid.nullable();
/** What the API returns: UTC, as toISOString() writes it. */
export const timestamp = z.iso.datetime();
export const nullableTimestamp = timestamp.nullable();
/** A row's version, bumped by every change; its ETag is `"v<version>"`. */
export const version = z.int().min(1);

export const displayName = z
  .string()
  .min(1)
  .max(64)
  .regex(new RegExp(namePattern))
  .describe('Unique display name; no leading or trailing spaces, no control, bidi or other invisible format characters');

export const role = z
  .enum(roles)
  .describe('`viewer` reads everything; `operator` also switches, sets maintenance and focuses; `admin` also changes clusters and nodes, manages accounts and every token, and reads the audit log');

export const haStatus = z
  .enum(haStatuses)
  .describe(`\`Serving\` (of the nodes that say they serve, the one with the highest epoch), \`Standby\` (reachable, not serving, or stepping down under a lower epoch) or \`Unknown\` (not reachable: no longer ${reachableRule})`);

/** A node of a cluster, by id and name. */
export const nodeRef = z.strictObject({ nodeId: uuid, nodeName: z.string() });
export type NodeRef = z.infer<typeof nodeRef>;

/**
 * A row's position in a history read newest first (events, the audit log): its time and id,
 * `<ISO 8601 time with ms>_<id>`, e.g. `2026-11-22T10:11:12.345Z_0b7c…`.
 */
export const cursorPattern = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z_[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$';

export const cursor = z.string().regex(new RegExp(cursorPattern));

/** A page of a history, newest first, by cursor. */
export const keysetPage = <T extends z.ZodType>(item: T, next: z.ZodType) =>
  z.strictObject({
    items: z.array(item),
    limit: z.int(),
    next: next.nullable().describe('`before` for the next, older page; null on the last page'),
  });

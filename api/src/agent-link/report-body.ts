// An agent's report body, checked: the cheap shape bounds first, then each item of the long
// lists (cameras, the audit's cameras, events) on its own, then the rest of the report with
// those lists' items taken as already checked. Every item is parsed once: parsing the whole
// report again checked each camera a second time, and at 1,000 agents reporting every second
// that was a tenth of the controller's time (bench/scale.bench.ts). The item schemas transform
// nothing, so an item as checked is the item as parsed.
import { z } from 'zod';
import { agentEventSchema, backfillStatusSchema, cameraStatusSchema, maxEventsPerReport, nodeStatusSchema, reportRequestSchema, type ReportRequest } from '../../../contracts/controller-v1.js';
import { validationFailed } from '../domain/errors.js';
import { agentBodyBounds, itemIssues, jsonBoundsIssue, type CheckedList } from './body-bounds.js';

/** Issues listed in a `validation-failed` answer to an agent; the rest are left out. */
export const agentIssuesListedMax = 50;
/** Characters of each listed issue's message (zod quotes unknown keys, which a caller chooses). */
const issueMessageCharsMax = 256;

/** A report's long lists, checked item by item before the rest. */
export const reportLists: readonly CheckedList[] = [
  { path: ['status', 'cameras'], item: cameraStatusSchema },
  { path: ['status', 'backfill', 'cameras'], item: backfillStatusSchema.shape.cameras.element },
  { path: ['events'], item: agentEventSchema },
];

/**
 * reportRequestSchema with the lists' items left as they are (reportLists checked them). The
 * lists keep their length bounds: 4096 cameras (also every array's bound, agentBodyBounds) and
 * maxEventsPerReport events.
 */
const checkedItems = (max: number) => z.array(z.unknown()).max(max);
const reportRestSchema = reportRequestSchema.extend({
  status: nodeStatusSchema.extend({
    cameras: checkedItems(agentBodyBounds.arrayLengthMax),
    backfill: backfillStatusSchema.extend({ cameras: checkedItems(agentBodyBounds.arrayLengthMax) }).nullable().optional(),
  }),
  events: checkedItems(maxEventsPerReport),
});

/**
 * The report `body` is, or a `validation-failed` problem listing at most agentIssuesListedMax
 * issues (a wrong body costs about as much as a right one).
 */
export function parseReport(body: unknown): ReportRequest {
  return parseChecked(reportRestSchema, body, reportLists) as unknown as ReportRequest;
}

/** `body` as `schema` says, after the shape bounds and the items of `lists`; else a `validation-failed` problem. */
export function parseChecked<T>(schema: z.ZodType<T>, body: unknown, lists: readonly CheckedList[]): T {
  const outside = jsonBoundsIssue(body, agentBodyBounds);
  if (outside !== null) throw validationFailed([outside]);
  const inItems = itemIssues(body, lists, agentIssuesListedMax);
  if (inItems.length > 0) throw validationFailed(inItems.map((issue) => ({ path: issue.path, message: issue.message.slice(0, issueMessageCharsMax) })));
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw validationFailed(parsed.error.issues.slice(0, agentIssuesListedMax).map((issue) => ({ path: `/body${issue.path.map((p) => `/${String(p).slice(0, 64)}`).join('')}`, message: issue.message.slice(0, issueMessageCharsMax) })));
}

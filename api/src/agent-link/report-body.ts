// An agent's report body, checked: the cheap shape bounds first, then each item of the long
// lists (cameras, the audit's cameras, events) on its own, then the rest of the report with
// those lists' items taken as already checked. Every item is parsed once: parsing the whole
// report again checked each camera a second time, and at 1,000 agents reporting every second
// that was a tenth of the controller's time (bench/scale.bench.ts). The item schemas transform
// nothing, so an item as checked is the item as parsed.
//
// Most of a report repeats the node's last one: a camera whose fields are all the same as in the
// node's last accepted report (CheckedCameras) is taken without zod, as the object accepted then.
// It was valid, and its fields are plain values compared one by one, so it still is; the node
// status cache and the Device Overview's change check (sameCameraReport) then see the same object.
import { z } from 'zod';
import { agentEventSchema, backfillStatusSchema, cameraStatusSchema, maxEventsPerReport, nodeStatusSchema, reportRequestSchema, type ReportRequest } from '../../../contracts/controller-v1.js';
import { sameCamera } from '../domain/device-overview.js';
import { nodeStatusCacheMaxNodes, type CameraStatus } from '../domain/node-status.js';
import { validationFailed } from '../domain/errors.js';
import { agentBodyBounds, itemIssues, jsonBoundsIssue, type BoundsIssue, type CheckedList } from './body-bounds.js';

/** Issues listed in a `validation-failed` answer to an agent; the rest are left out. */
export const agentIssuesListedMax = 50;
/** Characters of each listed issue's message (zod quotes unknown keys, which a caller chooses). */
const issueMessageCharsMax = 256;

/** A report's long lists, checked item by item before the rest (the cameras apart: checkCameras). */
export const reportLists: readonly CheckedList[] = [
  { path: ['status', 'backfill', 'cameras'], item: backfillStatusSchema.shape.cameras.element },
  { path: ['events'], item: agentEventSchema },
];

/**
 * The cameras of each node's last accepted report, by the node id its report gave; the node
 * reported to longest ago is dropped beyond nodesMax. Only ever read for equality (sameCameraAs),
 * so a report naming another node's id costs that node a zod check, never a wrong camera.
 */
export class CheckedCameras {
  private readonly byNode = new Map<string, readonly CameraStatus[]>();

  constructor(private readonly nodesMax = nodeStatusCacheMaxNodes) {}

  get(nodeId: string): readonly CameraStatus[] | undefined {
    return this.byNode.get(nodeId);
  }

  remember(nodeId: string, cameras: readonly CameraStatus[]): void {
    this.byNode.delete(nodeId);
    this.byNode.set(nodeId, cameras);
    if (this.byNode.size > this.nodesMax) this.byNode.delete(this.byNode.keys().next().value as string);
  }

  get size(): number {
    return this.byNode.size;
  }
}

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
export function parseReport(body: unknown, checked?: CheckedCameras): ReportRequest {
  const outside = jsonBoundsIssue(body, agentBodyBounds);
  if (outside !== null) throw validationFailed([outside]);
  const top = (typeof body === 'object' && body !== null ? body : {}) as { nodeId?: unknown; status?: { cameras?: unknown } | null };
  const previous = checked !== undefined && typeof top.nodeId === 'string' ? checked.get(top.nodeId) : undefined;
  const cameras = checkCameras(typeof top.status === 'object' ? top.status?.cameras : undefined, previous);
  const report = parseRest(reportRestSchema, body, reportLists, cameras.issues) as unknown as ReportRequest;
  // The rest passed: status.cameras is the list checkCameras checked (its zod-less length bound is the rest schema's).
  const status = { ...report.status, cameras: cameras.items };
  if (checked !== undefined) checked.remember(report.nodeId, cameras.items);
  return { ...report, status };
}

/**
 * The cameras of a report, each one `previous` holds at its index with the same fields taken as
 * that object, the others checked by cameraStatusSchema; with their issues (at most
 * agentIssuesListedMax). Not a list: no items and no issues (the rest schema says what is wrong).
 */
function checkCameras(list: unknown, previous: readonly CameraStatus[] | undefined): { items: CameraStatus[]; issues: BoundsIssue[] } {
  const items: CameraStatus[] = [];
  const issues: BoundsIssue[] = [];
  if (!Array.isArray(list)) return { items, issues };
  for (let i = 0; i < list.length && issues.length < agentIssuesListedMax; i += 1) {
    const raw = list[i] as unknown;
    const known = previous?.[i];
    if (known !== undefined && sameCameraAs(raw, known)) {
      items.push(known);
      continue;
    }
    const parsed = cameraStatusSchema.safeParse(raw);
    if (parsed.success) items.push(parsed.data);
    else for (const issue of parsed.error.issues.slice(0, agentIssuesListedMax - issues.length)) issues.push({ path: ['/body/status/cameras', String(i), ...issue.path.map((p) => String(p).slice(0, 64))].join('/'), message: issue.message });
  }
  return { items, issues };
}

/**
 * Whether `raw` is `known` again: every field of a camera's status identical (sameCamera), and no
 * other key. `known` is an object cameraStatusSchema made, so it has no key the schema lacks.
 *
 * @example sameCameraAs(JSON.parse(JSON.stringify(camera)), camera) // true
 */
export function sameCameraAs(raw: unknown, known: CameraStatus): boolean {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  return sameCamera(raw as CameraStatus, known) && keyCount(raw) === keyCount(known);
}

/** Enumerable keys, counted without an array (a report's cameras are counted on every report). */
function keyCount(value: object): number {
  let keys = 0;
  for (const _ in value) keys += 1;
  return keys;
}

/** `body` as `schema` says, after the shape bounds and the items of `lists`; else a `validation-failed` problem. */
export function parseChecked<T>(schema: z.ZodType<T>, body: unknown, lists: readonly CheckedList[]): T {
  const outside = jsonBoundsIssue(body, agentBodyBounds);
  if (outside !== null) throw validationFailed([outside]);
  return parseRest(schema, body, lists, []);
}

/** parseChecked after the bounds, with the issues already found in other items (`found`) listed first. */
function parseRest<T>(schema: z.ZodType<T>, body: unknown, lists: readonly CheckedList[], found: readonly BoundsIssue[]): T {
  const inItems = [...found, ...itemIssues(body, lists, agentIssuesListedMax - found.length)];
  if (inItems.length > 0) throw validationFailed(inItems.map((issue) => ({ path: issue.path, message: issue.message.slice(0, issueMessageCharsMax) })));
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw validationFailed(parsed.error.issues.slice(0, agentIssuesListedMax).map((issue) => ({ path: `/body${issue.path.map((p) => `/${String(p).slice(0, 64)}`).join('')}`, message: issue.message.slice(0, issueMessageCharsMax) })));
}

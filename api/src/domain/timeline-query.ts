// Reads what a cluster's availability timeline is made of (timeline.ts) from the database: the
// serving spans, failover records and camera gaps that overlap the window, and the cluster's
// nodes. Bounded: at most timelineRowsMax rows of each kind per answer.
import { And, LessThan, MoreThan, MoreThanOrEqual } from 'typeorm';
import type { Database } from '../db/database.js';
import { CameraGapEntity, ClusterEntity, FailoverRecordEntity, NodeEntity, ServingSpanEntity } from '../db/entities/index.js';
import type { Timeline } from '../model/timeline.js';
import { notFound } from './errors.js';
import { timelineOf, type TimelineWindow } from './timeline.js';

/** Rows of each kind read for one answer; more make the answer `truncated`. A span lies within one UTC day, so 30 days of them are far fewer. */
export const timelineRowsMax = 20_000;
/** A span never crosses midnight (serving-span.ts): one that overlaps the window started at most a day before it. */
const spanLengthMsMax = 24 * 60 * 60 * 1000;

export async function clusterTimeline(db: Database, clusterId: string, window: TimelineWindow, now: Date): Promise<Timeline> {
  const m = db.dataSource.manager;
  const cluster = await m.findOne(ClusterEntity, { select: { id: true }, where: { id: clusterId } });
  if (cluster === null) throw notFound('Cluster', clusterId);
  const { from, to } = window;
  const [nodes, spans, failovers, gaps, first] = await Promise.all([
    m.find(NodeEntity, { select: { id: true, name: true }, where: { clusterId }, order: { name: 'ASC' } }),
    m.find(ServingSpanEntity, {
      // The lower bound on startAt adds nothing to endAt > from but lets the (cluster, start) index serve.
      where: { clusterId, startAt: And(MoreThanOrEqual(new Date(from.getTime() - spanLengthMsMax)), LessThan(to)), endAt: MoreThan(from) },
      order: { startAt: 'ASC', id: 'ASC' },
      take: timelineRowsMax + 1,
    }),
    m.find(FailoverRecordEntity, { where: { clusterId, time: And(MoreThanOrEqual(from), LessThan(to)) }, order: { time: 'ASC', id: 'ASC' }, take: timelineRowsMax + 1 }),
    m.find(CameraGapEntity, { where: { clusterId, startAt: LessThan(to), endAt: MoreThan(from) }, order: { startAt: 'ASC', id: 'ASC' }, take: timelineRowsMax + 1 }),
    m.findOne(ServingSpanEntity, { select: { startAt: true }, where: { clusterId }, order: { startAt: 'ASC' } }),
  ]);
  return timelineOf({
    clusterId,
    window,
    now,
    nodes,
    firstServingAt: first?.startAt ?? null,
    spans: spans.slice(0, timelineRowsMax),
    failovers: failovers.slice(0, timelineRowsMax),
    gaps: gaps.slice(0, timelineRowsMax),
    rowsTruncated: [spans, failovers, gaps].some((rows) => rows.length > timelineRowsMax),
  });
}

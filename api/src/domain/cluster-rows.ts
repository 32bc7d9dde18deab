// Reading and guarding cluster and node rows inside a transaction: what the cluster service and
// the cluster policy service share. A change of a cluster row is conditional on the version it
// was read at, so that of two concurrent changes one loses and runs again on what won.
import type { EntityManager } from 'typeorm';
import { ClusterEntity, NodeEntity, type ClusterRow, type NodeRow } from '../db/entities/index.js';
import { notFound, preconditionFailed } from './errors.js';

/** The ETag of a row: its version, so that If-Match detects lost updates. */
export const etagOf = (version: number): string => `"v${version}"`;

export async function loadCluster(m: EntityManager, id: string): Promise<ClusterRow> {
  const row = await m.findOneBy(ClusterEntity, { id });
  if (row === null) throw notFound('cluster', id);
  return row;
}

export async function loadNodes(m: EntityManager, clusterId: string): Promise<NodeRow[]> {
  return m.find(NodeEntity, { where: { clusterId }, order: { name: 'ASC' } });
}

export async function loadNode(m: EntityManager, clusterId: string, nodeId: string): Promise<NodeRow> {
  const row = await m.findOneBy(NodeEntity, { id: nodeId, clusterId });
  if (row === null) throw notFound('node', nodeId);
  return row;
}

/** `If-Match: *` or a list of ETags; absent means "no precondition". */
export function checkIfMatch(ifMatch: string | undefined, current: string): void {
  if (ifMatch === undefined) return;
  const tags = ifMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (!tags.includes('*') && !tags.includes(current)) throw preconditionFailed(ifMatch, current);
}

/** A cluster row changed between this change's read and its write: the change runs again. */
export class ClusterRaceError extends Error {
  constructor(clusterId: string) {
    super(`cluster ${clusterId} changed concurrently`);
    this.name = 'ClusterRaceError';
  }
}

/**
 * Writes `changes` to the cluster row, unless someone changed it since it was read (its version
 * moved on): then ClusterRaceError. The version and updatedAt move on with the write.
 */
export async function updateClusterRow(m: EntityManager, row: ClusterRow, changes: Partial<ClusterRow>): Promise<ClusterRow> {
  const result = await m.update(ClusterEntity, { id: row.id, version: row.version }, changes);
  if (result.affected !== 1) throw new ClusterRaceError(row.id);
  return loadCluster(m, row.id);
}

/**
 * Attempts of work that can lose a race. Each race, once lost, is seen as won by the other on
 * the next look; a few attempts cover the changes that can pile up on one row.
 */
export const raceAttemptsMax = 4;

/**
 * Runs work again while it loses a race (`lostRace(err)`), at most raceAttemptsMax times.
 *
 * @example await retryOnRace(() => source.transaction(work), (err) => err instanceof ClusterRaceError)
 */
export async function retryOnRace<T>(work: () => Promise<T>, lostRace: (err: unknown) => boolean): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (err) {
      if (!lostRace(err) || attempt >= raceAttemptsMax) throw err;
    }
  }
}

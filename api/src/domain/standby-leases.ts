// Standby leases of a failover pool (issue 17): how the controller gives a standby to a failed
// protected recording server so that no standby ever serves two, and no protected server is
// ever served by two — across two controllers on one database, and across a request and its
// retry. Without a twin there is no pairwise witness: the database's compare-and-set is the
// arbiter (ARCHITECTURE.md, "Failover pools").
//
// - A lease moves free → taking-over → serving → syncing-back → free (or straight back to free:
//   failover stopped with the recordings discarded, or a takeover that failed); leaseStep says
//   which moves exist.
// - Each move is one UPDATE … WHERE version = <the version read>: of two writers, one wins, the
//   other gets `stale` and reads again.
// - An assignment takes the next value of the pool's epoch counter, in the same transaction: the
//   standby's agent fences the protected server's endpoint with it, above every epoch the pool
//   gave before (one server's endpoint may be claimed by one standby, later by another).
// - A second standby for a protected server already served breaks the filtered unique index:
//   `server-served`.
import type { EntityManager } from 'typeorm';
import { PoolEpochEntity, StandbyLeaseEntity, type StandbyLeaseRow } from '../db/entities/index.js';
import { isUniqueViolation } from '../db/errors.js';

export type LeaseState = StandbyLeaseRow['state'];

const moves: Readonly<Record<LeaseState, readonly LeaseState[]>> = {
  free: ['taking-over'],
  'taking-over': ['serving', 'free'],
  serving: ['syncing-back', 'free'],
  'syncing-back': ['free'],
};

/** Whether a lease may move from `from` to `to`. */
export function leaseStep(from: LeaseState, to: LeaseState): boolean {
  return moves[from].includes(to);
}

export type LeaseOutcome =
  | { readonly ok: true; readonly lease: StandbyLeaseRow }
  | { readonly ok: false; readonly reason: 'standby-taken' | 'server-served' | 'stale' | 'no-lease' | 'bad-move'; readonly lease: StandbyLeaseRow | null };

/** Inserts a row unless another writer did first (then that one stands). */
async function insertOnce(insert: () => Promise<unknown>): Promise<void> {
  try {
    await insert();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
}

/**
 * The pool's epoch counter starts at 1: a protected server that never resumed claims its
 * endpoint at epoch 1 (contracts/pool-v1.ts), so every takeover's epoch is 2 or more.
 */
const poolEpochStart = 1;

async function ensurePoolEpoch(m: EntityManager, clusterId: string): Promise<void> {
  if ((await m.findOneBy(PoolEpochEntity, { clusterId })) === null) await insertOnce(() => m.insert(PoolEpochEntity, { clusterId, epoch: poolEpochStart }));
}

/** The lease of a standby, made free (epoch 0) the first time the standby is seen; and its pool's epoch counter. */
export async function ensureLease(m: EntityManager, standbyNodeId: string, clusterId: string, now = new Date()): Promise<StandbyLeaseRow> {
  await ensurePoolEpoch(m, clusterId);
  const found = await m.findOneBy(StandbyLeaseEntity, { standbyNodeId });
  if (found !== null) return found;
  await insertOnce(() => m.insert(StandbyLeaseEntity, { standbyNodeId, clusterId, protectedNodeId: null, epoch: 0, state: 'free', version: 1, updatedAt: now }));
  return m.findOneByOrFail(StandbyLeaseEntity, { standbyNodeId });
}

/** Thrown inside the transaction to undo it when the protected server turned out to be served already. */
class ServerServedError extends Error {}

/**
 * Gives the standby to `protectedNodeId` if its lease is still at `expectedVersion` and free:
 * state taking-over, the pool's next epoch — one transaction, so a lost race leaves no trace
 * but a skipped epoch at most. A retry of an assignment that already landed (the same standby
 * and server, taking over or serving) answers with that lease instead of failing. `m` must not
 * be inside a transaction already.
 */
export async function acquireLease(m: EntityManager, request: { standbyNodeId: string; protectedNodeId: string; expectedVersion: number }, now = new Date()): Promise<LeaseOutcome> {
  const { standbyNodeId, protectedNodeId, expectedVersion } = request;
  const refusal = async (reason: 'standby-taken' | 'server-served' | 'stale' | 'no-lease'): Promise<LeaseOutcome> => ({ ok: false, reason, lease: await m.findOneBy(StandbyLeaseEntity, { standbyNodeId }) });
  const current = await m.findOneBy(StandbyLeaseEntity, { standbyNodeId });
  if (current === null) return { ok: false, reason: 'no-lease', lease: null };
  if (current.protectedNodeId === protectedNodeId && (current.state === 'taking-over' || current.state === 'serving')) return { ok: true, lease: current };
  if (current.protectedNodeId !== null) return { ok: false, reason: 'standby-taken', lease: current };
  if (current.version !== expectedVersion) return { ok: false, reason: 'stale', lease: current };
  let won: boolean;
  try {
    won = await m.transaction(async (t) => {
      // The row lock this UPDATE takes orders concurrent takeovers of one pool: each reads its own value.
      await t.createQueryBuilder().update(PoolEpochEntity).set({ epoch: () => 'epoch + 1' }).where('cluster_id = :clusterId', { clusterId: current.clusterId }).execute();
      const { epoch } = await t.findOneByOrFail(PoolEpochEntity, { clusterId: current.clusterId });
      try {
        const result = await t
          .createQueryBuilder()
          .update(StandbyLeaseEntity)
          .set({ protectedNodeId, state: 'taking-over', epoch, version: () => 'version + 1', updatedAt: now })
          .where('standby_node_id = :standbyNodeId AND version = :expectedVersion AND protected_node_id IS NULL', { standbyNodeId, expectedVersion })
          .execute();
        return (result.affected ?? 0) === 1;
      } catch (err) {
        if (isUniqueViolation(err)) throw new ServerServedError();
        throw err;
      }
    });
  } catch (err) {
    if (err instanceof ServerServedError) return refusal('server-served');
    throw err;
  }
  const lease = await m.findOneBy(StandbyLeaseEntity, { standbyNodeId });
  if (lease === null) return { ok: false, reason: 'no-lease', lease: null };
  if (won || (lease.protectedNodeId === protectedNodeId && (lease.state === 'taking-over' || lease.state === 'serving'))) return { ok: true, lease };
  return { ok: false, reason: lease.protectedNodeId !== null ? 'standby-taken' : 'stale', lease };
}

/** Moves the lease to `to` if it is still at `expectedVersion` and the move exists; free clears the protected server (the epoch stays). */
export async function moveLease(m: EntityManager, request: { standbyNodeId: string; expectedVersion: number; to: LeaseState }, now = new Date()): Promise<LeaseOutcome> {
  const { standbyNodeId, expectedVersion, to } = request;
  const current = await m.findOneBy(StandbyLeaseEntity, { standbyNodeId });
  if (current === null) return { ok: false, reason: 'no-lease', lease: null };
  if (current.version !== expectedVersion) return { ok: false, reason: 'stale', lease: current };
  if (!leaseStep(current.state, to)) return { ok: false, reason: 'bad-move', lease: current };
  const result = await m
    .createQueryBuilder()
    .update(StandbyLeaseEntity)
    .set({ state: to, version: () => 'version + 1', updatedAt: now, ...(to === 'free' ? { protectedNodeId: null } : {}) })
    .where('standby_node_id = :standbyNodeId AND version = :expectedVersion AND state = :from', { standbyNodeId, expectedVersion, from: current.state })
    .execute();
  const lease = await m.findOneByOrFail(StandbyLeaseEntity, { standbyNodeId });
  return (result.affected ?? 0) === 1 ? { ok: true, lease } : { ok: false, reason: 'stale', lease };
}

/**
 * The pool's next epoch, for a protected server's resume: above every takeover's epoch the pool
 * gave before (the same counter, one UPDATE under its row lock). `m` must not be inside a transaction already.
 */
export async function nextPoolEpoch(m: EntityManager, clusterId: string): Promise<number> {
  await ensurePoolEpoch(m, clusterId);
  return m.transaction(async (t) => {
    await t.createQueryBuilder().update(PoolEpochEntity).set({ epoch: () => 'epoch + 1' }).where('cluster_id = :clusterId', { clusterId }).execute();
    return (await t.findOneByOrFail(PoolEpochEntity, { clusterId })).epoch;
  });
}

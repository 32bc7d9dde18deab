// The failback sync's pure pieces (issue 17 §6): what of a released standby's storage the
// protected server takes back, and how the backfill job's status reads as the sync's. The sync
// is the pair's backfill (agent/backfill/backfill-service.ts) with the standby as the peer, seen
// through `windowedPeer`: only the cameras the standby recorded for this server, and only their
// blocks within the failover window, so that the standby's own cameras and whatever it recorded
// before or after never come over.
import type { BackfillStatus } from '../../contracts/controller-v1.js';
import type { PoolFailbackSync, PoolFailbackSyncState } from '../../contracts/pool-v1.js';
import type { BackfillPeer } from '../backfill/backfill-service.js';

/** The window's cameras and times: the part of the order the peer view needs. */
export type FailbackWindow = Pick<PoolFailbackSync, 'cameraIds' | 'fromMs' | 'toMs'>;

/**
 * The standby's backfill source as the protected server's backfill job sees it: the order's
 * cameras only (others are listed by nobody and hold no entries, without asking the standby),
 * and of each only the blocks with a frame in [fromMs, toMs]. `sealedEndMs` stays the standby's:
 * it no longer records these cameras, so what it indexed is final.
 *
 * @example
 *   const peer = windowedPeer(client, { cameraIds: ['c1…'], fromMs: 1_000, toMs: 9_000 });
 *   await peer.allEntries('c2…', 100) // { entries: [], sealedEndMs: null, truncated: false }, the standby is not asked
 */
export function windowedPeer(peer: BackfillPeer, window: FailbackWindow): BackfillPeer {
  const cameras = new Set(window.cameraIds);
  return {
    async listCameras() {
      const listed = await peer.listCameras();
      return { cameraIds: listed.cameraIds.filter((id) => cameras.has(id)), truncated: listed.truncated };
    },
    async allEntries(cameraId, entriesMax) {
      if (!cameras.has(cameraId)) return { entries: [], sealedEndMs: null, truncated: false };
      const all = await peer.allEntries(cameraId, entriesMax);
      return { ...all, entries: all.entries.filter((e) => e.endMs >= window.fromMs && e.startMs <= window.toMs) };
    },
    fetchBlock: (request) => peer.fetchBlock(request),
  };
}

/** The sync's state and why, from the backfill job's status (its `reason` says why it waits or failed). */
export function failbackSyncStateOf(status: Pick<BackfillStatus, 'state' | 'reason' | 'missingSeconds' | 'placeholderSeconds'>): { state: PoolFailbackSyncState; error: string | null } {
  switch (status.state) {
    case 'waiting-for-peer':
      return { state: 'waiting', error: status.reason ?? "the standby's agent does not answer" };
    case 'paused':
      return { state: 'waiting', error: status.reason ?? 'paused' };
    case 'failed':
      return { state: 'failed', error: status.reason ?? 'the backfill job failed' };
    case 'done':
      // Done with a reason: time the standby holds is missing here and no placeholder covers it
      // (the recorder ran before they could be placed); it cannot be filled while it runs.
      return status.reason === null ? { state: 'done', error: null } : { state: 'failed', error: status.reason };
    case 'idle':
      return status.missingSeconds > status.placeholderSeconds ? { state: 'failed', error: status.reason ?? `${status.missingSeconds - status.placeholderSeconds} s of the failover window have no placeholder` } : { state: 'running', error: null };
    case 'planning':
    case 'running':
      return { state: 'running', error: null };
  }
}

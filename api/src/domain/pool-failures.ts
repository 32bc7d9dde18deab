// When a failover pool's protected recording server counts as failed, and when as recovered
// (issue 17, "Triggers"). Pure: each sweep the controller feeds one observation per protected
// server (what its agent last reported, and whether that report is fresh) and gets the server's
// next state and what to do. The pool allocator (pool-allocation.ts) then picks a standby for
// each failure; a lease in SQL (standby-leases.ts) makes the choice safe.
//
// The triggers follow XProtect's failover recording servers (seed 001: the Recording Server
// unreachable, its service stopped) and Synology's failover (seed 003: disconnection longer than
// a set time, storage failed or degraded), each on or off, each with how long it must last:
// - disconnected: the agent's reports stopped (the host, its network or the agent is down);
//   counted from the last report, so a controller restart does not reset it;
// - service down: the agent reports the Recording Server service not running or not answering;
// - storage: the agent reports a recording storage failed or degraded (or none).
// A trouble must last its time without a break; any healthy observation ends it.
//
// Then, as each setting says: fail over automatically or raise `failover-needed` for an operator;
// once failed over and healthy again for the hold-down, stop failover automatically or raise
// `recovered` for an operator. A server that is troubled again while it recovers stays failed
// over, and the hold-down starts again when it is healthy.

export type PoolTrigger = 'disconnected' | 'service-down' | 'storage';

export interface PoolTriggerSettings {
  /** Seconds without a report before the server counts as disconnected (XProtect waits about 5 s; Synology 1–60 min). */
  readonly disconnectedSecondsMin: number;
  readonly serviceDown: { readonly enabled: boolean; readonly seconds: number };
  readonly storage: { readonly enabled: boolean; readonly seconds: number };
  /** `automatic`: a failure takes a standby at once; `manual`: an operator starts the failover. */
  readonly failover: 'automatic' | 'manual';
  /** `automatic`: failover stops once the server was healthy for the hold-down; `manual`: by command only. */
  readonly stop: 'automatic' | 'manual';
  readonly holdDownSeconds: number;
}

/** What the agent of a protected server last said, and when. */
export interface ProtectedObservation {
  /** Wall time of its last report (ms), or null if it never reported since the controller knows it. */
  readonly lastReportAtMs: number | null;
  /** The Recording Server service runs and answers, per that report. */
  readonly recorderRunning: boolean;
  /** Every recording storage is online, per that report (false: one failed, degraded or none). */
  readonly storageOk: boolean;
}

export type ProtectedState =
  | { readonly kind: 'protected' }
  | { readonly kind: 'troubled'; readonly trigger: PoolTrigger; readonly sinceMs: number }
  /** Failed: waiting for a standby (or an operator), or served by one (the lease says which). */
  | { readonly kind: 'failed'; readonly trigger: PoolTrigger; readonly sinceMs: number }
  | { readonly kind: 'recovering'; readonly trigger: PoolTrigger; readonly failedSinceMs: number; readonly healthySinceMs: number }
  /** Healthy for the hold-down, failover still running: an operator stops it (stop: manual). */
  | { readonly kind: 'recovered'; readonly trigger: PoolTrigger; readonly failedSinceMs: number };

export type PoolAction =
  | { readonly kind: 'fail-over'; readonly trigger: PoolTrigger }
  | { readonly kind: 'failover-needed'; readonly trigger: PoolTrigger }
  | { readonly kind: 'stop-failover' }
  | { readonly kind: 'recovered' };

/** A server's state when the controller starts, and after failover stops by command (stop failover, replace). */
export const protectedInitial: ProtectedState = { kind: 'protected' };

/**
 * The trouble an observation shows, worst first, and since when it counts (null: since it was
 * first seen); null when healthy. A server never heard of since the controller started counts
 * as disconnected from then: a restarted controller waits the full time before acting.
 */
function troubleOf(o: ProtectedObservation, s: PoolTriggerSettings, nowMs: number): { trigger: PoolTrigger; sinceMs: number | null } | null {
  if (o.lastReportAtMs === null) return { trigger: 'disconnected', sinceMs: null };
  if (nowMs - o.lastReportAtMs >= s.disconnectedSecondsMin * 1_000) return { trigger: 'disconnected', sinceMs: o.lastReportAtMs };
  if (s.serviceDown.enabled && !o.recorderRunning) return { trigger: 'service-down', sinceMs: null };
  if (s.storage.enabled && !o.storageOk) return { trigger: 'storage', sinceMs: null };
  return null;
}

const lastsMs = (trigger: PoolTrigger, s: PoolTriggerSettings): number => (trigger === 'service-down' ? s.serviceDown.seconds : trigger === 'storage' ? s.storage.seconds : s.disconnectedSecondsMin) * 1_000;

/**
 * One protected server's next state after an observation at `nowMs`, and what to do.
 *
 * @example
 *   // disconnectedSecondsMin 10; the last report 12 s ago
 *   stepProtected({ kind: 'protected' }, { lastReportAtMs: now - 12_000, recorderRunning: true, storageOk: true }, settings, now)
 *   // { state: { kind: 'failed', trigger: 'disconnected', sinceMs: now - 12_000 }, actions: [{ kind: 'fail-over', trigger: 'disconnected' }] }
 */
export function stepProtected(state: ProtectedState, o: ProtectedObservation, s: PoolTriggerSettings, nowMs: number): { state: ProtectedState; actions: PoolAction[] } {
  const trouble = troubleOf(o, s, nowMs);
  switch (state.kind) {
    case 'protected':
    case 'troubled': {
      if (trouble === null) return { state: protectedInitial, actions: [] };
      // The same trouble goes on from when it began; another one starts now (or at the last report).
      const sinceMs = trouble.sinceMs ?? (state.kind === 'troubled' && state.trigger === trouble.trigger ? state.sinceMs : nowMs);
      if (nowMs - sinceMs < lastsMs(trouble.trigger, s)) return { state: { kind: 'troubled', trigger: trouble.trigger, sinceMs }, actions: [] };
      return { state: { kind: 'failed', trigger: trouble.trigger, sinceMs }, actions: [{ kind: s.failover === 'automatic' ? 'fail-over' : 'failover-needed', trigger: trouble.trigger }] };
    }
    case 'failed':
      if (trouble !== null) return { state, actions: [] };
      return recovering(state.trigger, state.sinceMs, nowMs, s, nowMs);
    case 'recovering':
      if (trouble !== null) return { state: { kind: 'failed', trigger: state.trigger, sinceMs: state.failedSinceMs }, actions: [] };
      return recovering(state.trigger, state.failedSinceMs, state.healthySinceMs, s, nowMs);
    case 'recovered':
      if (trouble !== null) return { state: { kind: 'failed', trigger: state.trigger, sinceMs: state.failedSinceMs }, actions: [] };
      return { state, actions: [] };
  }
}

function recovering(trigger: PoolTrigger, failedSinceMs: number, healthySinceMs: number, s: PoolTriggerSettings, nowMs: number): { state: ProtectedState; actions: PoolAction[] } {
  if (nowMs - healthySinceMs < s.holdDownSeconds * 1_000) return { state: { kind: 'recovering', trigger, failedSinceMs, healthySinceMs }, actions: [] };
  // Hold-down passed: stop failover, or tell the operator, once. The failback sync (the standby's
  // recordings back to this server) then runs before the standby is free; the shell tracks it.
  if (s.stop === 'automatic') return { state: protectedInitial, actions: [{ kind: 'stop-failover' }] };
  return { state: { kind: 'recovered', trigger, failedSinceMs }, actions: [{ kind: 'recovered' }] };
}

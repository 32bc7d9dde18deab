// How often a node reports to the controller, whose answer is its witness answer. Pure: the
// shell's report loop (shell/controller-link.ts) and the simulation both follow it. The
// controller calls a node alive while its last report is younger than the asking peer's
// window (decide.ts, peerWitnessWindowMs), so a Serving node must keep that view fresh well
// inside the window, or release (decide.ts, witnessReleaseByMs).
import type { CoreConfig } from './config.js';
import { isServing, witnessCadenceMs, type CoreState } from './decide.js';

/** Between urgent reports: a dead peer's last report ages past the window within one of these. */
export const urgentReportIntervalMs = 100;

/** How long after the peer fell silent the witness is asked urgently; then the report interval again (a peer link down, not a death). */
export const witnessUrgentMsMax = 10_000;

/**
 * Whether the witness should hear from this node now, every urgentReportIntervalMs rather than
 * the report interval: from two missed heartbeats of its peer on, for at most
 * witnessUrgentMsMax past the peer timeout (then it is a link down, not a death).
 * - A Serving node must keep the witness's view of it fresh, because its peer is about to ask
 *   whether it is alive, and it releases the role once no report of the last window (less a
 *   margin) was acknowledged.
 * - A standby needs the witness's answer (is the peer dead? does it serve?) at the peer
 *   timeout, and once it claims, the same fresh acknowledgements as a Serving node.
 *
 * @example witnessUrgent(config, state) // true from two missed heartbeats, until 10 s past the peer timeout
 */
export function witnessUrgent(config: CoreConfig, s: CoreState): boolean {
  if (s.state === 'STOP' || s.peer === null) return false;
  const silentMs = s.nowMs - s.peer.lastHeardMs;
  return silentMs > 2 * config.heartbeatIntervalMs && silentMs <= config.peerTimeoutMs + witnessUrgentMsMax;
}

/**
 * The time between the starts of two reports (a report slower than that is followed at once): urgent, else the configured interval, but for a
 * node that serves, or whose peer is silent (it may claim), at most half of what the release
 * margin leaves of the peer's window (decide.ts, witnessCadenceMs), so that one slow answer
 * never makes it release while the controller is reachable.
 *
 * @example reportIntervalMsFor(fast, servingState, 500) // 350: (800 - 100) / 2
 */
export function reportIntervalMsFor(config: CoreConfig, s: CoreState, configuredMs: number): number {
  if (witnessUrgent(config, s)) return urgentReportIntervalMs;
  const silent = s.peer === null || s.nowMs - s.peer.lastHeardMs > 2 * config.heartbeatIntervalMs;
  return isServing(s.state) || (silent && s.state !== 'STOP') ? Math.min(configuredMs, witnessCadenceMs(config, s)) : configuredMs;
}

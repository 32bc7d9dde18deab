// The Serving decision: a pure, deterministic state machine (etcd raft's Tick/Step/Ready
// shape). Inputs are ticks of monotonic time, peer heartbeats, witness answers, local health,
// the recorder's service state, operator commands and cluster policies; outputs are actions
// for the shell to carry out, in order. No I/O, no clock reads, no randomness: the same inputs
// always give the same outputs.
import type { HeartbeatBody, NodeState } from '../../contracts/peer-v1.js';
import type { FailoverClaimReason } from '../../contracts/controller-v1.js';
import { triggerKinds, type CoreConfig, type TriggerKind } from './config.js';
import { advertised, bootstrapPolicy, changedPolicyKeys, mergedTiming, policyProblem, withPolicy, type AdvertisedPolicy, type CorePolicy, type PolicyInForce } from './policy.js';

export type { NodeState };

export const isServing = (state: NodeState): boolean => state === 'PRIM' || state === 'ALONE';

export interface LocalHealth {
  readonly recorderUp: boolean;
  readonly storageOk: boolean;
  /** Share of the recorder's cameras that are recording, 0..1. */
  readonly recordingShare: number;
}

export type Command = 'switch' | 'swap' | 'maintenance-on' | 'maintenance-off' | 'stop' | 'start';

export type Input =
  | { readonly kind: 'tick'; readonly nowMs: number }
  | { readonly kind: 'heartbeat'; readonly message: HeartbeatBody }
  /**
   * The witness (controller, or a probed address) answered or failed; peerAlive is the
   * controller's view, null when unknown. From the controller also: `sentAtMs`, when the report
   * it answers was sent (core time), and `peerReport`, what the peer said in its last report
   * the controller holds (null: an older controller, or the peer never reported). Absent: a TCP
   * witness, or a failed ask. `source: 'controller'` marks the node as one whose peer asks a
   * controller about it (the shell says so once at start, before any answer).
   */
  | { readonly kind: 'witness'; readonly reachable: boolean; readonly peerAlive: boolean | null; readonly sentAtMs?: number | null; readonly peerReport?: PeerReport | null; readonly source?: 'controller' | 'tcp' }
  | { readonly kind: 'health'; readonly health: LocalHealth }
  | { readonly kind: 'command'; readonly command: Command }
  /** The serving endpoint refused our claim: someone holds a higher epoch. */
  | { readonly kind: 'claim-rejected'; readonly epoch: number; readonly currentEpoch: number }
  /** The service manager reports the recorder stopped, and the agent did not stop it (no stop command, no config sync apply in progress). */
  | { readonly kind: 'recorder-stopped-unexpectedly' }
  /** A cluster policy the shell validated and stored: applied when its version is higher than the one in force. */
  | { readonly kind: 'policy'; readonly version: number; readonly policy: CorePolicy }
  /** The gap audit: whether this node holds what its peer holds within its retention (within one block). */
  | { readonly kind: 'data-complete'; readonly complete: boolean }
  /** The agent stops its recorder on purpose for a moment (placeholders, a clone applied), or that stop is over. */
  | { readonly kind: 'recorder-held'; readonly held: boolean };

/** What the peer said in its last report to the controller, as the controller's answer relays it. */
export interface PeerReport {
  readonly state: NodeState;
  readonly serving: boolean;
  readonly epoch: number;
  /** How long its agent has been running, as of the answer (its reported uptime, rounded to the second, plus the report's age); null: not said. */
  readonly upMs: number | null;
}

export type ClaimReason = 'boot' | FailoverClaimReason | 'handover' | 'handover-timeout';

export type Action =
  /** Persist (fsync) the epoch; the shell does this before the claim that follows. */
  | { readonly kind: 'persist'; readonly epoch: number; readonly stopped: boolean; readonly failoversMs: readonly number[]; readonly preference: Preference }
  | { readonly kind: 'claim'; readonly epoch: number; readonly reason: ClaimReason }
  | { readonly kind: 'release'; readonly epoch: number }
  | { readonly kind: 'send'; readonly message: HeartbeatBody }
  /** Start the recorder: by the `start` command, or again after it stopped on its own (`attempt`: restarts inside the window, this one included). */
  | { readonly kind: 'start-recorder'; readonly reason: 'command' }
  | { readonly kind: 'start-recorder'; readonly reason: 'restart'; readonly attempt: number }
  | { readonly kind: 'stop-recorder' }
  /** An accepted command; after a switch or swap, `handover` says who is to serve and under which epoch. */
  | { readonly kind: 'command-result'; readonly command: Command; readonly ok: true; readonly reason: string; readonly handover: Handover | null }
  | { readonly kind: 'command-result'; readonly command: Command; readonly ok: false; readonly reason: string }
  | { readonly kind: 'event'; readonly event: CoreEvent };

/** Where a switch moves the Serving role: the peer, and the epoch it will claim. */
export interface Handover {
  readonly to: string;
  readonly expectedEpoch: number;
}

export interface CoreEvent {
  readonly kind: string;
  readonly severity: 'info' | 'warning' | 'error' | 'critical';
  readonly message: string;
  readonly data: Readonly<Record<string, unknown>>;
}

interface PeerView {
  readonly lastHeardMs: number;
  readonly state: NodeState;
  readonly epoch: number;
  readonly serving: boolean;
  readonly healthy: boolean;
  readonly handoverTo: string | null;
  /** The peer's own policy version and timing; null when it does not say (an agent from before the cluster policy). */
  readonly policy: AdvertisedPolicy | null;
  /** Whether the peer holds what this node holds (its backfill is done); null when it does not say (an agent from before backfill). */
  readonly dataComplete: boolean | null;
}

/** Which node serves when both are healthy (and is the failback target); swap changes it cluster-wide, the higher version wins. */
export interface Preference {
  readonly nodeId: string | null;
  readonly version: number;
}

export interface CoreState {
  readonly nowMs: number;
  readonly state: NodeState;
  /** Highest epoch known to this node (persisted before it serves). */
  readonly epoch: number;
  /** The epoch this node serves under, when Serving. */
  readonly servingEpoch: number | null;
  readonly bootedAtMs: number;
  readonly lastSentMs: number | null;
  readonly peer: PeerView | null;
  /** When the peer was first heard since boot; null: not yet. */
  readonly peerFirstHeardMs: number | null;
  readonly witness: { readonly atMs: number; readonly reachable: boolean; readonly peerAlive: boolean | null; readonly sentAtMs: number | null; readonly peerReport: PeerReport | null } | null;
  /**
   * When the newest report the controller acknowledged was sent (core time); null: none yet.
   * The controller calls this node alive to its peer until about this plus the peer's witness
   * window: a Serving node cut off from its peer must stop serving before then.
   */
  readonly confirmedSentMs: number | null;
  /** The pair has a controller: the peer may be told this node is gone, even before any acknowledgement. */
  readonly controllerWitness: boolean;
  readonly health: LocalHealth;
  /** Since when each kind of local trouble holds (whether or not its trigger is on, so that turning it on counts from the start); null: it does not. */
  readonly troubleSinceMs: Readonly<Record<TriggerKind, number | null>>;
  /**
   * Whether the local recorder has been seen free of every enabled trouble since boot. The grace
   * spares a node that was healthy a short blip; it must not let one that has never been seen
   * healthy (its recorder still starting) claim the role, or be handed it, only to give it up.
   */
  readonly healthSeen: boolean;
  /** The agent holds the recorder stopped on purpose: no claim, and no ready standby, until it is back and seen healthy. */
  readonly recorderHeld: boolean;
  readonly peerStandbySinceMs: number | null;
  readonly maintenance: { readonly on: boolean; readonly version: number };
  readonly preference: Preference;
  /** Automatic failovers inside the cap window, oldest first (bounded by the cap). */
  readonly failoversMs: readonly number[];
  readonly handover: { readonly to: string; readonly sinceMs: number } | null;
  /** A condition already reported, so that it is not reported again on every tick. */
  readonly reported: string | null;
  /** After a restart, the endpoint may still point here under the persisted epoch: release it once. */
  readonly releaseOnBoot: number | null;
  /** The last claim made, so that a fenced one can be undone. */
  readonly lastClaim: { readonly epoch: number; readonly failover: boolean } | null;
  /** After a fenced claim, no new claim before this time: another node serves, let its heartbeats arrive. */
  readonly claimHoldOffUntilMs: number;
  /** Restarts of a recorder that stopped on its own (and the stop that exhausted the budget), inside the window, oldest first; at most recorderRestartCount + 1. */
  readonly recorderRestartsMs: readonly number[];
  /** The cluster policy in force; null: the config's own values (agent.yaml's bootstrap default, version 0). */
  readonly policy: PolicyInForce | null;
  /** This node holds what its peer holds within its retention (the shell's gap audit); true until told otherwise. */
  readonly dataComplete: boolean;
  /** Serving: a failback due but for the preferred peer's missing data was reported (`failback.waiting`), once per wait. */
  readonly failbackWaitReported: boolean;
}

/** What survives a restart: the epoch (fencing), the stop state (boot 'keep') and recent failovers (the cap). */
export interface Persisted {
  readonly epoch: number;
  readonly stopped: boolean;
  /** In the core's time base; the shell maps them across restarts. */
  readonly failoversMs: readonly number[];
  /** Set by a swap; absent: the configured preferred node. */
  readonly preference?: Preference | undefined;
}

export type BootBehaviour = 'keep' | 'start' | 'stop';

/**
 * The state a node starts in. `policy` is the cluster policy it stored (null: none yet, the
 * config's own values apply); its preferred node and maintenance hold from the start, as set,
 * not as a change: the preference a swap or a policy persisted, and a higher maintenance
 * version the peer knows, still win.
 */
export function initialState(persisted: Persisted, nowMs: number, boot: BootBehaviour, preferredNodeId: string | null = null, policy: PolicyInForce | null = null): CoreState {
  const stopped = boot === 'stop' || (boot === 'keep' && persisted.stopped);
  return {
    nowMs,
    state: stopped ? 'STOP' : 'WAIT',
    epoch: persisted.epoch,
    servingEpoch: null,
    bootedAtMs: nowMs,
    lastSentMs: null,
    peer: null,
    peerFirstHeardMs: null,
    witness: null,
    confirmedSentMs: null,
    controllerWitness: false,
    health: { recorderUp: false, storageOk: false, recordingShare: 0 },
    // Not heard from yet: the recorder counts as not answering, from now.
    troubleSinceMs: { serviceDown: nowMs, storageUnavailable: null, recordingShare: null },
    healthSeen: false,
    recorderHeld: false,
    peerStandbySinceMs: null,
    maintenance: { on: policy?.policy.maintenance ?? false, version: 0 },
    preference: persisted.preference ?? { nodeId: policy === null ? preferredNodeId : policy.policy.preferredNodeId, version: 0 },
    failoversMs: persisted.failoversMs.slice(-1000),
    handover: null,
    reported: null,
    releaseOnBoot: persisted.epoch > 0 ? persisted.epoch : null,
    lastClaim: null,
    claimHoldOffUntilMs: nowMs,
    recorderRestartsMs: [],
    policy,
    dataComplete: true,
    failbackWaitReported: false,
  };
}

/** The version of the cluster policy a node runs: 0 while it runs its agent.yaml's bootstrap default. */
export function policyVersion(s: CoreState): number {
  return s.policy?.version ?? 0;
}

/** The node's own config: `config` with the policy in force, before any merge with the peer's timing. */
export function ownConfig(config: CoreConfig, s: CoreState): CoreConfig {
  return s.policy === null ? config : withPolicy(config, s.policy.policy);
}

/**
 * The config the core acts on: its own, with the more conservative timing of its own and its
 * peer's while their policy versions differ (policy.ts, mergedTiming).
 *
 * @example
 *   effectiveConfig(config, state).peerTimeoutMs // the longer of both nodes' while they disagree
 */
export function effectiveConfig(config: CoreConfig, s: CoreState): CoreConfig {
  return mergedTiming(ownConfig(config, s), policyVersion(s), s.peer?.policy ?? null);
}

/** The smallest epoch above `above` that this rank owns: rank 0 even, rank 1 odd. */
export function nextEpoch(above: number, rank: 0 | 1): number {
  const candidate = above + 1;
  return candidate % 2 === rank ? candidate : candidate + 1;
}

/**
 * Feeds one input to the core and returns the next state and the actions to carry out.
 *
 * @example
 *   let s = initialState({ epoch: 0, stopped: false }, 0, 'keep');
 *   const out = step(config, s, { kind: 'tick', nowMs: 250 });
 *   s = out.state; // out.actions: [{ kind: 'send', … }]
 */
export function step(config: CoreConfig, state: CoreState, input: Input): { state: CoreState; actions: Action[] } {
  const out: Action[] = [];
  let s = state;
  if (s.releaseOnBoot !== null) {
    // Idempotent: the endpoint ignores a release for an epoch it does not hold for us.
    out.push({ kind: 'release', epoch: s.releaseOnBoot });
    s = { ...s, releaseOnBoot: null };
  }
  // The policy, and the peer's advertised timing, may change with the input: the config is taken again after it.
  s = input.kind === 'policy' ? absorbPolicy(config, s, input, out) : absorb(effectiveConfig(config, s), s, input, out);
  const effective = effectiveConfig(config, s);
  s = evaluate(effective, s, out);
  s = maybeSend(effective, advertised(policyVersion(s), ownConfig(config, s)), s, out, out.some((a) => a.kind === 'claim' || a.kind === 'release'));
  return { state: s, actions: out };
}

/** Takes an input into the state; commands may act at once. */
function absorb(config: CoreConfig, s: CoreState, input: Exclude<Input, { kind: 'policy' }>, out: Action[]): CoreState {
  switch (input.kind) {
    case 'tick':
      return input.nowMs >= s.nowMs ? { ...s, nowMs: input.nowMs } : s;
    case 'health': {
      const now = troubleNow(config, input.health);
      const since = (kind: TriggerKind): number | null => (now[kind] === null ? s.troubleSinceMs[kind] : now[kind] ? (s.troubleSinceMs[kind] ?? s.nowMs) : null);
      const troubleSinceMs = Object.fromEntries(triggerKinds.map((kind) => [kind, since(kind)])) as CoreState['troubleSinceMs'];
      const next = { ...s, health: input.health, troubleSinceMs };
      return s.healthSeen || !locallyHealthy(config, next) ? next : { ...next, healthSeen: true };
    }
    case 'witness': {
      // The shell's word at start that the pair has a controller: no answer yet.
      if (input.source === 'controller' && !input.reachable && s.witness === null) return { ...s, controllerWitness: true };
      const sentAtMs = input.reachable ? (input.sentAtMs ?? null) : null;
      // Answers may come back out of order: the newest send time confirmed is what counts.
      const confirmedSentMs = sentAtMs === null ? s.confirmedSentMs : Math.max(s.confirmedSentMs ?? sentAtMs, sentAtMs);
      const peerReport = input.reachable ? (input.peerReport ?? null) : null;
      // The peer's epoch as the controller knows it: a claim goes above it even while the link is down.
      const epoch = Math.max(s.epoch, peerReport?.epoch ?? 0);
      const controllerWitness = s.controllerWitness || input.source === 'controller' || sentAtMs !== null;
      return { ...s, epoch, confirmedSentMs, controllerWitness, witness: { atMs: s.nowMs, reachable: input.reachable, peerAlive: input.peerAlive, sentAtMs, peerReport } };
    }
    case 'heartbeat':
      return absorbHeartbeat(config, s, input.message, out);
    case 'claim-rejected': {
      const epoch = Math.max(s.epoch, input.currentEpoch);
      if (s.servingEpoch !== input.epoch) return { ...s, epoch };
      out.push(event('serving.fenced', 'warning', `claim with epoch ${input.epoch} refused: epoch ${input.currentEpoch} holds the endpoint`, { epoch: input.epoch, currentEpoch: input.currentEpoch }));
      // The failover did not happen: it does not count against the cap.
      const failoversMs = s.lastClaim?.failover === true ? s.failoversMs.slice(0, -1) : s.failoversMs;
      return { ...s, epoch, servingEpoch: null, state: 'WAIT', failoversMs, lastClaim: null, claimHoldOffUntilMs: s.nowMs + config.peerTimeoutMs };
    }
    case 'command':
      return command(config, s, input.command, out);
    case 'recorder-stopped-unexpectedly':
      return superviseRecorder(config, s, out);
    case 'data-complete':
      return input.complete === s.dataComplete ? s : { ...s, dataComplete: input.complete };
    case 'recorder-held':
      // Released, the recorder is starting again: it must be seen healthy anew, as at boot.
      return input.held === s.recorderHeld ? s : { ...s, recorderHeld: input.held, healthSeen: input.held ? s.healthSeen : false };
  }
}

function absorbHeartbeat(config: CoreConfig, s: CoreState, m: HeartbeatBody, out: Action[]): CoreState {
  if (m.from !== config.peerId || m.clusterId !== config.clusterId) return s;
  const peer: PeerView = { lastHeardMs: s.nowMs, state: m.state, epoch: m.epoch, serving: m.serving, healthy: m.healthy, handoverTo: m.handoverTo, policy: m.policy ?? null, dataComplete: m.dataComplete ?? null };
  const standby = m.state === 'SECOND' && m.healthy;
  // Heard again after a silence: while silent, the peer may have claimed on the controller's
  // word (it saw this node not serving), and that claim's heartbeat may still be on its way.
  // Listen one peer timeout before claiming on what the heartbeats say.
  const returned = !isServing(s.state) && s.peer !== null && s.nowMs - s.peer.lastHeardMs > config.peerTimeoutMs;
  let next: CoreState = {
    ...s,
    peer,
    peerFirstHeardMs: s.peer === null ? s.nowMs : s.peerFirstHeardMs,
    epoch: Math.max(s.epoch, m.epoch),
    peerStandbySinceMs: standby ? (s.peerStandbySinceMs ?? s.nowMs) : null,
    claimHoldOffUntilMs: returned ? Math.max(s.claimHoldOffUntilMs, s.nowMs + config.peerTimeoutMs) : s.claimHoldOffUntilMs,
  };
  // Maintenance is cluster-wide: the higher version wins, ties go to "on" (the safer side).
  if (m.maintenance.version > s.maintenance.version || (m.maintenance.version === s.maintenance.version && m.maintenance.on && !s.maintenance.on)) {
    next = { ...next, maintenance: m.maintenance };
  }
  if (m.preference.version > s.preference.version) {
    next = { ...next, preference: m.preference };
    out.push({ kind: 'persist', epoch: next.epoch, stopped: next.state === 'STOP', failoversMs: next.failoversMs, preference: m.preference });
  }
  // Fencing: a peer serving under a higher epoch wins at once.
  if (isServing(s.state) && m.serving && s.servingEpoch !== null && m.epoch > s.servingEpoch) {
    out.push({ kind: 'release', epoch: s.servingEpoch });
    out.push(event('serving.stepped-down', 'warning', `peer serves under higher epoch ${m.epoch}; stepping down`, { epoch: s.servingEpoch, peerEpoch: m.epoch }));
    next = { ...next, state: 'SECOND', servingEpoch: null };
  }
  // A handover is complete once the peer serves.
  if (next.handover !== null && m.serving) next = { ...next, handover: null };
  return next;
}

/**
 * A cluster policy with a higher version replaces the one in force: its timing, hold-down, cap
 * and triggers apply from this step on. Maintenance and the preferred node are cluster-wide
 * state with versions of their own (the maintenance command, swap): a policy sets them only
 * where it changes them, and then like the command does, one version above what this node
 * knows, so the change spreads over heartbeats and wins over older commands and swaps, while
 * newer ones win over it. A policy that leaves them as they were never overrides an operator.
 * When the peer already runs this version, it made that change and its heartbeats carry it:
 * making it again would override what an operator did since.
 */
function absorbPolicy(config: CoreConfig, s: CoreState, input: Extract<Input, { kind: 'policy' }>, out: Action[]): CoreState {
  const current = policyVersion(s);
  if (input.version <= current) return s;
  const problem = policyProblem(config, input.policy);
  if (problem !== null) {
    out.push(event('policy.rejected', 'error', `cluster policy version ${input.version} not applied: ${problem}`, { version: input.version, runningVersion: current, reason: problem }));
    return s;
  }
  const before = s.policy?.policy ?? bootstrapPolicy(config);
  const after = input.policy;
  const changed = changedPolicyKeys(before, after);
  let next: CoreState = { ...s, policy: { version: input.version, policy: after } };
  out.push(event('policy.applied', 'info', `cluster policy version ${input.version} applied${changed.length === 0 ? '' : ` (changed: ${changed.join(', ')})`}`, { version: input.version, previousVersion: current, changed }));
  const peerMadeIt = (s.peer?.policy?.version ?? -1) >= input.version;
  if (peerMadeIt) return next;
  if (after.maintenance !== before.maintenance) {
    const on = after.maintenance;
    next = { ...next, maintenance: { on, version: s.maintenance.version + 1 } };
    out.push(event(on ? 'maintenance.on' : 'maintenance.off', 'info', `maintenance mode ${on ? 'on: automatic failover suspended' : 'off'} (cluster policy version ${input.version})`, { policyVersion: input.version }));
  }
  if (after.preferredNodeId !== before.preferredNodeId) {
    const preference: Preference = { nodeId: after.preferredNodeId, version: s.preference.version + 1 };
    next = { ...next, preference };
    out.push({ kind: 'persist', epoch: next.epoch, stopped: next.state === 'STOP', failoversMs: next.failoversMs, preference });
  }
  return next;
}

function command(config: CoreConfig, s: CoreState, cmd: Command, out: Action[]): CoreState {
  const result = (ok: boolean, reason: string, handover: Handover | null = null): void => {
    out.push(ok ? { kind: 'command-result', command: cmd, ok: true, reason, handover } : { kind: 'command-result', command: cmd, ok: false, reason });
  };
  switch (cmd) {
    case 'maintenance-on':
    case 'maintenance-off': {
      const on = cmd === 'maintenance-on';
      result(true, on ? 'automatic failover suspended' : 'automatic failover resumed');
      out.push(event(on ? 'maintenance.on' : 'maintenance.off', 'info', on ? 'maintenance mode on: automatic failover suspended' : 'maintenance mode off', {}));
      return { ...s, maintenance: { on, version: s.maintenance.version + 1 } };
    }
    case 'stop': {
      if (s.state === 'STOP') {
        result(true, 'already stopped');
        return s;
      }
      if (s.servingEpoch !== null) out.push({ kind: 'release', epoch: s.servingEpoch });
      out.push({ kind: 'persist', epoch: s.epoch, stopped: true, failoversMs: s.failoversMs, preference: s.preference }, { kind: 'stop-recorder' });
      out.push(event('node.stopped', 'warning', 'node stopped by command', {}));
      result(true, 'stopped');
      return { ...s, state: 'STOP', servingEpoch: null, handover: null };
    }
    case 'start': {
      if (s.state !== 'STOP') {
        result(true, 'already started');
        return s;
      }
      out.push({ kind: 'persist', epoch: s.epoch, stopped: false, failoversMs: s.failoversMs, preference: s.preference }, { kind: 'start-recorder', reason: 'command' });
      out.push(event('node.started', 'info', 'node started by command', {}));
      result(true, 'started');
      return { ...s, state: 'WAIT', bootedAtMs: s.nowMs };
    }
    case 'switch':
    case 'swap': {
      if (!isServing(s.state) || s.servingEpoch === null) {
        result(false, 'not-serving');
        return s;
      }
      if (!standbyReady(config, s)) {
        result(false, 'peer-not-ready');
        return s;
      }
      if (s.handover !== null) {
        result(false, 'switch-in-progress');
        return s;
      }
      // Clean switch: release first, then tell the peer to claim. A swap also makes the peer
      // the preferred node, so failback does not undo it.
      const preference = cmd === 'swap' ? { nodeId: config.peerId, version: s.preference.version + 1 } : s.preference;
      out.push({ kind: 'release', epoch: s.servingEpoch });
      if (cmd === 'swap') out.push({ kind: 'persist', epoch: s.epoch, stopped: false, failoversMs: s.failoversMs, preference });
      out.push(event(cmd === 'swap' ? 'swap.started' : 'switch.started', 'info', `${cmd === 'swap' ? 'swapping roles: ' : ''}switching Serving to ${config.peerId}`, { from: config.nodeId, to: config.peerId, epoch: s.servingEpoch }));
      // The peer claims above every epoch it knows, and it knows ours: the same rule, its rank.
      result(true, cmd === 'swap' ? 'swapping' : 'switching', { to: config.peerId, expectedEpoch: nextClaimEpoch(s, peerRank(config)) });
      return { ...s, state: 'SECOND', servingEpoch: null, handover: { to: config.peerId, sinceMs: s.nowMs }, preference };
    }
  }
}

/** Decides, from the current state, whether to claim, release or change state. */
function evaluate(config: CoreConfig, s: CoreState, out: Action[]): CoreState {
  if (s.state === 'STOP') return s;
  const failovers = s.failoversMs.filter((t) => s.nowMs - t < config.failoverCapWindowMs);
  s = failovers.length === s.failoversMs.length ? s : { ...s, failoversMs: failovers };
  const healthy = readyHealthy(config, s);
  const peer = alivePeer(config, s);
  const witnessOk = s.witness !== null && s.witness.reachable && s.nowMs - s.witness.atMs <= config.witnessTimeoutMs;

  const troubled = !effectivelyHealthy(config, s);
  if (isServing(s.state)) return evaluateServing(config, s, out, { healthy, troubled, peer, witnessOk });
  // Not serving: a failback wait said before ended with the role; the next one is said anew.
  if (s.failbackWaitReported) s = { ...s, failbackWaitReported: false };
  return evaluateStandby(config, s, out, { healthy, troubled, peer, witnessOk });
}

interface View {
  readonly healthy: boolean;
  /** Trouble past its grace: worth an event (a recorder still starting after boot is not). */
  readonly troubled: boolean;
  readonly peer: PeerView | null;
  readonly witnessOk: boolean;
}

function evaluateServing(config: CoreConfig, s: CoreState, out: Action[], v: View): CoreState {
  const epoch = s.servingEpoch as number;
  if (v.peer === null && !v.witnessOk) {
    // Isolated: it may be us that is cut off, and the peer may already serve.
    out.push({ kind: 'release', epoch }, event('serving.isolated', 'critical', 'neither the peer nor the witness answers: stopped serving', { epoch }));
    return { ...s, state: 'WAIT', servingEpoch: null, reported: 'isolated' };
  }
  if (peerSilentMs(s) > releaseGateMs(config, s) && !tcpWitnessVouches(config, s)) {
    // The peer may be asking the controller about this node now. The controller calls it alive
    // until its last report is older than the peer's window; stop serving before that can
    // happen, so that the peer is never told "dead" while this node still serves.
    // (While the controller does not answer and the TCP witness does, the pair runs on the TCP
    // witness as a pair without a controller does: the isolation rule above applies, and the
    // peer, which cannot hear "dead" from a controller that is down, may claim on the TCP
    // witness; the relay's epochs fence what a partial partition could make of that.)
    const releaseByMs = witnessReleaseByMs(config, s);
    if (releaseByMs !== null && s.nowMs >= releaseByMs) {
      const confirmedAgoMs = s.confirmedSentMs === null ? null : Math.round(s.nowMs - s.confirmedSentMs);
      out.push({ kind: 'release', epoch }, event('serving.isolated', 'critical', `the peer is silent and no report sent in the last ${confirmedAgoMs ?? '(ever)'} ms was acknowledged by the controller: stopped serving before the peer can be told this node is gone`, { epoch, confirmedAgoMs }));
      // The peer's last heartbeats may still count as fresh: they must not hand the role straight back.
      return { ...s, state: 'WAIT', servingEpoch: null, reported: 'isolated', claimHoldOffUntilMs: Math.max(s.claimHoldOffUntilMs, s.nowMs + config.peerTimeoutMs) };
    }
    const report = s.witness?.peerReport ?? null;
    if (v.witnessOk && report !== null && report.serving && report.epoch > epoch) {
      // The heartbeat rule, on the controller's word while the link is down.
      out.push({ kind: 'release', epoch }, event('serving.stepped-down', 'warning', `the controller says the peer serves under higher epoch ${report.epoch}; stepping down`, { epoch, peerEpoch: report.epoch }));
      return { ...s, state: 'SECOND', servingEpoch: null };
    }
  }
  const peerReady = standbyReady(config, s);
  if (!v.healthy && canHandOver(config, s)) {
    const failoversMs = [...s.failoversMs, s.nowMs];
    out.push({ kind: 'release', epoch }, { kind: 'persist', epoch: s.epoch, stopped: false, failoversMs, preference: s.preference }, event('failover.local-health', 'error', `local recorder unhealthy: handing Serving to ${config.peerId}`, { epoch, health: s.health, detectionMs: troubleAgeMs(config, s) }));
    return { ...s, state: 'WAIT', servingEpoch: null, handover: { to: config.peerId, sinceMs: s.nowMs }, failoversMs };
  }
  if (!v.healthy && peerReady && !s.maintenance.on && s.reported !== 'capped') {
    // The cap holds the role here although the local recorder is in trouble: say so once.
    out.push(event('failover.capped', 'critical', `local recorder unhealthy but ${config.failoverCapCount} failovers already happened in the window: keeping the Serving role`, { epoch, capCount: config.failoverCapCount, windowMs: config.failoverCapWindowMs }));
    return { ...s, reported: 'capped' };
  }
  const holdDownMet = s.peerStandbySinceMs !== null && s.nowMs - s.peerStandbySinceMs >= config.failbackHoldDownMs;
  const failbackDue = s.preference.nodeId === config.peerId && config.failbackPolicy === 'automatic' && peerReady && holdDownMet && !s.maintenance.on;
  // A failback waits until the preferred node's backfill is done: serving it earlier would show clients its gaps.
  const peerComplete = s.peer?.dataComplete !== false;
  if (failbackDue && peerComplete) {
    out.push({ kind: 'release', epoch }, event('failback.started', 'info', `peer healthy for the hold-down: failing back to ${config.peerId}`, { epoch, holdDownMs: config.failbackHoldDownMs }));
    return { ...s, state: 'SECOND', servingEpoch: null, handover: { to: config.peerId, sinceMs: s.nowMs } };
  }
  // Said once per wait, so an operator who set automatic failback learns why it has not come
  // (backfill still running, paused, outside its window, or disabled on the preferred node).
  const failbackWaiting = failbackDue && !peerComplete;
  if (failbackWaiting && !s.failbackWaitReported) {
    out.push(event('failback.waiting', 'info', `failback to ${config.peerId} waits: it lacks recorded data this node holds, until its backfill completes (a switch with force fails back now)`, { epoch, holdDownMs: config.failbackHoldDownMs }));
  }
  const state: NodeState = peerReady ? 'PRIM' : 'ALONE';
  const reported = v.healthy ? null : s.reported;
  if (state !== s.state) out.push(event(`state.${state.toLowerCase()}`, 'info', state === 'PRIM' ? 'peer is a healthy standby' : 'serving without a standby', { epoch }));
  return { ...s, state, reported, failbackWaitReported: failbackWaiting };
}

function evaluateStandby(config: CoreConfig, s: CoreState, out: Action[], v: View): CoreState {
  if (v.healthy && s.reported === 'unhealthy') {
    // Healthy again after heartbeats that said otherwise: the peer may be taking over on them
    // right now. Listen one peer timeout before claiming, so its claim is heard, not raced.
    s = { ...s, reported: null, claimHoldOffUntilMs: Math.max(s.claimHoldOffUntilMs, s.nowMs + config.peerTimeoutMs) };
  }
  const settle = (state: NodeState, report: string | null = null, ev?: CoreEvent): CoreState => {
    if (report !== null && report !== s.reported && ev !== undefined) out.push({ kind: 'event', event: ev });
    if (state !== s.state && state === 'SECOND') out.push(event('state.second', 'info', 'standby: the peer serves', {}));
    return { ...s, state, reported: report };
  };
  const standbyState: NodeState = v.healthy ? 'SECOND' : 'WAIT';
  const unhealthy = coreEvent('node.unhealthy', 'warning', 'local recorder unhealthy: cannot take the Serving role', { health: s.health });

  if (v.peer !== null) {
    if (v.peer.serving) return settle(standbyState);
    if (!v.healthy) return v.troubled ? settle('WAIT', 'unhealthy', unhealthy) : settle('WAIT');
    // Nobody serves. The node handed over to claims; a node that handed over waits for
    // that, then takes the role back; otherwise a healthy node whose peer is stopped or
    // unhealthy fails over, and between two healthy nodes the tie winner claims.
    if (v.peer.handoverTo === config.nodeId) return claim(config, s, out, 'handover');
    if (s.handover !== null) {
      if (s.nowMs - s.handover.sinceMs < config.handoverTimeoutMs) return settle(standbyState);
      out.push(event('switch.timed-out', 'warning', `${config.peerId} did not take the Serving role: taking it back`, { handoverTimeoutMs: config.handoverTimeoutMs }));
      return claim(config, { ...s, handover: null }, out, 'handover-timeout');
    }
    // Nor does a WAIT node become a standby on them (it may have just given the role up).
    if (!heartbeatClaimSafe(config, s)) return settle(s.state === 'SECOND' ? standbyState : 'WAIT', s.reported);
    if (v.peer.state === 'STOP') return failover(config, s, out, 'peer-stopped');
    if (!v.peer.healthy) return failover(config, s, out, 'peer-unhealthy');
    if (v.peer.handoverTo === null && winsTie(config, s.preference)) return claim(config, s, out, 'boot');
    return settle(standbyState);
  }

  // The peer is silent.
  if (!v.witnessOk) {
    // Just booted, nothing has answered yet: that is a start, not an isolation. The node waits
    // either way; the critical event comes only if the silence outlasts the peer timeout.
    if (s.nowMs - s.bootedAtMs < config.peerTimeoutMs) return settle('WAIT');
    return settle('WAIT', 'isolated', coreEvent('node.isolated', 'critical', 'neither the peer nor the witness answers: waiting, not serving', {}));
  }
  // Back from an isolation with the peer still silent: the peer may well serve, its heartbeats
  // not through yet. Listen one peer timeout before taking over, as at boot; a takeover now
  // would move the role off a healthy peer.
  if (s.reported === 'isolated') return { ...settle('WAIT'), claimHoldOffUntilMs: Math.max(s.claimHoldOffUntilMs, s.nowMs + config.peerTimeoutMs) };
  // The controller's word is only as good as its newest acknowledgement: an old one may say
  // "dead" of a peer that came back since, and a node that claimed on it would soon have to
  // release (its own release rule). Claim only on one within the report cadence.
  if (s.witness?.sentAtMs !== null && !witnessFresh(config, s)) return s;
  if (s.witness?.peerAlive === true) {
    const linkDown = coreEvent('peer.link-down', 'error', 'peer heartbeats lost but the witness still sees the peer: no failover', {});
    const report = s.witness.peerReport;
    // Asked after the last heartbeat heard: the controller's view is the newer one.
    const asked = s.witness.sentAtMs !== null && (s.peer === null || s.witness.sentAtMs > s.peer.lastHeardMs);
    // A node just started gives its peer's heartbeats the timeout to arrive, as below.
    const settled = s.nowMs - s.bootedAtMs >= config.peerTimeoutMs;
    // (In maintenance, or with the cap reached, it stays a link down: no takeover to suspend and report each time.)
    if (report !== null && !report.serving && asked && settled && v.healthy && !s.maintenance.on && capAllows(config, s)) {
      // Alive but not serving, by its own last report: nobody serves. Only a ready standby
      // takes over, and over a SECOND peer only the tie winner, so the two never both claim;
      // a WAIT node becomes that standby only if it wins the tie and its peer waits too (or is
      // stopped). States change one way while the link is down, so a stale report cannot make
      // both claim: see the README, "The rules the core follows".
      if (s.state === 'SECOND' && (report.state !== 'SECOND' || winsTie(config, s.preference))) return failover(config, s, out, report.state === 'STOP' ? 'peer-stopped' : 'peer-not-serving');
      if (s.state === 'WAIT' && (report.state === 'STOP' || (report.state === 'WAIT' && winsTie(config, s.preference)))) return settle('SECOND', 'peer-link-down', linkDown);
    }
    return settle(v.healthy ? s.state : 'WAIT', 'peer-link-down', linkDown);
  }
  if (!v.healthy) return v.troubled ? settle('WAIT', 'unhealthy', unhealthy) : settle('WAIT');
  // Give a freshly started peer the timeout to announce itself before serving alone.
  if (s.nowMs - s.bootedAtMs < config.peerTimeoutMs) return settle(s.state);
  // Once the peer has been heard since boot, taking over is a failover (capped, suspended
  // in maintenance); a node that boots alone simply starts serving.
  return s.peer !== null ? failover(config, s, out, 'peer-dead') : claim(config, s, out, 'boot');
}

/**
 * A recorder that stopped on its own is started again, at most recorderRestartCount times per
 * recorderRestartWindowMs of the core's time; the stop after that is reported as exhausted and
 * the recorder is left stopped. A node stopped by command stays stopped. A Serving node with a
 * ready standby hands over first, because clients move in seconds (evaluateServing does it once
 * the trouble outlasts the grace); the next stop seen after that restarts the recorder.
 */
function superviseRecorder(config: CoreConfig, s: CoreState, out: Action[]): CoreState {
  if (s.state === 'STOP' || (isServing(s.state) && canHandOver(config, s))) return s;
  const windowed = s.recorderRestartsMs.filter((t) => s.nowMs - t <= config.recorderRestartWindowMs);
  if (windowed.length > config.recorderRestartCount) return { ...s, recorderRestartsMs: windowed };
  const recorderRestartsMs = [...windowed, s.nowMs];
  if (windowed.length === config.recorderRestartCount) {
    const windowMinutes = config.recorderRestartWindowMs / 60_000;
    out.push(event('recorder.restart-exhausted', 'critical', `the recording server stopped ${config.recorderRestartCount} times in ${windowMinutes} minutes: not starting it again`, {}));
    return { ...s, recorderRestartsMs };
  }
  const attempt = recorderRestartsMs.length;
  out.push(event('recorder.restarting', 'warning', 'the recording server stopped on its own: starting it again', { attempt }), { kind: 'start-recorder', reason: 'restart', attempt });
  return { ...s, recorderRestartsMs };
}

/** An automatic takeover: counted against the cap and suspended in maintenance. */
function failover(config: CoreConfig, s: CoreState, out: Action[], reason: ClaimReason): CoreState {
  if (s.maintenance.on) {
    if (s.reported !== 'maintenance') out.push(event('failover.suspended', 'warning', `failover needed (${reason}) but maintenance mode is on`, { reason }));
    return { ...s, reported: 'maintenance' };
  }
  if (!capAllows(config, s)) {
    if (s.reported !== 'capped') out.push(event('failover.capped', 'critical', `failover needed (${reason}) but ${config.failoverCapCount} failovers already happened in the window`, { reason, capCount: config.failoverCapCount, windowMs: config.failoverCapWindowMs }));
    return { ...s, state: 'WAIT', reported: 'capped' };
  }
  if (s.nowMs < s.claimHoldOffUntilMs) return s;
  return claim(config, { ...s, failoversMs: [...s.failoversMs, s.nowMs] }, out, reason, true);
}

function claim(config: CoreConfig, s: CoreState, out: Action[], reason: ClaimReason, failover = false): CoreState {
  if (s.nowMs < s.claimHoldOffUntilMs && reason !== 'handover') return s;
  const epoch = nextClaimEpoch(s, config.rank);
  const peerReady = alivePeer(config, s)?.state === 'SECOND';
  const state: NodeState = peerReady ? 'PRIM' : 'ALONE';
  out.push({ kind: 'persist', epoch, stopped: false, failoversMs: s.failoversMs, preference: s.preference }, { kind: 'claim', epoch, reason });
  const planned = reason === 'handover' || reason === 'boot' || reason === 'handover-timeout';
  // How long the peer's silence lasted before this takeover: the failover history's detection time.
  const detection = reason === 'peer-dead' && s.peer !== null ? { detectionMs: Math.max(0, Math.round(s.nowMs - s.peer.lastHeardMs)) } : {};
  out.push(event(planned ? 'serving.claiming' : 'failover.claiming', planned ? 'info' : 'warning', `serving under epoch ${epoch} (${reason})`, { epoch, reason, ...detection }));
  return { ...s, state, epoch, servingEpoch: epoch, handover: null, reported: null, lastClaim: { epoch, failover } };
}

function maybeSend(config: CoreConfig, own: AdvertisedPolicy, s: CoreState, out: Action[], urgent: boolean): CoreState {
  const due = s.lastSentMs === null || s.nowMs - s.lastSentMs >= config.heartbeatIntervalMs;
  if (!due && !urgent) return s;
  out.push({
    kind: 'send',
    message: {
      v: 1,
      kind: 'heartbeat',
      clusterId: config.clusterId,
      from: config.nodeId,
      state: s.state,
      epoch: s.servingEpoch ?? s.epoch,
      serving: isServing(s.state),
      // Not known bad (a recorder still starting counts as healthy, in its grace): the peer's
      // reason to fail over. Whether this node may be handed the role shows in its state (SECOND).
      healthy: s.state !== 'STOP' && effectivelyHealthy(config, s),
      handoverTo: s.handover?.to ?? null,
      maintenance: s.maintenance,
      preference: s.preference,
      // An agent from before the cluster policy refuses a heartbeat with a field it does not
      // know, and would take its peer for dead: once its heartbeats show it is one, say nothing.
      ...(s.peer !== null && s.peer.policy === null ? {} : { policy: own }),
      // The same for an agent from before backfill.
      ...(s.peer !== null && s.peer.dataComplete === null ? {} : { dataComplete: s.dataComplete }),
    },
  });
  return { ...s, lastSentMs: s.nowMs };
}

/**
 * Which kinds of local trouble a health observation shows; null: it cannot tell. A recorder
 * that does not answer is serviceDown, and its storage and cameras are unknown, not failed: a
 * disabled serviceDown trigger is not undone by the others, and a recorder that answers only
 * now and then does not restart their grace with each silence.
 */
function troubleNow(config: CoreConfig, h: LocalHealth): Readonly<Record<TriggerKind, boolean | null>> {
  if (!h.recorderUp) return { serviceDown: true, storageUnavailable: null, recordingShare: null };
  return { serviceDown: false, storageUnavailable: !h.storageOk, recordingShare: h.recordingShare < config.recordingShareMin };
}

/** Since the oldest enabled trouble began (the failover history's detection time), in ms; 0 if none holds. */
function troubleAgeMs(config: CoreConfig, s: CoreState): number {
  const since = triggerKinds.filter((kind) => config.triggers[kind].enabled).map((kind) => s.troubleSinceMs[kind]).filter((t): t is number => t !== null);
  return since.length === 0 ? 0 : Math.max(0, Math.round(s.nowMs - Math.min(...since)));
}

/**
 * Whether no enabled trigger's trouble holds now (grace not counted): the node status's `healthy`.
 *
 * @example
 *   locallyHealthy(config, state) // false while the recorder does not answer and serviceDown is on
 */
export function locallyHealthy(config: CoreConfig, s: CoreState): boolean {
  return triggerKinds.every((kind) => !config.triggers[kind].enabled || s.troubleSinceMs[kind] === null);
}

/**
 * Healthy enough to serve or to be handed the role: the recorder not held stopped, seen healthy
 * since boot (or since the hold), and every enabled trigger's trouble absent or younger than its
 * grace.
 */
function readyHealthy(config: CoreConfig, s: CoreState): boolean {
  return !s.recorderHeld && (s.healthSeen || locallyHealthy(config, s)) && effectivelyHealthy(config, s);
}

/** Healthy: every enabled trigger's trouble is absent, or has lasted less than that trigger's grace. */
function effectivelyHealthy(config: CoreConfig, s: CoreState): boolean {
  return triggerKinds.every((kind) => {
    const trigger = config.triggers[kind];
    const since = s.troubleSinceMs[kind];
    return !trigger.enabled || since === null || s.nowMs - since < (trigger.graceMs ?? config.unhealthyGraceMs);
  });
}

/**
 * Whether a claim may rest on the peer's heartbeats, with a controller: the peer may be about
 * to claim on the controller's word instead (it hears nothing from this node, and the
 * controller tells it this node is not serving, or gone). So only on fresh heartbeats (a peer
 * two heartbeats silent may be losing this node's too), and not in the first three heartbeats
 * after first hearing a peer that has been up a peer timeout, or may have (its claim made
 * before it heard this node is then still on its way, given heartbeats delayed at most one
 * interval). A node booting next to a peer that boots too, as the controller tells, claims at once.
 */
function heartbeatClaimSafe(config: CoreConfig, s: CoreState): boolean {
  if (!s.controllerWitness) return true;
  if (peerSilentMs(s) > 2 * config.heartbeatIntervalMs) return false;
  if (s.peerFirstHeardMs === null || s.nowMs - s.peerFirstHeardMs >= 3 * config.heartbeatIntervalMs) return true;
  // Uptime is reported in whole seconds: up to half a second more.
  const upMs = s.witness?.peerReport?.upMs ?? null;
  return upMs !== null && upMs + 500 < config.peerTimeoutMs;
}

/** How long the peer has been silent (no heartbeat heard); Infinity if it never was heard. */
function peerSilentMs(s: CoreState): number {
  return s.peer === null ? Number.POSITIVE_INFINITY : s.nowMs - s.peer.lastHeardMs;
}

/**
 * The window the controller judges this node by when the peer asks about it: the peer's own
 * peer timeout (it sends it with each report). Both nodes act on the same one unless a policy
 * reached one of them first; the merge only ever lengthens it, so the shorter of this node's
 * and the one the peer last advertised is never longer than the peer's.
 *
 * @example peerWitnessWindowMs(config, state) // 800 with the fast profile on both nodes
 */
export function peerWitnessWindowMs(config: CoreConfig, s: CoreState): number {
  const advertised = s.peer?.policy?.peerTimeoutMs;
  return advertised === undefined ? config.peerTimeoutMs : Math.min(config.peerTimeoutMs, advertised);
}

/**
 * How long before the controller may call it gone a Serving node stops serving: its own ticks
 * and a loaded event loop, one heartbeat interval or an eighth of the window, whichever is
 * longer. (The peer's claim comes later still: the report's trip, the controller's work, the
 * answer's trip back.)
 */
export function witnessMarginMs(config: CoreConfig, windowMs: number): number {
  return Math.max(config.heartbeatIntervalMs, Math.round(windowMs / 8));
}

/**
 * When a Serving node whose peer is silent must have stopped serving: the send time of its
 * newest report the controller acknowledged, plus the peer's window, less the margin; with a
 * controller that never acknowledged one, already (the peer may hear "dead" of it any time).
 * Null without a controller (a TCP witness judges nobody).
 *
 * @example witnessReleaseByMs(config, state) // confirmedSentMs + 800 - 100 (fast)
 */
export function witnessReleaseByMs(config: CoreConfig, s: CoreState): number | null {
  if (s.confirmedSentMs === null) return s.controllerWitness ? Number.NEGATIVE_INFINITY : null;
  const windowMs = peerWitnessWindowMs(config, s);
  return s.confirmedSentMs + windowMs - witnessMarginMs(config, windowMs);
}

/**
 * How long the peer must be silent before a Serving node applies its release rule: the peer
 * claims only once it has not heard this node for its window, and (links symmetric, a heartbeat
 * taking at most an interval) it stopped hearing at most two intervals before this node did; so
 * three intervals short of the window leaves one to spare, and a heartbeat late under load (a
 * few hundred ms) costs no release. At least two intervals: one lost heartbeat is no silence.
 */
export function releaseGateMs(config: CoreConfig, s: CoreState): number {
  return Math.max(2 * config.heartbeatIntervalMs, peerWitnessWindowMs(config, s) - 3 * config.heartbeatIntervalMs);
}

/**
 * The controller does not answer and the TCP witness (its fallback) does: the newest witness
 * answer is a TCP one (no send time), within the witness timeout.
 */
function tcpWitnessVouches(config: CoreConfig, s: CoreState): boolean {
  const w = s.witness;
  return w !== null && w.reachable && w.sentAtMs === null && s.nowMs - w.atMs <= config.witnessTimeoutMs;
}

/**
 * Whether the newest acknowledged report is young enough to claim on: within the report cadence
 * of a node whose peer is silent (witness.ts, reportIntervalMsFor), so the next one is
 * acknowledged before the release rule could fire. True without a controller.
 */
function witnessFresh(config: CoreConfig, s: CoreState): boolean {
  if (!s.controllerWitness) return true;
  if (s.confirmedSentMs === null) return false;
  return s.nowMs - s.confirmedSentMs <= witnessCadenceMs(config, s);
}

/** At most this between the starts of two reports of a node that serves, or whose peer is silent: half what the margin leaves of the peer's window. */
export function witnessCadenceMs(config: CoreConfig, s: CoreState): number {
  const windowMs = peerWitnessWindowMs(config, s);
  return Math.floor((windowMs - witnessMarginMs(config, windowMs)) / 2);
}

function alivePeer(config: CoreConfig, s: CoreState): PeerView | null {
  return s.peer !== null && s.nowMs - s.peer.lastHeardMs <= config.peerTimeoutMs ? s.peer : null;
}

/**
 * Whether the peer is a standby this node could hand the Serving role to: heard within the peer
 * timeout, SECOND and healthy. A switch needs it; so does an automatic handover.
 *
 * @example
 *   standbyReady(config, state) // false until a heartbeat from a healthy SECOND peer arrives
 */
export function standbyReady(config: CoreConfig, s: CoreState): boolean {
  const peer = alivePeer(config, s);
  return peer !== null && peer.state === 'SECOND' && peer.healthy;
}

/**
 * Whether the peer was heard within the peer timeout (as of the core's last tick).
 *
 * @example
 *   peerReachable(config, state) // false once peerTimeoutMs passes without a heartbeat
 */
export function peerReachable(config: CoreConfig, s: CoreState): boolean {
  return alivePeer(config, s) !== null;
}

/** The Serving role may move to the peer automatically: a ready standby, no maintenance, and the failover cap not reached. */
function canHandOver(config: CoreConfig, s: CoreState): boolean {
  return standbyReady(config, s) && !s.maintenance.on && capAllows(config, s);
}

/** The epoch `rank` claims next, from what this node knows: above its own epoch and the peer's. */
function nextClaimEpoch(s: CoreState, rank: 0 | 1): number {
  return nextEpoch(Math.max(s.epoch, s.peer?.epoch ?? 0), rank);
}

function peerRank(config: CoreConfig): 0 | 1 {
  return config.rank === 0 ? 1 : 0;
}

function capAllows(config: CoreConfig, s: CoreState): boolean {
  return s.failoversMs.filter((t) => s.nowMs - t < config.failoverCapWindowMs).length < config.failoverCapCount;
}

/** When both nodes are healthy and neither serves: the preferred node, else rank 0. */
function winsTie(config: CoreConfig, preference: Preference): boolean {
  return preference.nodeId === config.nodeId || (preference.nodeId !== config.peerId && config.rank === 0);
}

function coreEvent(kind: string, severity: CoreEvent['severity'], message: string, data: Record<string, unknown>): CoreEvent {
  return { kind, severity, message, data };
}

function event(kind: string, severity: CoreEvent['severity'], message: string, data: Record<string, unknown>): Action {
  return { kind: 'event', event: coreEvent(kind, severity, message, data) };
}

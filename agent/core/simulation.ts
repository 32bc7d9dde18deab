// A deterministic simulation of a cloned pair for tests: two decision cores, a network that
// loses, delays, duplicates and reorders heartbeats, crashes and restarts, partitions,
// isolation from the witness (the controller modelled as the real one answers: reports sent
// on the shell's cadence, delayed each way, the peer judged alive by the age of its last
// arrived report against the asking node's window, and its state as of that report), local health faults, recorders that stop on their own and are
// started again, operator commands, cluster policies arriving at each node (stored by it, so
// they survive its restarts), and a serving endpoint (the relay) that fences claims by epoch
// with the real fencing rule (fencing.ts). Pure: the same schedule and seed always give the
// same run.
import type { ClusterPolicySettings } from '../../contracts/cluster-policy-v1.js';
import type { HeartbeatBody } from '../../contracts/peer-v1.js';
import { coreConfig, type CoreConfig, type TriggerKind } from './config.js';
import { effectiveConfig, initialState, isServing, policyVersion, step, type Action, type Command, type CoreState, type Input, type LocalHealth, type PeerReport, type Persisted } from './decide.js';
import { claimFence, releaseFence, type Fence } from './fencing.js';
import { corePolicyOf, type PolicyInForce } from './policy.js';
import { reportIntervalMsFor, witnessUrgent } from './witness.js';

export type Fault =
  | { readonly kind: 'crash'; readonly node: 0 | 1; readonly atMs: number; readonly restartAtMs: number | null }
  | { readonly kind: 'partition'; readonly fromMs: number; readonly toMs: number }
  | { readonly kind: 'isolate'; readonly node: 0 | 1; readonly fromMs: number; readonly toMs: number }
  /** The node's reports reach the controller but no answer comes back in time (a starved host: the link times out); its heartbeats flow. */
  | { readonly kind: 'answers-lost'; readonly node: 0 | 1; readonly fromMs: number; readonly toMs: number }
  /** Local trouble of one kind (default serviceDown: the recorder does not answer). */
  | { readonly kind: 'unhealthy'; readonly node: 0 | 1; readonly fromMs: number; readonly toMs: number; readonly trouble?: TriggerKind }
  /** The node's recorder stops on its own (if it runs); the node's supervision may start it again. */
  | { readonly kind: 'recorder-crash'; readonly node: 0 | 1; readonly atMs: number };

/** An operator command given to one node at a point in time. */
export interface SimCommand {
  readonly atMs: number;
  readonly node: 0 | 1;
  readonly command: Command;
}

/** A cluster policy the controller offers one node from a point in time on (in every answer, so a node that is down gets it once up); the node stores it, as the shell does. */
export interface SimPolicy {
  readonly atMs: number;
  readonly node: 0 | 1;
  readonly version: number;
  /** In the wire contract's terms; the preferred node is `node-a`, `node-b` or null. */
  readonly settings: ClusterPolicySettings;
}

export interface Schedule {
  readonly seed: number;
  readonly durationMs: number;
  readonly lossPercent: number;
  readonly duplicatePercent: number;
  readonly delayMsMax: number;
  /** controller: the witness knows whether the peer is alive; tcp: it only answers. */
  readonly witness: 'controller' | 'tcp';
  /** Controller witness: the most a report, or its answer, takes on the way (each drawn from 0 up to it); default 20. */
  readonly reportDelayMsMax?: number;
  readonly faults: readonly Fault[];
  readonly commands?: readonly SimCommand[];
  readonly policies?: readonly SimPolicy[];
  /** Agents from before the cluster policy: their heartbeats leave out the policy, and they drop heartbeats that carry one (their schema is strict). */
  readonly legacyNodes?: readonly (0 | 1)[];
  readonly overrides?: Partial<CoreConfig>;
}

/** An action a core returned (heartbeat sends left out), with when and where. */
export interface SimAction {
  readonly atMs: number;
  readonly node: 0 | 1;
  readonly action: Action;
}

export interface Observation {
  readonly atMs: number;
  readonly states: readonly [string, string];
  readonly servingEpochs: readonly [number | null, number | null];
  readonly relay: { readonly epoch: number; readonly pointsTo: 0 | 1 | null };
  /** The policy version each node runs (null while it is down). */
  readonly policyVersions: readonly [number | null, number | null];
}

export interface SimResult {
  readonly observations: readonly Observation[];
  /** Automatic failovers by node: accepted takeovers and local-health handovers, by time. */
  readonly failoversMs: readonly [number[], number[]];
  /** Every action but heartbeat sends, in order; at most simActionsMax. */
  readonly actions: readonly SimAction[];
  readonly violations: readonly string[];
  /** Ticks at which both nodes said they serve (whatever their epochs): the fencing endpoint keeps clients on one, but a node must never count on it. */
  readonly overlapsMs: readonly number[];
  /** Each node's config from its agent.yaml (the bootstrap policy). */
  readonly configs: readonly [CoreConfig, CoreConfig];
  /** Each node's config at the end of the run, its policy and the merge with its peer's timing included (null: down). */
  readonly effectiveConfigs: readonly [CoreConfig | null, CoreConfig | null];
}

export const simTickMs = 50;
export const witnessIntervalMs = 500;
/** The controller link's report interval (the shell's default for the fast profile; conservative waits 1 s), and how long it waits for an answer. */
export const reportIntervalMs = 500;
export const reportTimeoutMs = 2_000;
const healthIntervalMs = 250;
/** How often the shell asks the service manager whether the recorder runs (shell/loops.ts). */
export const serviceCheckIntervalMs = 1_000;
/** How long a recorder takes from "start" to answering its probe. */
export const recorderStartMs = 500;
export const simActionsMax = 20_000;

/** The simulated relay points at a node by its index. */
interface SimTarget {
  readonly nodeId: string;
  readonly node: 0 | 1;
}
const sameNode = (a: SimTarget, b: SimTarget): boolean => a.node === b.node;

/**
 * mulberry32: a tiny seeded PRNG of floats in [0, 1), so runs replay exactly.
 *
 * @example const next = prng(1); next() // 0.6270739405881613
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const within = (t: number, f: { fromMs: number; toMs: number }): boolean => t >= f.fromMs && t < f.toMs;
/** Whether `atMs` falls in the tick that ends at `t`. */
const dueAt = (t: number, atMs: number): boolean => atMs > t - simTickMs && atMs <= t;
const isFailover = (action: Extract<Action, { kind: 'claim' }>): boolean => action.reason === 'peer-dead' || action.reason === 'peer-unhealthy' || action.reason === 'peer-stopped' || action.reason === 'peer-not-serving';

/** A report on its way to the controller, its answer on the way back, or the ask failing (the link's timeout). */
type ReportLeg =
  | { readonly kind: 'arrive'; readonly atMs: number; readonly node: 0 | 1; readonly sentAtMs: number; readonly report: PeerReport; readonly windowMs: number }
  | { readonly kind: 'answer'; readonly atMs: number; readonly node: 0 | 1; readonly sentAtMs: number; readonly peerAlive: boolean; readonly peerReport: PeerReport | null }
  | { readonly kind: 'fail'; readonly atMs: number; readonly node: 0 | 1; readonly sentAtMs: number };

export function simulate(schedule: Schedule): SimResult {
  const random = prng(schedule.seed);
  const ids = ['node-a', 'node-b'] as const;
  const configs = [0, 1].map((rank) =>
    coreConfig({ nodeId: ids[rank] as string, peerId: ids[1 - rank] as string, clusterId: 'c1', rank: rank as 0 | 1, preferredNodeId: 'node-a' }, 'conservative', schedule.overrides ?? {}),
  ) as unknown as [CoreConfig, CoreConfig];
  const persisted: [Persisted, Persisted] = [
    { epoch: 0, stopped: false, failoversMs: [] },
    { epoch: 0, stopped: false, failoversMs: [] },
  ];
  /** The policy each node stored, read again when it restarts. */
  const stored: [PolicyInForce | null, PolicyInForce | null] = [null, null];
  const boot = (n: 0 | 1, t: number): CoreState => initialState(persisted[n], t, 'keep', 'node-a', stored[n]);
  const cores: [CoreState | null, CoreState | null] = [boot(0, 0), boot(1, 0)];
  const legacy = new Set(schedule.legacyNodes ?? []);
  const targets: readonly [SimTarget, SimTarget] = [
    { nodeId: ids[0], node: 0 },
    { nodeId: ids[1], node: 1 },
  ];
  let relay: Fence<SimTarget> = { epoch: 0, target: null };
  /** When each node's recorder runs from (it may still be starting); null while it is stopped. */
  const recorderFromMs: [number | null, number | null] = [0, 0];
  const actions: SimAction[] = [];
  const inFlight: { atMs: number; to: 0 | 1; message: HeartbeatBody; order: number }[] = [];
  const failoversMs: [number[], number[]] = [[], []];
  const observations: Observation[] = [];
  const violations: string[] = [];
  const overlapsMs: number[] = [];
  let order = 0;
  // The controller's view: when each node's last report arrived, and what it said.
  const lastArrivalMs: [number | null, number | null] = [null, null];
  const lastReport: [PeerReport | null, PeerReport | null] = [null, null];
  // Each node's report loop (its process: a restart starts it anew).
  const link = [0, 1].map(() => ({ outstanding: false, nextAtMs: 0, wasUrgent: false, generation: 0 }));
  const legs: (ReportLeg & { readonly generation: number })[] = [];
  const reportDelay = (): number => Math.floor(random() * ((schedule.reportDelayMsMax ?? 20) + 1));

  const crashed = (n: 0 | 1, t: number): boolean => schedule.faults.some((f) => f.kind === 'crash' && f.node === n && t >= f.atMs && (f.restartAtMs === null || t < f.restartAtMs));
  const partitioned = (t: number): boolean => schedule.faults.some((f) => f.kind === 'partition' && within(t, f));
  const isolated = (n: 0 | 1, t: number): boolean => schedule.faults.some((f) => f.kind === 'isolate' && f.node === n && within(t, f));
  const deaf = (n: 0 | 1, t: number): boolean => schedule.faults.some((f) => f.kind === 'answers-lost' && f.node === n && within(t, f));
  const trouble = (n: 0 | 1, t: number): TriggerKind | null => {
    const fault = schedule.faults.find((f) => f.kind === 'unhealthy' && f.node === n && within(t, f));
    return fault?.kind === 'unhealthy' ? (fault.trouble ?? 'serviceDown') : null;
  };
  const recorderUp = (n: 0 | 1, t: number): boolean => recorderFromMs[n] !== null && (recorderFromMs[n] as number) <= t;
  const linkDown = (t: number): boolean => partitioned(t) || isolated(0, t) || isolated(1, t);

  const feed = (n: 0 | 1, input: Input, t: number, depth = 0): void => {
    const core = cores[n];
    if (core === null || depth > 4) return;
    const out = step(configs[n], core, input);
    cores[n] = out.state;
    for (const action of out.actions) carryOut(n, action, t, depth);
  };

  const carryOut = (n: 0 | 1, action: Action, t: number, depth: number): void => {
    if (action.kind !== 'send' && actions.length < simActionsMax) actions.push({ atMs: t, node: n, action });
    switch (action.kind) {
      case 'persist':
        persisted[n] = { epoch: action.epoch, stopped: action.stopped, failoversMs: [...action.failoversMs], preference: action.preference };
        return;
      case 'claim': {
        const claimed = claimFence(relay, action.epoch, targets[n], sameNode);
        // A failover is a takeover the endpoint accepted; a fenced claim moved nothing.
        if (claimed.outcome.accepted && claimed.fence !== relay && isFailover(action)) failoversMs[n].push(t);
        relay = claimed.fence;
        if (!claimed.outcome.accepted) feed(n, { kind: 'claim-rejected', epoch: action.epoch, currentEpoch: claimed.outcome.currentEpoch }, t, depth + 1);
        return;
      }
      case 'release':
        relay = releaseFence(relay, action.epoch, targets[n].nodeId);
        return;
      case 'start-recorder':
        if (recorderFromMs[n] === null) recorderFromMs[n] = t + recorderStartMs;
        return;
      case 'stop-recorder':
        recorderFromMs[n] = null;
        return;
      case 'send': {
        if (linkDown(t) || random() * 100 < schedule.lossPercent) return;
        const copies = random() * 100 < schedule.duplicatePercent ? 2 : 1;
        const { policy: _policy, ...withoutPolicy } = action.message;
        const body = legacy.has(n) ? withoutPolicy : action.message;
        for (let c = 0; c < copies; c += 1) {
          // A network duplicate: the real transport drops the second copy as a replay; the core must not care either way.
          inFlight.push({ atMs: t + Math.floor(random() * (schedule.delayMsMax + 1)), to: (1 - n) as 0 | 1, message: body, order: order++ });
        }
        return;
      }
      case 'event':
        if (action.event.kind === 'failover.local-health') failoversMs[n].push(t);
        return;
      default:
        return;
    }
  };

  // As the shell does at start: the pair has a controller, before any answer (restarts below).
  if (schedule.witness === 'controller') for (const n of [0, 1] as const) feed(n, { kind: 'witness', reachable: false, peerAlive: null, source: 'controller' }, 0);
  for (let t = 0; t <= schedule.durationMs; t += simTickMs) {
    for (const n of [0, 1] as const) {
      const down = crashed(n, t);
      if (down && cores[n] !== null) cores[n] = null;
      if (!down && cores[n] === null) {
        cores[n] = boot(n, t);
        link[n] = { outstanding: false, nextAtMs: t, wasUrgent: false, generation: (link[n]?.generation ?? 0) + 1 };
        if (schedule.witness === 'controller') feed(n, { kind: 'witness', reachable: false, peerAlive: null, source: 'controller' }, t);
      }
      // The recorder is a process of its own: it stops on its own whether its agent runs or not.
      if (schedule.faults.some((f) => f.kind === 'recorder-crash' && f.node === n && dueAt(t, f.atMs))) recorderFromMs[n] = null;
    }
    // The shell ticks before every input (driver.ts), so every input here is decided at t.
    for (const n of [0, 1] as const) feed(n, { kind: 'tick', nowMs: t }, t);
    inFlight.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
    while (inFlight.length > 0 && (inFlight[0] as { atMs: number }).atMs <= t) {
      const m = inFlight.shift() as (typeof inFlight)[number];
      const understood = !legacy.has(m.to) || m.message.policy === undefined;
      if (!linkDown(t) && understood) feed(m.to, { kind: 'heartbeat', message: m.message }, t);
    }
    if (schedule.witness === 'controller') exchangeReports(t);
    for (const n of [0, 1] as const) {
      if (schedule.witness === 'tcp' && t % witnessIntervalMs === 0) {
        const reachable = !isolated(n, t);
        feed(n, { kind: 'witness', reachable, peerAlive: null }, t);
      }
      if (t % healthIntervalMs === 0) feed(n, { kind: 'health', health: healthOf(recorderUp(n, t) ? trouble(n, t) : 'serviceDown') }, t);
      // The controller's answers carry its newest policy for the node, so one sent while the
      // node was down arrives once it is up. The shell stores it before it feeds it.
      const offered = newestPolicy(schedule.policies ?? [], n, t);
      if (offered !== null && cores[n] !== null && offered.version > (stored[n]?.version ?? 0)) {
        stored[n] = { version: offered.version, policy: corePolicyOf(offered.settings) };
        feed(n, { kind: 'policy', version: offered.version, policy: stored[n].policy }, t);
      }
      // Nothing here stops a recorder on the agent's behalf but stop-recorder, which leaves the core in STOP.
      if (t % serviceCheckIntervalMs === 0 && recorderFromMs[n] === null) feed(n, { kind: 'recorder-stopped-unexpectedly' }, t);
      for (const c of schedule.commands ?? []) if (c.node === n && dueAt(t, c.atMs)) feed(n, { kind: 'command', command: c.command }, t);
    }

    const [a, b] = cores;
    const servingEpochs: [number | null, number | null] = [a !== null && isServing(a.state) ? a.servingEpoch : null, b !== null && isServing(b.state) ? b.servingEpoch : null];
    if (servingEpochs[0] !== null && servingEpochs[0] === servingEpochs[1]) violations.push(`${t} ms: both nodes serve under epoch ${servingEpochs[0]}`);
    if (servingEpochs[0] !== null && servingEpochs[1] !== null) overlapsMs.push(t);
    const pointsTo = relay.target?.node ?? null;
    if (pointsTo !== null) {
      const holder = cores[pointsTo];
      if (holder !== null && servingEpochs[pointsTo] !== relay.epoch) violations.push(`${t} ms: the relay points at ${ids[pointsTo]} under epoch ${relay.epoch}, which it does not serve`);
    }
    const policyVersions: [number | null, number | null] = [a === null ? null : policyVersion(a), b === null ? null : policyVersion(b)];
    observations.push({ atMs: t, states: [a?.state ?? 'DOWN', b?.state ?? 'DOWN'], servingEpochs, relay: { epoch: relay.epoch, pointsTo }, policyVersions });
  }
  const effectiveConfigs = [0, 1].map((n) => (cores[n] === null ? null : effectiveConfig(configs[n] as CoreConfig, cores[n] as CoreState))) as [CoreConfig | null, CoreConfig | null];
  return { observations, failoversMs, actions, violations, overlapsMs, configs, effectiveConfigs };

  /**
   * The controller link of each node at tick `t`, as shell/controller-link.ts runs it: one
   * report at a time, the next after the answer and the wait the core's cadence gives (cut
   * short when the node turns urgent). A node isolated when it sends, or when the answer comes
   * back, gets a failure after the link's timeout. The controller answers as agent-link.ts
   * does: alive if the peer's last report arrived within the asking node's window.
   */
  function exchangeReports(t: number): void {
    for (const n of [0, 1] as const) {
      const core = cores[n];
      const l = link[n];
      if (core === null || l === undefined) continue;
      const config = effectiveConfig(configs[n], core);
      const urgent = witnessUrgent(config, core);
      if (urgent && !l.wasUrgent) l.nextAtMs = Math.min(l.nextAtMs, t);
      l.wasUrgent = urgent;
      if (l.outstanding || t < l.nextAtMs) continue;
      l.outstanding = true;
      const report: PeerReport = { state: core.state, serving: isServing(core.state), epoch: core.servingEpoch ?? core.epoch, upMs: Math.round((t - core.bootedAtMs) / 1000) * 1000 };
      legs.push(isolated(n, t) ? { kind: 'fail', atMs: t + reportTimeoutMs, node: n, sentAtMs: t, generation: l.generation } : { kind: 'arrive', atMs: t + reportDelay(), node: n, sentAtMs: t, report, windowMs: config.peerTimeoutMs, generation: l.generation });
    }
    legs.sort((x, y) => x.atMs - y.atMs);
    while (legs.length > 0 && (legs[0] as ReportLeg).atMs <= t) {
      const leg = legs.shift() as (typeof legs)[number];
      const n = leg.node;
      if (leg.kind === 'arrive') {
        const peer = (1 - n) as 0 | 1;
        lastArrivalMs[n] = t;
        lastReport[n] = leg.report;
        const peerArrivalMs = lastArrivalMs[peer];
        const peerAlive = peerArrivalMs !== null && t - peerArrivalMs <= leg.windowMs;
        const peerLast = lastReport[peer];
        // As controller-link.ts reads the answer: the reported uptime plus the report's age.
        const peerReport = peerLast === null || peerArrivalMs === null ? null : { ...peerLast, upMs: (peerLast.upMs ?? 0) + (t - peerArrivalMs) };
        const answerAtMs = t + reportDelay();
        legs.push(isolated(n, answerAtMs) || deaf(n, answerAtMs) ? { kind: 'fail', atMs: leg.sentAtMs + reportTimeoutMs, node: n, sentAtMs: leg.sentAtMs, generation: leg.generation } : { kind: 'answer', atMs: answerAtMs, node: n, sentAtMs: leg.sentAtMs, peerAlive, peerReport, generation: leg.generation });
        legs.sort((x, y) => x.atMs - y.atMs);
        continue;
      }
      const l = link[n];
      if (cores[n] === null || l === undefined || l.generation !== leg.generation) continue;
      if (leg.kind === 'answer') feed(n, { kind: 'witness', reachable: true, peerAlive: leg.peerAlive, sentAtMs: leg.sentAtMs, peerReport: leg.peerReport }, t);
      else feed(n, { kind: 'witness', reachable: false, peerAlive: null }, t);
      const core = cores[n];
      if (core === null) continue;
      const config = effectiveConfig(configs[n], core);
      l.outstanding = false;
      l.nextAtMs = t + Math.max(0, reportIntervalMsFor(config, core, reportIntervalMs) - (t - leg.sentAtMs));
    }
  }
}

/** The highest-versioned policy sent to node `n` by time `t`, or null. */
function newestPolicy(policies: readonly SimPolicy[], n: 0 | 1, t: number): SimPolicy | null {
  let newest: SimPolicy | null = null;
  for (const p of policies) if (p.node === n && p.atMs <= t && (newest === null || p.version > newest.version)) newest = p;
  return newest;
}

/** What the health probe reports with one kind of trouble (null: none). */
function healthOf(trouble: TriggerKind | null): LocalHealth {
  switch (trouble) {
    case null:
      return { recorderUp: true, storageOk: true, recordingShare: 1 };
    case 'serviceDown':
      return { recorderUp: false, storageOk: true, recordingShare: 0 };
    case 'storageUnavailable':
      return { recorderUp: true, storageOk: false, recordingShare: 1 };
    case 'recordingShare':
      return { recorderUp: true, storageOk: true, recordingShare: 0.2 };
  }
}

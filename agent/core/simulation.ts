// A deterministic simulation of a cloned pair for tests: two decision cores, a network that
// loses, delays, duplicates and reorders heartbeats, crashes and restarts, partitions,
// isolation from the witness, local health faults, recorders that stop on their own and are
// started again, operator commands, and a serving endpoint (the relay) that fences claims by
// epoch with the real fencing rule (fencing.ts). Pure: the same schedule and seed always give
// the same run.
import type { Heartbeat } from '../../contracts/peer-v1.js';
import { coreConfig, type CoreConfig } from './config.js';
import { initialState, isServing, step, type Action, type Command, type CoreState, type Input, type LocalHealth, type Persisted } from './decide.js';
import { claimFence, releaseFence, type Fence } from './fencing.js';

export type Fault =
  | { readonly kind: 'crash'; readonly node: 0 | 1; readonly atMs: number; readonly restartAtMs: number | null }
  | { readonly kind: 'partition'; readonly fromMs: number; readonly toMs: number }
  | { readonly kind: 'isolate'; readonly node: 0 | 1; readonly fromMs: number; readonly toMs: number }
  | { readonly kind: 'unhealthy'; readonly node: 0 | 1; readonly fromMs: number; readonly toMs: number }
  /** The node's recorder stops on its own (if it runs); the node's supervision may start it again. */
  | { readonly kind: 'recorder-crash'; readonly node: 0 | 1; readonly atMs: number };

/** An operator command given to one node at a point in time. */
export interface SimCommand {
  readonly atMs: number;
  readonly node: 0 | 1;
  readonly command: Command;
}

export interface Schedule {
  readonly seed: number;
  readonly durationMs: number;
  readonly lossPercent: number;
  readonly duplicatePercent: number;
  readonly delayMsMax: number;
  /** controller: the witness knows whether the peer is alive; tcp: it only answers. */
  readonly witness: 'controller' | 'tcp';
  readonly faults: readonly Fault[];
  readonly commands?: readonly SimCommand[];
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
}

export interface SimResult {
  readonly observations: readonly Observation[];
  /** Automatic failovers by node: accepted takeovers and local-health handovers, by time. */
  readonly failoversMs: readonly [number[], number[]];
  /** Every action but heartbeat sends, in order; at most simActionsMax. */
  readonly actions: readonly SimAction[];
  readonly violations: readonly string[];
  readonly configs: readonly [CoreConfig, CoreConfig];
}

export const simTickMs = 50;
export const witnessIntervalMs = 500;
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

/** mulberry32: a tiny seeded PRNG, so runs replay exactly. */
function prng(seed: number): () => number {
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
const isFailover = (action: Extract<Action, { kind: 'claim' }>): boolean => action.reason === 'peer-dead' || action.reason === 'peer-unhealthy' || action.reason === 'peer-stopped';

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
  const cores: [CoreState | null, CoreState | null] = [initialState(persisted[0], 0, 'keep', 'node-a'), initialState(persisted[1], 0, 'keep', 'node-a')];
  const targets: readonly [SimTarget, SimTarget] = [
    { nodeId: ids[0], node: 0 },
    { nodeId: ids[1], node: 1 },
  ];
  let relay: Fence<SimTarget> = { epoch: 0, target: null };
  /** When each node's recorder runs from (it may still be starting); null while it is stopped. */
  const recorderFromMs: [number | null, number | null] = [0, 0];
  const actions: SimAction[] = [];
  const inFlight: { atMs: number; to: 0 | 1; message: Heartbeat; order: number }[] = [];
  const failoversMs: [number[], number[]] = [[], []];
  const observations: Observation[] = [];
  const violations: string[] = [];
  let order = 0;
  let seq = 0;

  const crashed = (n: 0 | 1, t: number): boolean => schedule.faults.some((f) => f.kind === 'crash' && f.node === n && t >= f.atMs && (f.restartAtMs === null || t < f.restartAtMs));
  const partitioned = (t: number): boolean => schedule.faults.some((f) => f.kind === 'partition' && within(t, f));
  const isolated = (n: 0 | 1, t: number): boolean => schedule.faults.some((f) => f.kind === 'isolate' && f.node === n && within(t, f));
  const unhealthy = (n: 0 | 1, t: number): boolean => schedule.faults.some((f) => f.kind === 'unhealthy' && f.node === n && within(t, f));
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
        for (let c = 0; c < copies; c += 1) {
          const message: Heartbeat = { ...action.message, seq: seq++, echoSeq: -1, echoHeldMs: 0 };
          inFlight.push({ atMs: t + Math.floor(random() * (schedule.delayMsMax + 1)), to: (1 - n) as 0 | 1, message, order: order++ });
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

  for (let t = 0; t <= schedule.durationMs; t += simTickMs) {
    for (const n of [0, 1] as const) {
      const down = crashed(n, t);
      if (down && cores[n] !== null) cores[n] = null;
      if (!down && cores[n] === null) cores[n] = initialState(persisted[n], t, 'keep', 'node-a');
      // The recorder is a process of its own: it stops on its own whether its agent runs or not.
      if (schedule.faults.some((f) => f.kind === 'recorder-crash' && f.node === n && dueAt(t, f.atMs))) recorderFromMs[n] = null;
    }
    inFlight.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
    while (inFlight.length > 0 && (inFlight[0] as { atMs: number }).atMs <= t) {
      const m = inFlight.shift() as (typeof inFlight)[number];
      if (!linkDown(t)) feed(m.to, { kind: 'heartbeat', message: m.message }, t);
    }
    for (const n of [0, 1] as const) {
      const peer = (1 - n) as 0 | 1;
      if (t % witnessIntervalMs === 0) {
        const reachable = !isolated(n, t);
        const peerAlive = schedule.witness === 'tcp' ? null : !crashed(peer, t) && !isolated(peer, t);
        feed(n, { kind: 'witness', reachable, peerAlive: reachable ? peerAlive : null }, t);
      }
      if (t % healthIntervalMs === 0) {
        const health: LocalHealth = unhealthy(n, t) || !recorderUp(n, t) ? { recorderUp: false, storageOk: true, recordingShare: 0 } : { recorderUp: true, storageOk: true, recordingShare: 1 };
        feed(n, { kind: 'health', health }, t);
      }
      // Nothing here stops a recorder on the agent's behalf but stop-recorder, which leaves the core in STOP.
      if (t % serviceCheckIntervalMs === 0 && recorderFromMs[n] === null) feed(n, { kind: 'recorder-stopped-unexpectedly' }, t);
      feed(n, { kind: 'tick', nowMs: t }, t);
      for (const c of schedule.commands ?? []) if (c.node === n && dueAt(t, c.atMs)) feed(n, { kind: 'command', command: c.command }, t);
    }

    const [a, b] = cores;
    const servingEpochs: [number | null, number | null] = [a !== null && isServing(a.state) ? a.servingEpoch : null, b !== null && isServing(b.state) ? b.servingEpoch : null];
    if (servingEpochs[0] !== null && servingEpochs[0] === servingEpochs[1]) violations.push(`${t} ms: both nodes serve under epoch ${servingEpochs[0]}`);
    const pointsTo = relay.target?.node ?? null;
    if (pointsTo !== null) {
      const holder = cores[pointsTo];
      if (holder !== null && servingEpochs[pointsTo] !== relay.epoch) violations.push(`${t} ms: the relay points at ${ids[pointsTo]} under epoch ${relay.epoch}, which it does not serve`);
    }
    observations.push({ atMs: t, states: [a?.state ?? 'DOWN', b?.state ?? 'DOWN'], servingEpochs, relay: { epoch: relay.epoch, pointsTo } });
  }
  return { observations, failoversMs, actions, violations, configs };
}

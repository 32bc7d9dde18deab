import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultPoolSettings } from '../../../contracts/cluster-policy-v1.js';
import type { PoolFailbackSyncStatus, PoolHotStatus, PoolStandbyStatus } from '../../../contracts/pool-v1.js';
import { leaseStep, type LeaseState } from './standby-leases.js';
import { failbackClockMarginMs, hotReportLagMs, hotRetryDelayMs, parseSupervisorState, poolReportSignal, resumeStartGraceMs, serializeSupervisorState, supervisorInitial, sweep, triggerSettingsOf, unsupervisedMsMin, withResumeEpoch, type LeaseView, type ServerObservation, type SupervisedServer, type SupervisedStandby, type SupervisorState, type SweepInput, type SweepOutput } from './pool-supervisor.js';

// A small simulated pool: the sweep's lease moves land in an in-memory lease table (compare-and-set
// as standby-leases.ts does it), its orders drive simulated standby agents and protected servers
// (as agent/pool's core answers them), and time advances one second per sweep.

const settings = triggerSettingsOf({ ...defaultPoolSettings, triggers: { ...defaultPoolSettings.triggers, disconnectedSeconds: 5 }, holdDownSeconds: 10, failbackRecordings: 'discard' });
const config = { xml: 'PFJlY29yZGVyQ29uZmlnLz4=', sha256: 'a'.repeat(64) };
const rs = (n: number): string => `00000000-0000-4000-8000-00000000000${n}`;
const camera = (i: number) => ({ deviceId: `c0000000-0000-4000-8000-00000000000${i}`, name: `Cam ${i}`, level: 'full' as const });

function server(nodeId: string, o: Partial<SupervisedServer> = {}): SupervisedServer {
  return { nodeId, name: `rs-${nodeId.slice(-1)}`, primaryGroupId: 'g', secondaryGroupId: null, hotStandbyNodeId: null, selection: 'sequence', sharedAddress: `10.0.0.${nodeId.slice(-1)}:7563`, recorderConfig: config, cameras: [camera(1), camera(2)], ...o };
}

type AgentState = Pick<PoolStandbyStatus, 'state' | 'protectedNodeId' | 'epoch' | 'error'>;

class Sim {
  nowMs = 1_000_000;
  leases = new Map<string, LeaseView>();
  epoch = 1;
  agents = new Map<string, AgentState & { persisted: number; failNext: boolean; hot: PoolHotStatus | null; hotFailures: number }>();
  /** When the last sweep ran (pool_supervision); null: never. */
  lastSupervisedMs: number | null = null;
  protectedUp = new Map<string, { reporting: boolean; lastReportAtMs: number; servingEpoch: number | null; fencedAt: number; failbackSync?: PoolFailbackSyncStatus | null; recorderDown?: boolean }>();
  /** The policy's pool.failbackStallMinutes; undefined: the sweep's default. */
  failbackStallMinutes: number | undefined = undefined;
  /** Trigger settings other than the file's `settings` (and `manual`). */
  settingsOverride: typeof settings | null = null;
  states = new Map<string, SupervisorState>();
  cooldowns = new Map<string, number>();
  events: SweepOutput['events'] = [];
  orders: SweepOutput['orders'] = [];
  constructor(
    readonly servers: SupervisedServer[],
    readonly groups: Map<string, string[]>,
    capacities: Record<string, number>,
    readonly failbackRecordings: 'sync' | 'discard' = 'discard',
    readonly manual = false,
  ) {
    for (const [id] of Object.entries(capacities)) {
      this.leases.set(id, { standbyNodeId: id, protectedNodeId: null, epoch: 0, state: 'free', version: 1, sinceMs: this.nowMs });
      this.agents.set(id, { state: 'free', protectedNodeId: null, epoch: 0, error: null, persisted: 0, failNext: false, hot: null, hotFailures: 0 });
    }
    this.capacities = capacities;
    for (const s of servers) this.protectedUp.set(s.nodeId, { reporting: true, lastReportAtMs: this.nowMs, servingEpoch: 1, fencedAt: 0 });
  }
  capacities: Record<string, number>;

  input(): SweepInput {
    const observations = new Map<string, ServerObservation>();
    for (const [id, p] of this.protectedUp) {
      if (p.reporting) p.lastReportAtMs = this.nowMs;
      observations.set(id, { lastReportAtMs: p.lastReportAtMs, recorderRunning: p.servingEpoch !== null && p.recorderDown !== true, storageOk: true, servingEpoch: p.servingEpoch, failbackSync: p.failbackSync ?? null });
    }
    const standbys: SupervisedStandby[] = [...this.agents].map(([nodeId, a]) => ({ nodeId, cameraCapacity: this.capacities[nodeId] ?? 0, reachable: true, name: nodeId.toUpperCase(), pool: { state: a.state, protectedNodeId: a.protectedNodeId, epoch: a.epoch, error: a.error, hot: a.hot } }));
    return { nowMs: this.nowMs, settings: this.settingsOverride ?? (this.manual ? { ...settings, failover: 'manual' } : settings), failbackRecordings: this.failbackRecordings, servers: this.servers, groups: this.groups, standbys, leases: [...this.leases.values()], observations, states: this.states, cooldowns: this.cooldowns, lastSupervisedMs: this.lastSupervisedMs, unsupervisedMsMax: 6_000, ...(this.failbackStallMinutes === undefined ? {} : { failbackStallMinutes: this.failbackStallMinutes }) };
  }

  /** One sweep, its lease moves and orders carried out; the agents then run one step. */
  step(): SweepOutput {
    const out = sweep(this.input());
    for (const o of out.orders) if (o.kind === 'hot-standby') assert.equal(this.leases.get(o.standbyNodeId)?.state, 'free', 'a hot-standby order only to a standby whose lease is free');
    this.lastSupervisedMs = this.nowMs;
    this.states = out.states;
    this.cooldowns = out.cooldowns;
    this.events.push(...out.events);
    this.orders.push(...out.orders);
    for (const move of out.leaseMoves) {
      if (move.kind === 'resume-epoch') {
        const st = this.states.get(move.protectedNodeId);
        if (st !== undefined) this.states.set(move.protectedNodeId, withResumeEpoch(st, ++this.epoch));
        continue;
      }
      const l = this.leases.get(move.standbyNodeId);
      if (l === undefined || l.version !== move.expectedVersion) continue;
      if (move.kind === 'acquire') {
        if (l.protectedNodeId !== null || [...this.leases.values()].some((o) => o.protectedNodeId === move.protectedNodeId)) continue;
        this.leases.set(l.standbyNodeId, { ...l, protectedNodeId: move.protectedNodeId, state: 'taking-over', epoch: ++this.epoch, version: l.version + 1, sinceMs: this.nowMs });
      } else if (leaseStep(l.state, move.to)) {
        this.leases.set(l.standbyNodeId, { ...l, state: move.to, protectedNodeId: move.to === 'free' ? null : l.protectedNodeId, version: l.version + 1, sinceMs: this.nowMs });
      }
    }
    for (const order of out.orders) this.deliver(order);
    // Agents finish what they began within a sweep.
    for (const a of this.agents.values()) {
      if (a.state === 'taking-over') Object.assign(a, a.failNext ? { state: 'failed', error: { step: 'wait-healthy', reason: 'no frames' }, failNext: false } : { state: 'serving' });
      if (a.state === 'releasing') Object.assign(a, { state: 'free', protectedNodeId: null, error: null });
      if (a.hot?.state === 'preparing') a.hot = a.hotFailures > 0 ? { ...a.hot, state: 'failed', error: { step: 'start-recorder', reason: `try ${a.hotFailures--}` } } : { ...a.hot, state: 'ready', error: null };
      else if (a.hot?.state === 'restoring') a.hot = null;
      if (a.state === 'serving' && a.protectedNodeId !== null) {
        const p = this.protectedUp.get(a.protectedNodeId);
        if (p !== undefined && (p.servingEpoch ?? 0) < a.epoch) Object.assign(p, { servingEpoch: null, fencedAt: a.epoch });
      }
    }
    this.nowMs += 1_000;
    return out;
  }

  deliver(order: SweepOutput['orders'][number]): void {
    if (order.kind === 'resume') {
      const p = this.protectedUp.get(order.protectedNodeId);
      if (p !== undefined && p.reporting && order.epoch > p.fencedAt) {
        p.servingEpoch = order.epoch;
        // The agent takes the sync with the resume, and reports it running.
        const sync = order.failbackSync;
        if (sync !== null) p.failbackSync = { standbyNodeId: sync.standbyNodeId, state: 'running', bytesDone: 0, bytesTotal: 1000, blocksDone: 0, blocksTotal: 10, fromMs: sync.fromMs, toMs: sync.toMs, startedAt: new Date(this.nowMs).toISOString(), finishedAt: null, error: null };
      }
      return;
    }
    if (order.kind === 'become-protected') return; // no replacement in this simulation
    const a = this.agents.get(order.standbyNodeId);
    assert.ok(a !== undefined);
    if (order.kind === 'hot-standby') {
      if (a.state !== 'free') return; // busy
      const { assignment } = order;
      if (assignment === null) a.hot = a.hot === null ? null : { ...a.hot, state: 'restoring', error: null };
      else if (a.hot?.protectedNodeId !== assignment.protectedNodeId || a.hot.configSha256 !== assignment.recorderConfig.sha256 || a.hot.state === 'failed') a.hot = { protectedNodeId: assignment.protectedNodeId, configSha256: assignment.recorderConfig.sha256, state: 'preparing', error: null };
      return;
    }
    const { protectedNodeId, epoch } = order.request;
    if (order.kind === 'takeover') {
      if (epoch <= a.persisted) return; // epoch-fenced (or the same again: taken)
      if (a.state !== 'free' && a.protectedNodeId !== protectedNodeId) return; // busy
      Object.assign(a, { state: 'taking-over', protectedNodeId, epoch, persisted: epoch, error: null });
    } else if (a.protectedNodeId === protectedNodeId && a.epoch === epoch && a.state !== 'free') a.state = 'releasing';
  }

  run(sweeps: number): void {
    for (let i = 0; i < sweeps; i += 1) this.step();
  }

  kinds(): string[] {
    return this.events.map((e) => `${e.kind} ${e.nodeId?.slice(-1) ?? 'pool'}`);
  }
}

test('a silent protected server is taken over after disconnectedSeconds, and given back on recovery after the hold-down', () => {
  const sim = new Sim([server(rs(1))], new Map([['g', ['fo-a']]]), { 'fo-a': 4 });
  sim.run(3);
  assert.deepEqual(sim.kinds(), [], 'healthy: nothing');
  sim.protectedUp.get(rs(1))!.reporting = false;
  sim.run(3);
  assert.equal(sim.leases.get('fo-a')?.state, 'free', 'not before disconnectedSeconds');
  sim.run(10);
  const lease = sim.leases.get('fo-a');
  assert.deepEqual([lease?.state, lease?.protectedNodeId, lease?.epoch], ['serving', rs(1), 2], 'the first takeover fences at epoch 2');
  const takeover = sim.orders.find((o) => o.kind === 'takeover');
  assert.ok(takeover?.kind === 'takeover');
  assert.deepEqual({ ...takeover.request, cameras: takeover.request.cameras.length }, { protectedNodeId: rs(1), protectedName: 'rs-1', epoch: 2, sharedAddress: '10.0.0.1:7563', recorderConfig: { sha256: config.sha256 }, cameras: 2 });
  assert.deepEqual(sim.kinds(), ['pool.failover-started 1', 'pool.failover-completed 1']);

  // Back: healthy for the hold-down (10 s), then stopped (discard), released, resumed above the standby's epoch.
  sim.protectedUp.get(rs(1))!.reporting = true;
  sim.run(8);
  assert.equal(sim.leases.get('fo-a')?.state, 'serving', 'not before the hold-down');
  sim.run(10);
  assert.deepEqual([sim.leases.get('fo-a')?.state, sim.agents.get('fo-a')?.state], ['free', 'free']);
  assert.equal(sim.protectedUp.get(rs(1))?.servingEpoch, 3, 'resumed under the pool\'s next epoch');
  assert.deepEqual(sim.kinds(), ['pool.failover-started 1', 'pool.failover-completed 1', 'pool.failover-stopped 1', 'pool.resumed 1']);
  assert.deepEqual(sim.states.get(rs(1)), { ...supervisorInitial }, 'nothing left pending');
});

test('a dead recorder (serviceDown 0 s) fails over at once; after the resume its starting recorder is not a new failure, until it ran once or the grace passed', () => {
  const sim = new Sim([server(rs(1))], new Map([['g', ['fo-a']]]), { 'fo-a': 4 });
  sim.settingsOverride = { ...settings, serviceDown: { enabled: true, seconds: 0 } };
  sim.run(2);
  const p = sim.protectedUp.get(rs(1))!;
  p.recorderDown = true;
  sim.run(3);
  assert.equal(sim.leases.get('fo-a')?.state, 'serving', 'taken over on the first report of the recorder down');
  // Its agent reports on (its recorder kept stopped while fenced): recovered after the hold-down, resumed.
  sim.run(14);
  assert.deepEqual(sim.kinds(), ['pool.failover-started 1', 'pool.failover-completed 1', 'pool.failover-stopped 1', 'pool.resumed 1']);
  assert.equal(sim.states.get(rs(1))?.starting !== null, true, 'resumed with its recorder still starting');
  // The recorder takes a few seconds to start: its reports still say down. Not a failure yet.
  sim.run(5);
  assert.equal(sim.leases.get('fo-a')?.state, 'free', 'a starting recorder is not failed over again');
  p.recorderDown = false;
  sim.run(1);
  assert.equal(sim.states.get(rs(1))?.starting ?? null, null, 'running once ends the grace');
  // Down again once it ran: a failure again, at once.
  p.recorderDown = true;
  sim.run(3);
  assert.equal(sim.leases.get('fo-a')?.state, 'serving');
  assert.deepEqual(sim.kinds().filter((k) => k.startsWith('pool.failover-started')), ['pool.failover-started 1', 'pool.failover-started 1']);
});

test('a dead recorder is taken over with the cameras its agent last listed, though its reports list none now; the failback sync asks for them', () => {
  const listed = server(rs(1), { reportedCameraIds: [camera(1).deviceId, camera(2).deviceId] });
  const sim = new Sim([listed], new Map([['g', ['fo-a']]]), { 'fo-a': 4 }, 'sync');
  sim.settingsOverride = { ...settings, serviceDown: { enabled: true, seconds: 0 } };
  sim.run(2);
  assert.deepEqual(sim.states.get(rs(1))?.knownCameraIds, [camera(1).deviceId, camera(2).deviceId], 'kept from its reports');
  // Its recorder dies: the agent reports no camera any more (the shell's cameras and reportedCameraIds are empty).
  sim.servers[0] = { ...listed, cameras: [], reportedCameraIds: [] };
  sim.protectedUp.get(rs(1))!.recorderDown = true;
  sim.run(3);
  const takeover = sim.orders.find((o) => o.kind === 'takeover');
  assert.ok(takeover?.kind === 'takeover');
  assert.deepEqual(takeover.request.cameras.map((c) => [c.deviceId, c.level]), [[camera(1).deviceId, 'full'], [camera(2).deviceId, 'full']]);
  assert.equal(sim.events.find((e) => e.kind === 'pool.failover-started')?.data['cameras'], 2);
  // Back after the hold-down: the resume's failback sync names both cameras.
  sim.run(16);
  const resume = sim.orders.find((o) => o.kind === 'resume' && o.failbackSync !== null);
  assert.ok(resume?.kind === 'resume' && resume.failbackSync !== null, sim.kinds().join(', '));
  assert.deepEqual(resume.failbackSync.cameraIds, [camera(1).deviceId, camera(2).deviceId]);
});

test('a resumed recorder that never comes up counts as down once the start grace passed', () => {
  const sim = new Sim([server(rs(1))], new Map([['g', ['fo-a']]]), { 'fo-a': 4 });
  sim.settingsOverride = { ...settings, serviceDown: { enabled: true, seconds: 0 } };
  const p = sim.protectedUp.get(rs(1))!;
  p.recorderDown = true;
  sim.run(3 + 14);
  assert.ok(sim.kinds().includes('pool.resumed 1'));
  sim.run(resumeStartGraceMs / 1_000 - 2);
  assert.equal(sim.leases.get('fo-a')?.state, 'free', 'within the grace');
  sim.run(4);
  assert.equal(sim.leases.get('fo-a')?.state, 'serving', 'failed over again after the grace');
});

test('with sync, the resume carries the failback sync; the standby stays held until the server reports it done, then is free; a failure is said once', () => {
  const cameras = [camera(1), { ...camera(2), level: 'live-only' as const }, { ...camera(3), level: 'none' as const }];
  const sim = new Sim([server(rs(1), { cameras })], new Map([['g', ['fo-a']]]), { 'fo-a': 4 }, 'sync');
  sim.protectedUp.get(rs(1))!.reporting = false;
  sim.run(10);
  assert.equal(sim.leases.get('fo-a')?.state, 'serving');
  const fromMs = sim.states.get(rs(1))?.served?.fromMs as number;
  assert.ok(fromMs > 1_000_000, 'the failover window starts when the lease was taken');
  // Its agent back, restarted, lists no cameras yet: the sync names those taken over all the same.
  sim.servers[0] = server(rs(1), { cameras: [] });
  sim.protectedUp.get(rs(1))!.reporting = true;
  sim.run(25);
  assert.deepEqual([sim.leases.get('fo-a')?.state, sim.agents.get('fo-a')?.state], ['syncing-back', 'free'], 'released, held for the sync');
  const resume = sim.orders.find((o) => o.kind === 'resume');
  assert.ok(resume?.kind === 'resume' && resume.failbackSync !== null);
  const sync = resume.failbackSync;
  assert.deepEqual(sync.cameraIds, [camera(1).deviceId], 'only what the standby recorded: `full` cameras');
  assert.equal(sync.standbyNodeId, 'fo-a');
  assert.equal(sync.fromMs, fromMs - failbackClockMarginMs, 'from the takeover, with the clock margin');
  assert.ok(sync.toMs > fromMs + failbackClockMarginMs && sync.toMs <= sim.nowMs + failbackClockMarginMs, 'to the release, with the margin');
  assert.ok(sim.orders.filter((o) => o.kind === 'resume').every((o) => o.kind === 'resume' && JSON.stringify(o.failbackSync) === JSON.stringify(sync)), 'every resend carries the same window');
  assert.deepEqual(sim.kinds(), ['pool.failover-started 1', 'pool.failover-completed 1', 'pool.failover-stopped 1', 'pool.resumed 1']);
  assert.match(sim.events.find((e) => e.kind === 'pool.failover-stopped')?.message ?? '', /stays held until what it recorded meanwhile is synced back/);

  // Running: held. Failed: said once, still held. Another server's failure meanwhile waits for it.
  const p = sim.protectedUp.get(rs(1))!;
  sim.run(5);
  assert.equal(sim.leases.get('fo-a')?.state, 'syncing-back');
  p.failbackSync = { ...(p.failbackSync as PoolFailbackSyncStatus), state: 'failed', error: "the standby's agent refused the secret" };
  sim.run(5);
  assert.equal(sim.leases.get('fo-a')?.state, 'syncing-back', 'a failed sync keeps the standby held');
  const failed = sim.events.filter((e) => e.kind === 'pool.failback-sync-failed');
  assert.equal(failed.length, 1, 'said once');
  assert.deepEqual(failed[0]?.data, { standbyNodeId: 'fo-a', reason: "the standby's agent refused the secret", bytesDone: 0, bytesTotal: 1000 });
  // A report about another window changes nothing.
  p.failbackSync = { ...(p.failbackSync as PoolFailbackSyncStatus), state: 'done', fromMs: 1, finishedAt: new Date(sim.nowMs).toISOString() };
  sim.run(3);
  assert.equal(sim.leases.get('fo-a')?.state, 'syncing-back');
  // Done (the agent retried): synced, free.
  p.failbackSync = { ...(p.failbackSync as PoolFailbackSyncStatus), state: 'done', fromMs: sync.fromMs, bytesDone: 1000, blocksDone: 10, startedAt: new Date(sim.nowMs - 42_000).toISOString(), finishedAt: new Date(sim.nowMs).toISOString(), error: null };
  sim.run(3);
  assert.equal(sim.leases.get('fo-a')?.state, 'free');
  const synced = sim.events.filter((e) => e.kind === 'pool.failback-synced');
  assert.equal(synced.length, 1);
  assert.deepEqual(synced[0]?.data, { standbyNodeId: 'fo-a', bytes: 1000, blocks: 10, seconds: 42, fromMs: sync.fromMs, toMs: sync.toMs });
  assert.deepEqual(sim.states.get(rs(1)), { ...supervisorInitial }, 'nothing left pending');
});

test('a failback sync without progress for the policy\'s failbackStallMinutes is said stalled once, naming the period; progress clears it and a later stall is said again', () => {
  const sim = new Sim([server(rs(1))], new Map([['g', ['fo-a']]]), { 'fo-a': 4 }, 'sync');
  const p = sim.protectedUp.get(rs(1))!;
  p.reporting = false;
  sim.run(10);
  p.reporting = true;
  sim.run(25);
  assert.equal(sim.leases.get('fo-a')?.state, 'syncing-back');
  assert.equal(p.failbackSync?.state, 'running', 'the server reports the sync, 0 bytes done');
  const stalls = () => sim.events.filter((e) => e.kind === 'pool.failback-sync-stalled');
  // The default (30 min) says nothing after about 2 minutes; 2 minutes from the policy does, at once.
  sim.run(130);
  assert.equal(stalls().length, 0);
  sim.failbackStallMinutes = 2;
  sim.run(1);
  assert.equal(stalls().length, 1, 'the policy\'s bound takes effect');
  const said = stalls()[0];
  const window = { fromMs: p.failbackSync?.fromMs, toMs: p.failbackSync?.toMs };
  assert.deepEqual([said?.severity, said?.nodeId, said?.data['standbyNodeId'], said?.data['fromMs'], said?.data['toMs'], said?.data['bytesDone'], said?.data['bytesTotal']], ['warning', rs(1), 'fo-a', window.fromMs, window.toMs, 0, 1000]);
  assert.match(said?.message ?? '', new RegExp(`no progress for 2 min \\(0 of 1000 bytes synced, running\\); what it recorded from ${new Date(window.fromMs as number).toISOString()} to ${new Date(window.toMs as number).toISOString()} is still only on the standby, which stays held: finish failback frees it and discards that`));
  sim.run(300);
  assert.equal(stalls().length, 1, 'said once per stall');
  assert.equal(sim.leases.get('fo-a')?.state, 'syncing-back', 'a stall frees nothing');

  // Progress clears it; steady progress is never a stall; a later stall is said again.
  for (let i = 1; i <= 30; i += 1) {
    p.failbackSync = { ...(p.failbackSync as PoolFailbackSyncStatus), state: i % 2 === 0 ? 'running' : 'waiting', bytesDone: i * 10 };
    sim.run(10);
  }
  assert.equal(stalls().length, 1, 'five minutes of progress: no stall');
  assert.equal(sim.states.get(rs(1))?.failback?.stalled, false, 'cleared');
  sim.run(200);
  assert.equal(stalls().length, 2, 'stalled again');
  assert.match(stalls()[1]?.message ?? '', /300 of 1000 bytes synced/);

  // Done: synced and free, nothing more said.
  p.failbackSync = { ...(p.failbackSync as PoolFailbackSyncStatus), state: 'done', bytesDone: 1000, finishedAt: new Date(sim.nowMs).toISOString() };
  sim.run(3);
  assert.equal(sim.leases.get('fo-a')?.state, 'free');
  assert.deepEqual(sim.states.get(rs(1)), { ...supervisorInitial });
  assert.equal(stalls().length, 2);
});

test('a failback whose server never reports the sync counts its stall from the release', () => {
  const sim = new Sim([server(rs(1))], new Map([['g', ['fo-a']]]), { 'fo-a': 4 }, 'sync');
  sim.failbackStallMinutes = 1;
  const p = sim.protectedUp.get(rs(1))!;
  p.reporting = false;
  sim.run(10);
  // It comes back just long enough to be seen healthy, then falls silent before its resume is taken.
  p.reporting = true;
  for (let i = 0; i < 60 && sim.leases.get('fo-a')?.state !== 'syncing-back'; i += 1) sim.run(1);
  assert.equal(sim.leases.get('fo-a')?.state, 'syncing-back');
  p.reporting = false;
  p.servingEpoch = null;
  sim.run(120);
  const stalls = sim.events.filter((e) => e.kind === 'pool.failback-sync-stalled');
  assert.equal(stalls.length, 1);
  assert.match(stalls[0]?.message ?? '', /its agent reports no sync of it/);
});

test('with discard, the resume carries no failback sync and the standby is free at once', () => {
  const sim = new Sim([server(rs(1))], new Map([['g', ['fo-a']]]), { 'fo-a': 4 }, 'discard');
  sim.protectedUp.get(rs(1))!.reporting = false;
  sim.run(10);
  sim.protectedUp.get(rs(1))!.reporting = true;
  sim.run(25);
  assert.equal(sim.leases.get('fo-a')?.state, 'free');
  const resumes = sim.orders.filter((o) => o.kind === 'resume');
  assert.ok(resumes.length > 0 && resumes.every((o) => o.kind === 'resume' && o.failbackSync === null));
});

test('two failures, one standby: one waits with an event naming it, and is taken over once the first is stopped', () => {
  const sim = new Sim([server(rs(1)), server(rs(2))], new Map([['g', ['fo-a']]]), { 'fo-a': 4 });
  sim.protectedUp.get(rs(1))!.reporting = false;
  sim.run(2);
  sim.protectedUp.get(rs(2))!.reporting = false;
  sim.run(10);
  assert.equal(sim.leases.get('fo-a')?.protectedNodeId, rs(1), 'the first to fail');
  const waiting = sim.events.filter((e) => e.kind === 'pool.failover-waiting');
  assert.equal(waiting.length, 1, 'said once');
  assert.equal(waiting[0]?.nodeId, rs(2));
  assert.match(waiting[0]?.message ?? '', /rs-2: failed and waits for a standby: no standby of its groups is free/);
  // rs-1 recovers: its failover stops, and rs-2 gets the standby.
  sim.protectedUp.get(rs(1))!.reporting = true;
  sim.run(20);
  assert.deepEqual([sim.leases.get('fo-a')?.protectedNodeId, sim.leases.get('fo-a')?.state], [rs(2), 'serving']);
  assert.equal(sim.protectedUp.get(rs(1))?.servingEpoch, 3);
  assert.equal(sim.leases.get('fo-a')?.epoch, 4, 'above rs-1\'s resume');
});

test('cameras beyond the capacity are left out and named; `none` cameras are never sent', () => {
  const cams = [camera(1), camera(2), { ...camera(3), level: 'live-only' as const }, { ...camera(4), level: 'none' as const }];
  const sim = new Sim([server(rs(1), { cameras: cams })], new Map([['g', ['fo-a']]]), { 'fo-a': 2 });
  sim.protectedUp.get(rs(1))!.reporting = false;
  sim.run(10);
  const takeover = sim.orders.find((o) => o.kind === 'takeover');
  assert.ok(takeover?.kind === 'takeover');
  assert.deepEqual(takeover.request.cameras.map((c) => c.deviceId), [camera(1).deviceId, camera(2).deviceId]);
  const leftOut = sim.events.find((e) => e.kind === 'pool.cameras-left-out');
  assert.match(leftOut?.message ?? '', /1 camera\(s\) beyond the standby's capacity of 2 are not taken over: Cam 3/);
});

test('a takeover the standby reports failed is given up: released, the standby cools down, the server waits for another', () => {
  const sim = new Sim([server(rs(1))], new Map([['g', ['fo-a', 'fo-b']]]), { 'fo-a': 4, 'fo-b': 4 });
  sim.agents.get('fo-a')!.failNext = true;
  sim.protectedUp.get(rs(1))!.reporting = false;
  sim.run(14);
  assert.deepEqual([sim.leases.get('fo-a')?.state, sim.agents.get('fo-a')?.state], ['free', 'free'], 'released');
  assert.deepEqual([sim.leases.get('fo-b')?.state, sim.leases.get('fo-b')?.protectedNodeId], ['serving', rs(1)]);
  assert.ok(sim.orders.some((o) => o.kind === 'release' && o.standbyNodeId === 'fo-a'));
  assert.deepEqual(sim.kinds(), ['pool.failover-started 1', 'pool.takeover-failed 1', 'pool.failover-started 1', 'pool.failover-completed 1']);
  assert.match(sim.events[1]?.message ?? '', /failed to take over at wait-healthy: no frames/);
});

test('manual failover: the failure is announced, nothing is taken until an operator acquires a lease; manual stop says recovered', () => {
  const sim = new Sim([server(rs(1))], new Map([['g', ['fo-a']]]), { 'fo-a': 4 }, 'sync', true);
  sim.protectedUp.get(rs(1))!.reporting = false;
  sim.run(15);
  assert.deepEqual(sim.kinds(), ['pool.failover-needed 1']);
  assert.equal(sim.leases.get('fo-a')?.state, 'free');
  // The operator's start (the route's acquireLease).
  const l = sim.leases.get('fo-a')!;
  sim.leases.set('fo-a', { ...l, protectedNodeId: rs(1), state: 'taking-over', epoch: ++sim.epoch, version: l.version + 1 });
  sim.run(3);
  assert.equal(sim.leases.get('fo-a')?.state, 'serving');
  // Stop with `sync` (the route's move): released, resumed, the lease held until finish failback.
  const serving = sim.leases.get('fo-a')!;
  sim.protectedUp.get(rs(1))!.reporting = true;
  sim.leases.set('fo-a', { ...serving, state: 'syncing-back', version: serving.version + 1 });
  sim.run(5);
  assert.deepEqual([sim.leases.get('fo-a')?.state, sim.agents.get('fo-a')?.state, sim.protectedUp.get(rs(1))?.servingEpoch], ['syncing-back', 'free', 3]);
  const stopped = sim.events.find((e) => e.kind === 'pool.failover-stopped');
  assert.match(stopped?.message ?? '', /stays held until what it recorded meanwhile is synced back/);
  assert.ok(sim.orders.some((o) => o.kind === 'resume' && o.failbackSync?.standbyNodeId === 'fo-a'), "the stop command's sync goes with the resume too");
  assert.deepEqual(stopped?.data['recordings'], 'sync');
  // Failing again while the standby is held for the failback: it waits, saying why.
  sim.protectedUp.get(rs(1))!.reporting = false;
  sim.run(10);
  assert.equal(sim.leases.get('fo-a')?.state, 'syncing-back');
});

test('a failed server without its RecorderConfig.xml waits and says so', () => {
  const sim = new Sim([server(rs(1), { recorderConfig: null })], new Map([['g', ['fo-a']]]), { 'fo-a': 4 });
  sim.protectedUp.get(rs(1))!.reporting = false;
  sim.run(12);
  assert.equal(sim.leases.get('fo-a')?.state, 'free');
  assert.deepEqual(sim.events.map((e) => [e.kind, e.data['reason']]), [['pool.failover-waiting', 'no-recorder-config']]);
});

test('simulation: over random failures, recoveries, failing takeovers, failing hot standbys and lost sweeps, no standby serves two, no server is held by two, epochs only rise, a resume is above its standby', () => {
  const ids = [rs(1), rs(2), rs(3)];
  const action = fc.oneof(
    fc.record({ kind: fc.constant('down' as const), server: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ kind: fc.constant('up' as const), server: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ kind: fc.constant('fail-next' as const), standby: fc.constantFrom('fo-a', 'fo-b', 'fo-h') }),
    fc.record({ kind: fc.constant('hot-fails' as const) }),
    fc.record({ kind: fc.constant('wait' as const), sweeps: fc.integer({ min: 1, max: 15 }) }),
    fc.record({ kind: fc.constant('restart' as const) }),
  );
  fc.assert(
    fc.property(fc.array(action, { maxLength: 40 }), fc.constantFrom<'sync' | 'discard'>('sync', 'discard'), (actions, recordings) => {
      // rs-1 has a hot standby, fo-h, which may fail to get ready.
      const sim = new Sim(ids.map((id) => server(id, id === rs(1) ? { hotStandbyNodeId: 'fo-h' } : {})), new Map([['g', ['fo-a', 'fo-b']]]), { 'fo-a': 4, 'fo-b': 4, 'fo-h': 4 }, recordings);
      const lastEpoch = new Map<string, number>();
      const check = (): void => {
        const held = [...sim.leases.values()].filter((l) => l.protectedNodeId !== null);
        assert.equal(new Set(held.map((l) => l.protectedNodeId)).size, held.length, 'one lease per server');
        for (const a of sim.agents.values()) {
          const seen = lastEpoch.get(`${a.protectedNodeId}`) ?? 0;
          if (a.state === 'serving') {
            // The protected server it serves is fenced below it.
            assert.equal(sim.protectedUp.get(a.protectedNodeId as string)?.servingEpoch, null);
            assert.ok(a.epoch >= seen);
            lastEpoch.set(`${a.protectedNodeId}`, a.epoch);
          }
        }
        for (const o of sim.orders) if (o.kind === 'takeover') assert.ok(o.request.epoch >= 2);
      };
      for (const a of actions) {
        if (a.kind === 'down') sim.protectedUp.get(ids[a.server] as string)!.reporting = false;
        else if (a.kind === 'up') sim.protectedUp.get(ids[a.server] as string)!.reporting = true;
        else if (a.kind === 'fail-next') sim.agents.get(a.standby)!.failNext = true;
        else if (a.kind === 'hot-fails') sim.agents.get('fo-h')!.hotFailures += 1;
        else if (a.kind === 'restart') sim.cooldowns = new Map(); // another controller: persisted states go on, cooldowns are in memory
        else for (let i = 0; i < a.sweeps; i += 1) {
          sim.step();
          check();
        }
      }
      // Everyone healthy for long enough: every failover stops, every server serves its own endpoint again.
      for (const p of sim.protectedUp.values()) p.reporting = true;
      sim.run(40);
      for (const [id, p] of sim.protectedUp) assert.notEqual(p.servingEpoch, null, `${id} resumed`);
      for (const [id, a] of sim.agents) assert.equal(a.state, 'free', `${id} free`);
      for (const l of sim.leases.values()) assert.ok(l.state === 'free' || (recordings === 'sync' && l.state === 'syncing-back'), `${l.standbyNodeId} ${l.state}`);
      for (const st of sim.states.values()) assert.deepEqual([st.served, st.resume, st.stop], [null, null, null]);
    }),
    { numRuns: 200 },
  );
});

test('a persisted state that cannot be read starts over; LeaseState moves used by the sweep exist', () => {
  const moves: [LeaseState, LeaseState][] = [['taking-over', 'serving'], ['serving', 'syncing-back'], ['serving', 'free'], ['taking-over', 'free']];
  assert.ok(moves.every(([from, to]) => leaseStep(from, to)));
  assert.deepEqual(parseSupervisorState('{"health":'), supervisorInitial);
  assert.deepEqual(parseSupervisorState('{"served":null}'), supervisorInitial);
  const st: SupervisorState = { ...supervisorInitial, health: { kind: 'failed', trigger: 'storage', sinceMs: 5 }, resume: { standbyNodeId: 'fo-a', resumeEpoch: null } };
  const text = serializeSupervisorState(st);
  assert.deepEqual(parseSupervisorState(text), st);
  // The pool view reads the ProtectedState at the top.
  assert.deepEqual((({ kind, trigger, sinceMs }) => ({ kind, trigger, sinceMs }))(JSON.parse(text) as { kind: string; trigger: string; sinceMs: number }), { kind: 'failed', trigger: 'storage', sinceMs: 5 });
});

test('a hot standby is ordered to get ready for its server (no file, capacity as a takeover), once; again when the configuration changes; back to cold when unassigned', () => {
  const sim = new Sim([server(rs(1), { hotStandbyNodeId: 'fo-h', cameras: [camera(1), camera(2), { ...camera(3), level: 'none' }] })], new Map([['g', ['fo-a']]]), { 'fo-a': 4, 'fo-h': 1 });
  sim.run(5);
  const hot = () => sim.orders.filter((o) => o.kind === 'hot-standby');
  assert.deepEqual(hot(), [{ kind: 'hot-standby', standbyNodeId: 'fo-h', assignment: { protectedNodeId: rs(1), protectedName: 'rs-1', sharedAddress: '10.0.0.1:7563', recorderConfig: { sha256: config.sha256 }, cameras: [{ deviceId: camera(1).deviceId, level: 'full' }] } }], 'once: its report then matches');
  assert.equal(sim.agents.get('fo-h')?.hot?.state, 'ready');
  assert.deepEqual(sim.events, []);

  // The server's RecorderConfig.xml changed: ordered again with the new one.
  sim.servers[0] = { ...server(rs(1), { hotStandbyNodeId: 'fo-h' }), recorderConfig: { sha256: 'b'.repeat(64) } };
  sim.run(3);
  assert.deepEqual(hot().map((o) => (o.assignment === null ? null : o.assignment.recorderConfig.sha256)), [config.sha256, 'b'.repeat(64)]);

  // Unassigned: back to cold, once.
  sim.servers[0] = server(rs(1), { hotStandbyNodeId: null });
  sim.run(3);
  assert.deepEqual(hot().slice(2), [{ kind: 'hot-standby', standbyNodeId: 'fo-h', assignment: null }]);
  assert.equal(sim.agents.get('fo-h')?.hot, null);
  assert.equal(sim.states.get(rs(1))?.hot, null);
});

test('a hot standby that fails to get ready is said once per failure and ordered again after a growing backoff; ready ends the count', () => {
  const sim = new Sim([server(rs(1), { hotStandbyNodeId: 'fo-h' })], new Map(), { 'fo-h': 4 });
  sim.agents.get('fo-h')!.hotFailures = 2;
  const first = hotRetryDelayMs(1, 'fo-h');
  const second = hotRetryDelayMs(2, 'fo-h');
  assert.ok(first >= 2_500 && first <= 5_000 && second >= 5_000 && second <= 10_000, `${first}, ${second}`);
  sim.run(2);
  const failed = () => sim.events.filter((e) => e.kind === 'pool.hot-standby-failed');
  assert.deepEqual(failed().map((e) => [e.severity, e.data['failures'], (e.data['error'] as { reason: string }).reason]), [['warning', 1, 'try 2']]);
  assert.match(failed()[0]?.message ?? '', /rs-1: hot standby FO-H failed to get ready at start-recorder: try 2/);
  const orders = () => sim.orders.filter((o) => o.kind === 'hot-standby').length;
  assert.equal(orders(), 1);
  // Not again before the backoff: one sweep a second.
  sim.run(Math.floor(first / 1000) - 1);
  assert.equal(orders(), 1, 'not before the backoff');
  sim.run(2);
  assert.equal(orders(), 2, 'once the backoff passed');
  sim.run(Math.ceil((second + hotReportLagMs) / 1000) + 2);
  assert.deepEqual(failed().map((e) => e.data['failures']), [1, 2], 'once per failure');
  assert.equal(orders(), 3);
  assert.equal(sim.agents.get('fo-h')?.hot?.state, 'ready');
  assert.deepEqual(sim.states.get(rs(1))?.hot, { standbyNodeId: 'fo-h', configSha256: config.sha256, failures: 0, failed: false, retryAtMs: 0 });
  sim.run(10);
  assert.equal(orders(), 3, 'ready: nothing more');
});

test('a failed server is taken over by its hot standby first (the same takeover order); no hot-standby order while its lease holds it', () => {
  const sim = new Sim([server(rs(1), { hotStandbyNodeId: 'fo-h' })], new Map([['g', ['fo-a']]]), { 'fo-a': 4, 'fo-h': 4 });
  sim.run(3);
  assert.equal(sim.agents.get('fo-h')?.hot?.state, 'ready');
  const before = sim.orders.length;
  sim.protectedUp.get(rs(1))!.reporting = false;
  sim.run(10);
  assert.deepEqual([sim.leases.get('fo-h')?.state, sim.leases.get('fo-a')?.state], ['serving', 'free']);
  const after = sim.orders.slice(before);
  assert.deepEqual(after.map((o) => `${o.kind} ${o.kind === 'resume' ? '' : o.kind === 'become-protected' ? o.nodeId : o.standbyNodeId}`), ['takeover fo-h']);
});

test('after a controller outage longer than the bound, the first sweep says once how long, the takeovers that went on and the servers waiting', () => {
  const sim = new Sim([server(rs(1)), server(rs(2))], new Map([['g', ['fo-a']]]), { 'fo-a': 4 });
  sim.run(2);
  sim.protectedUp.get(rs(1))!.reporting = false;
  sim.run(8);
  assert.equal(sim.leases.get('fo-a')?.state, 'serving');
  // A short gap (a lease handed over between controllers) is no outage.
  sim.nowMs += unsupervisedMsMin - 2_000;
  sim.run(1);
  assert.equal(sim.events.filter((e) => e.kind === 'pool.controller-returned').length, 0);
  // No controller for a minute; meanwhile rs-2 failed too.
  sim.protectedUp.get(rs(2))!.reporting = false;
  sim.nowMs += 60_000;
  sim.run(3);
  const returned = sim.events.filter((e) => e.kind === 'pool.controller-returned');
  assert.equal(returned.length, 1, 'once');
  const [event] = returned;
  assert.equal(event?.nodeId, null);
  assert.equal(event?.severity, 'warning');
  assert.equal(event?.data['unsupervisedSeconds'], 61);
  assert.deepEqual(event?.data['takeovers'], [{ standbyNodeId: 'fo-a', standbyName: 'FO-A', protectedNodeId: rs(1), protectedName: 'rs-1', epoch: 2, state: 'serving' }]);
  assert.deepEqual((event?.data['waiting'] as { name: string; trigger: string }[]).map((w) => [w.name, w.trigger]), [['rs-2', 'disconnected']]);
  assert.match(event?.message ?? '', /after 61 s without one.*FO-A serving rs-1 \(epoch 2\).*waiting for a standby now: rs-2/);
  // Never swept before: nothing to say.
  assert.equal(sweep({ ...sim.input(), lastSupervisedMs: null }).events.some((e) => e.kind === 'pool.controller-returned'), false);
});

test('the report signal changes with what the sweep acts on, and is null for agents not in a pool', () => {
  const base = { health: { recorderUp: true, storageOk: true }, service: 'running', serving: true, epoch: 1 } as const;
  const poolProtected = { state: 'serving', epoch: 1, fencedByEpoch: null, since: '2026-01-01T00:00:00.000Z', error: null } as const;
  const of = (o: object) => poolReportSignal({ ...base, ...o } as Parameters<typeof poolReportSignal>[0]);
  assert.equal(of({}), null);
  const healthy = of({ poolProtected });
  assert.notEqual(healthy, of({ poolProtected, service: 'stopped' }));
  assert.notEqual(healthy, of({ poolProtected, health: { recorderUp: true, storageOk: false } }));
  assert.equal(healthy, of({ poolProtected, health: { recorderUp: true, storageOk: true, somethingElse: 1 } }));
  const pool = { state: 'free', protectedNodeId: null, epoch: 0, since: '2026-01-01T00:00:00.000Z', error: null };
  assert.notEqual(of({ pool }), of({ pool: { ...pool, hot: { protectedNodeId: rs(1), configSha256: config.sha256, state: 'ready', error: null } } }));
});

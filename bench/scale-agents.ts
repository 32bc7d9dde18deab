// Child process of the scale bench: plays the agents of its share of the site's cloned pairs
// over the real agent link (contracts/controller-v1.ts). Registers both nodes of every pair with
// the cluster secret, then posts each node's report once per interval (staggered over it), one
// at a time per node, as agents do. Churn from CameraChurn: cameras drop and return, and every
// few seconds a pair fails over (its standby claims under the next epoch and sends
// failover.claiming, then serving.endpoint-claimed, as agent/core/decide.ts and
// agent/shell/driver.ts do). As a recorder's figures do, each camera's received frame rate
// jitters and its used space grows, as the agent reads them every statisticsEveryMs (staggered
// per node), and every report has a new uptime and ping: no two reports of a node are alike.
// Bodies are JSON text made once per change of their node's cameras (uptime and ping are spliced
// in), so the simulator spends its time sending, not serialising. Keep-alive connections through undici.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Pool } from 'undici';
import type { AgentEvent, RegisterResponse } from '../contracts/controller-v1.js';
import { defaultStatisticsEveryMs } from '../agent/health/recorder-probe.js';
import { cameraStatus, nodeStatus, registration } from '../test/helpers/agent-reports.js';
import { benchChildSide } from './scale-child.js';
import { CameraChurn } from './scale-churn.js';
import { PhaseSamples } from './phase-samples.js';
import type { Summary } from './stats.js';

export interface AgentsWork {
  readonly url: string;
  readonly intervalMs: number;
  /** A failover somewhere among this process's pairs this often (0: none). */
  readonly failoverEveryMs: number;
  readonly dropsPerSecond: number;
  readonly seed: number;
  /** Keep-alive connections to the controller. */
  readonly connections: number;
  /** Each node's cameras' statistics change this often (the agent's statisticsEveryMs; 0: never). */
  readonly statisticsEveryMs?: number;
  readonly pairs: ReadonlyArray<{ readonly cluster: string; readonly secret: string; readonly recorderId: string; readonly cameraIds: readonly string[] }>;
}

export interface AgentsResult {
  readonly agents: number;
  /** Report latency (ms, send to answer read) per phase. */
  readonly latencyMs: Record<string, Summary>;
  /** Per phase: reports answered 200, not 200 or failed, and due while the node's previous report was still out. */
  readonly counts: Record<string, { ok: number; failed: number; behind: number }>;
  readonly failovers: number;
  readonly drops: number;
  /** Per phase, this process's own event loop delay (ms): how late it may read an answer that came in time. */
  readonly loopDelayMs: Record<string, { readonly p99: number; readonly max: number }>;
}

interface SimNode {
  readonly pair: number;
  readonly side: 0 | 1;
  readonly name: string;
  readonly peer: string;
  clusterId: string;
  nodeId: string;
  body: string | null;
  /** The statistics period the body was made in (see statisticsTick). */
  tick: number;
  /** Reports sent: the uptime and ping spliced into each. */
  reports: number;
  busy: boolean;
  /** Events waiting for the node's next report; time is set when they are sent. */
  readonly queued: Array<Omit<AgentEvent, 'time'>>;
}

interface SimPair {
  serving: 0 | 1;
  epoch: number;
}

/** An overloaded controller answers late: that shows in the latency, and a node sends nothing new meanwhile. */
const reportTimeoutMs = 60_000;
const downSecondsMin = 5;
const downSecondsMax = 30;
/** The new serving node claims the shared endpoint about this long after deciding. */
const endpointClaimDelayMs = 300;
/** Events a node holds while the controller does not take them. */
const queuedEventsMax = 100;

const work = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as AgentsWork;
const pool = new Pool(work.url, { connections: work.connections, keepAliveTimeout: 60_000, headersTimeout: reportTimeoutMs, bodyTimeout: reportTimeoutMs });
const latency = new PhaseSamples();
const counts: AgentsResult['counts'] = {};
const countsOf = (): { ok: number; failed: number; behind: number } => (counts[latency.phase] ??= { ok: 0, failed: 0, behind: 0 });
const camerasPerPair = Math.max(1, ...work.pairs.map((p) => p.cameraIds.length));
const churn = new CameraChurn({ pairs: work.pairs.length, camerasPerPair, dropsPerSecond: work.dropsPerSecond, downSecondsMin, downSecondsMax, seed: work.seed });
const pairs: SimPair[] = work.pairs.map(() => ({ serving: 0, epoch: 2 }));
const nodes: SimNode[] = work.pairs.flatMap((p, pair) => {
  const [a, b] = [`${p.cluster}-A`, `${p.cluster}-B`];
  return [
    { pair, side: 0 as const, name: a, peer: b, clusterId: '', nodeId: '', body: null, tick: -1, reports: 0, busy: false, queued: [] },
    { pair, side: 1 as const, name: b, peer: a, clusterId: '', nodeId: '', body: null, tick: -1, reports: 0, busy: false, queued: [] },
  ];
});
let failovers = 0;
let drops = 0;
let stopped = false;
const timers: NodeJS.Timeout[] = [];

// The latency timed here includes this process's own delays: a simulator starved of CPU reads
// an answer late. Its event loop delay per phase says how much that may be.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const loopDelayMs: AgentsResult['loopDelayMs'] = {};
const closeLoopPhase = (): void => {
  if (loopDelay.count > 0) loopDelayMs[latency.phase] = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
  loopDelay.reset();
};

const side = benchChildSide<AgentsResult>({
  phase: (name) => {
    closeLoopPhase();
    latency.phase = name;
  },
  finish: () => {
    stopped = true;
    for (const t of timers) clearInterval(t);
    closeLoopPhase();
    loopDelay.disable();
    const result = { agents: nodes.length, latencyMs: latency.summaries(), counts: structuredClone(counts), failovers, drops, loopDelayMs };
    // Reports still out are not waited for: an overloaded controller may hold a thousand.
    pool.destroy().catch(() => {});
    return result;
  },
});

async function post(path: string, secret: string, body: string): Promise<{ status: number; text: string }> {
  const res = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body });
  return { status: res.statusCode, text: await res.body.text() };
}

const statisticsEveryMs = work.statisticsEveryMs ?? defaultStatisticsEveryMs;
const startedMs = performance.now();
/** A camera records about 1 Mbit/s: its used space grows by this much a second. */
const usedBytesPerSecond = 125_000;
/** The frame rate every camera asks for; the one received jitters below it by up to 0.3. */
const fpsRequested = 10;

/** The statistics period the node is in now; nodes are staggered over the period, as their agents started at different times. */
function statisticsTick(index: number): number {
  if (statisticsEveryMs <= 0) return 0;
  return Math.floor((performance.now() - startedMs + ((index * 7919) % statisticsEveryMs)) / statisticsEveryMs);
}

/** A small deterministic spread in [0, 1) from three integers. */
function spread(a: number, b: number, c: number): number {
  const x = Math.sin(a * 12.9898 + b * 78.233 + c * 37.719) * 43_758.5453;
  return x - Math.floor(x);
}

/** The node's report without events, uptime and ping as sent, as JSON text: made again only after its pair or its cameras' statistics changed. */
function bodyOf(node: SimNode, index: number): string {
  const tick = statisticsTick(index);
  if (node.body !== null && node.tick === tick) return node.body;
  node.tick = tick;
  const p = work.pairs[node.pair] as AgentsWork['pairs'][number];
  const pair = pairs[node.pair] as SimPair;
  const seconds = (tick * statisticsEveryMs) / 1000;
  const cameras = p.cameraIds.map((id, i) => {
    const down = churn.isDown(node.pair, i);
    const fps = down ? 0 : Math.round((fpsRequested - 0.3 * spread(index, i, tick)) * 100) / 100;
    return cameraStatus(id, { recording: !down, errorNoConnection: down, name: `${p.cluster} Camera ${String(i + 1).padStart(3, '0')}`, fps, fpsRequested, usedSpaceBytes: 1_000_000 * (i + 1) + Math.round(seconds * usedBytesPerSecond) });
  });
  const serving = pair.serving === node.side;
  const status = nodeStatus(p.cluster, node.name, node.peer, { state: serving ? 'PRIM' : 'SECOND', epoch: pair.epoch, cameras, uptimeSeconds: 0, ping: { avgMs: 0.4, maxMs: 1.2, lastMs: 0.3 } });
  node.body = JSON.stringify({ clusterId: node.clusterId, nodeId: node.nodeId, status, events: [], witnessWindowMs: 5_000 });
  return node.body;
}

/** The body with this report's uptime and ping, as an agent's differ from one report to the next. */
function withLiveFigures(body: string, node: SimNode): string {
  const lastMs = Math.round((0.2 + spread(node.pair, node.side, node.reports)) * 100) / 100;
  return body.replace('"ping":{"avgMs":0.4,"maxMs":1.2,"lastMs":0.3}', `"ping":{"avgMs":0.4,"maxMs":1.2,"lastMs":${lastMs}}`).replace('"uptimeSeconds":0', `"uptimeSeconds":${Math.floor((performance.now() - startedMs) / 1000) + 3_600}`);
}

/** The body with the queued events spliced in (timed now), so that the cached body stays as it is. */
function withEvents(body: string, events: ReadonlyArray<Omit<AgentEvent, 'time'>>): string {
  const time = new Date().toISOString();
  const json = JSON.stringify(events.map((e) => ({ ...e, time })));
  return body.replace('"events":[]', `"events":${json}`);
}

function report(node: SimNode, index: number): void {
  const p = work.pairs[node.pair] as AgentsWork['pairs'][number];
  if (stopped) return;
  if (node.busy) {
    countsOf().behind += 1;
    return;
  }
  node.busy = true;
  const events = node.queued.splice(0, node.queued.length);
  node.reports += 1;
  const live = withLiveFigures(bodyOf(node, index), node);
  const body = events.length === 0 ? live : withEvents(live, events);
  const started = performance.now();
  post('/api/v1/agent/report', p.secret, body)
    .then(({ status }) => {
      if (status === 200) {
        countsOf().ok += 1;
        latency.add(performance.now() - started);
      } else {
        countsOf().failed += 1;
        // As an agent does: unacknowledged events go again with the next report.
        requeue(node, events);
      }
    })
    .catch(() => {
      countsOf().failed += 1;
      requeue(node, events);
    })
    .finally(() => (node.busy = false));
}

/** Events the controller did not take go first in the next report, within the bound. */
function requeue(node: SimNode, events: ReadonlyArray<Omit<AgentEvent, 'time'>>): void {
  node.queued.unshift(...events);
  if (node.queued.length > queuedEventsMax) node.queued.splice(0, node.queued.length - queuedEventsMax);
}

/** An agent's queue is bounded: the oldest event goes first. */
function enqueue(node: SimNode, e: Omit<AgentEvent, 'time'>): void {
  node.queued.push(e);
  if (node.queued.length > queuedEventsMax) node.queued.shift();
}

function event(kind: string, severity: AgentEvent['severity'], message: string, data: Record<string, unknown>): Omit<AgentEvent, 'time'> {
  return { id: randomUUID(), kind, severity, message, data };
}

/** The standby of pair `index` takes over under the next epoch. */
function failOver(index: number): void {
  const pair = pairs[index] as SimPair;
  pair.serving = pair.serving === 0 ? 1 : 0;
  pair.epoch += 1;
  const epoch = pair.epoch;
  const [a, b] = [nodes[index * 2] as SimNode, nodes[index * 2 + 1] as SimNode];
  a.body = null;
  b.body = null;
  const claiming = pair.serving === 0 ? a : b;
  enqueue(claiming, event('failover.claiming', 'warning', `serving under epoch ${epoch} (peer-unhealthy)`, { epoch, reason: 'peer-unhealthy', detectionMs: 1_200 }));
  setTimeout(() => enqueue(claiming, event('serving.endpoint-claimed', 'info', `serving endpoint points at this node (epoch ${epoch})`, { epoch })), endpointClaimDelayMs);
  failovers += 1;
}

async function registerAll(): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < nodes.length; i = next++) {
      const node = nodes[i] as SimNode;
      const p = work.pairs[node.pair] as AgentsWork['pairs'][number];
      const request = registration(p.cluster, node.name, node.peer, node.side, { recorderId: p.recorderId });
      const answer = await post('/api/v1/agent/register', p.secret, JSON.stringify(request));
      if (answer.status !== 200) side.fail(`register ${node.name}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`);
      const registered = JSON.parse(answer.text) as RegisterResponse;
      node.clusterId = registered.clusterId;
      node.nodeId = registered.nodeId;
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, work.connections) }, worker));
}

try {
  await registerAll();
} catch (err) {
  side.fail(err instanceof Error ? err.message : String(err));
}
const stepMs = work.intervalMs / Math.max(1, nodes.length);
nodes.forEach((node, i) => {
  timers.push(
    setTimeout(() => {
      report(node, i);
      timers.push(setInterval(() => report(node, i), work.intervalMs));
    }, Math.round(i * stepMs)),
  );
});
let second = 0;
timers.push(
  setInterval(() => {
    second += 1;
    const { dropped, returned } = churn.step(second);
    drops += dropped.length;
    for (const at of [...dropped, ...returned]) {
      (nodes[at.pair * 2] as SimNode).body = null;
      (nodes[at.pair * 2 + 1] as SimNode).body = null;
    }
  }, 1_000),
);
if (work.failoverEveryMs > 0) timers.push(setInterval(() => failOver(churn.nextFailover()), work.failoverEveryMs));
side.ready(`${nodes.length} agents registered`);

// `npm run bench -- scale`: one controller (`twinrec serve`, a real process) under a whole site:
// 500 cloned pairs (1,000 agents) with 25,000 cameras, played by agent simulators in separate
// processes (bench/scale-agents.ts, one per 500 agents) over the real agent link, each agent
// reporting every second, with camera churn and a failover every few seconds somewhere. 20
// consoles hold the live event stream from another process (bench/scale-consoles.ts).
//
// Phases: `steady` (agents and consoles only: the controller's CPU and memory, report latency,
// event delay), then `overview` (autocannon from another process, one query shape after the
// other, while the agents keep reporting). Prints each figure next to its target: ≤ 1 core,
// ≤ 1 GB resident, report p99 ≤ 100 ms, overview p99 ≤ 50 ms, events on every console ≤ 1 s.
//
// Environment: SCALE_BENCH_PAIRS (500), SCALE_BENCH_CAMERAS_PER_PAIR (50),
// SCALE_BENCH_DURATION_S (60, the steady phase), SCALE_BENCH_QUERY_DURATION_S (10 per query
// shape), SCALE_BENCH_CONNECTIONS (16, autocannon's), SCALE_BENCH_CONSOLES (20),
// SCALE_BENCH_FAILOVER_EVERY_MS (3000, site-wide), SCALE_BENCH_DROPS_PER_S (a thousandth of the
// cameras), SCALE_BENCH_STATISTICS_MS (the agent's statisticsEveryMs, 2000: each node's cameras'
// received frame rate and used space change this often; 0: never), SCALE_BENCH_PG_URL (PostgreSQL: a throwaway database is made there and dropped,
// and the steady phase's WAL and node_status_share row writes are printed; SQLite in a temporary folder without it), SCALE_BENCH_CPU_PROF (1: the controller runs under
// --cpu-prof and its busiest functions are printed; SCALE_BENCH_CPU_PROF_KEEP=<file> keeps the
// profile there, for bench/cpu-profile-summary.ts or DevTools), SCALE_BENCH_NICE (0: the agent
// simulators, the consoles and autocannon run at this niceness, 1–19, so that on a small machine
// the controller gets a core of its own; their CPU is printed either way), SCALE_BENCH_QUERIES
// (only the query shapes whose labels contain one of these comma-separated texts; `none`: the agents
// and consoles only, the overview phase without queries).
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultStatisticsEveryMs } from '../agent/health/recorder-probe.js';
import { adminAuthHeader, login, testAdminPassword } from '../test/helpers/auth.js';
import { enrollCluster } from '../test/helpers/agent-reports.js';
import { createPostgresDatabase, type TestDatabase } from '../test/helpers/postgres.js';
import { pgWriteMark, pgWritesBetween, type PgWrites } from './pg-writes.js';
import { stopOnSignal } from '../test/helpers/process.js';
import { autocannon } from './autocannon-run.js';
import { formatSelfTimes, summarizeProfile, type CpuProfile } from './cpu-profile-summary.js';
import { cpuSeconds, reniceAll } from './proc-cpu.js';
import { startServe } from './scale-controller.js';
import { residentBytes } from './proc-memory.js';
import type { AgentsResult, AgentsWork } from './scale-agents.js';
import { forkBenchChild, type BenchChild } from './scale-child.js';
import type { ConsolesResult, ConsolesWork } from './scale-consoles.js';
import type { Summary } from './stats.js';

function intFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
  return value;
}

const PAIRS = intFromEnv('SCALE_BENCH_PAIRS', 500, 1);
const CAMERAS_PER_PAIR = intFromEnv('SCALE_BENCH_CAMERAS_PER_PAIR', 50, 1);
const DURATION_S = intFromEnv('SCALE_BENCH_DURATION_S', 60, 1);
const QUERY_DURATION_S = intFromEnv('SCALE_BENCH_QUERY_DURATION_S', 10, 1);
const CONNECTIONS = intFromEnv('SCALE_BENCH_CONNECTIONS', 16, 1);
const CONSOLES = intFromEnv('SCALE_BENCH_CONSOLES', 20, 0);
const FAILOVER_EVERY_MS = intFromEnv('SCALE_BENCH_FAILOVER_EVERY_MS', 3_000, 0);
const DROPS_PER_S = intFromEnv('SCALE_BENCH_DROPS_PER_S', Math.ceil((PAIRS * CAMERAS_PER_PAIR) / 1000), 0);
const STATISTICS_MS = intFromEnv('SCALE_BENCH_STATISTICS_MS', defaultStatisticsEveryMs, 0);
const CPU_PROF = process.env.SCALE_BENCH_CPU_PROF === '1';
const PG_URL = process.env.SCALE_BENCH_PG_URL || undefined;
/** Only the query shapes whose labels contain one of these (comma-separated), to look at one shape. */
const QUERIES = process.env.SCALE_BENCH_QUERIES ? process.env.SCALE_BENCH_QUERIES.split(',').map((q) => q.trim()).filter((q) => q !== '') : undefined;
const NICE = intFromEnv('SCALE_BENCH_NICE', 0, 0);
if (NICE > 19) throw new Error(`SCALE_BENCH_NICE must be at most 19, got ${NICE}`);
const AGENTS_PER_PROCESS = 500;
/** Streams one account may hold (api/src/http/event-streams.ts streamsPerAccountMax). */
const STREAMS_PER_ACCOUNT = 5;
const WARMUP_S = 5;
const REPORT_INTERVAL_MS = 1_000;

const target = { cpuCores: 1, residentBytes: 1024 ** 3, reportP99Ms: 100, overviewP99Ms: 50, eventDelayMs: 1_000 } as const;

const cleanups: Array<() => Promise<unknown>> = [];
const cleanupAll = async (): Promise<void> => {
  for (const c of cleanups.splice(0).reverse()) await c().catch((err: unknown) => console.error('cleanup:', err));
};
const forget = stopOnSignal(cleanupAll);

/** Runs `work` over `items` with at most `parallel` at a time. */
async function inParallel<T>(items: readonly T[], parallel: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) await work(items[i] as T, i);
    }),
  );
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

const ms = (x: number): string => `${x.toFixed(1).padStart(7)} ms`;
const mb = (bytes: number): string => `${Math.round(bytes / 1024 ** 2)} MB`;

/** Busy and total clock ticks of all cores so far, from /proc/stat (null elsewhere): two readings give the busy share between them. */
function machineTicks(): { busy: number; total: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

interface PhaseMeasure {
  readonly wallS: number;
  /** The controller's event loop delay over the phase (prom-client's, reset at every scrape), null when /metrics did not answer. */
  readonly eventLoopDelay: EventLoopDelay | null;
  /** Reports as the controller timed them (its request histogram), apart from the simulators' own delays. */
  readonly reportsAtController: ServerSideLatency | null;
  /** The controller's V8 heap in use and its memory outside the heap (buffers), at the phase's end. */
  readonly heap: { readonly usedBytes: number | null; readonly externalBytes: number | null } | null;
  /** The controller's writes to node_status_share over the phase (its twinrec_status_share_* counters), null on SQLite. */
  readonly statusShare: { readonly statuses: number; readonly stamps: number; readonly statusBytes: number } | null;
  readonly controllerCpuS: number | null;
  readonly simulatorsCpuS: number | null;
  readonly consolesCpuS: number | null;
  readonly machineBusyShare: number | null;
}

/** CPU seconds of all these processes, null when one cannot be read. */
function cpuSecondsOf(pids: readonly number[]): number | null {
  let sum = 0;
  for (const pid of pids) {
    const s = cpuSeconds(pid);
    if (s === null) return null;
    sum += s;
  }
  return sum;
}

interface EventLoopDelay {
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** What the controller's /metrics says, or null when it does not answer. */
async function scrape(url: string): Promise<string | null> {
  try {
    return await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  } catch {
    return null;
  }
}

/** A sample's value in a Prometheus text exposition (the first line of that name and labels), or null. */
function sampleOf(text: string, nameAndLabels: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${nameAndLabels} `));
  return line === undefined ? null : Number(line.slice(nameAndLabels.length + 1));
}

/**
 * The controller's event loop delay since the previous scrape (prom-client's
 * nodejs_eventloop_lag_*, whose histogram each scrape resets): how long a ready callback (a
 * report, a query) waited behind the one running.
 */
function eventLoopDelayIn(text: string): EventLoopDelay | null {
  const [p99, max] = [sampleOf(text, 'twinrec_nodejs_eventloop_lag_p99_seconds'), sampleOf(text, 'twinrec_nodejs_eventloop_lag_max_seconds')];
  return p99 === null || max === null ? null : { p99Ms: p99 * 1000, maxMs: max * 1000 };
}

/** The controller's own histogram of answered reports (status 200): cumulative count by bucket bound (seconds). */
function reportBucketsIn(text: string): Map<string, number> {
  const buckets = new Map<string, number>();
  const prefix = 'twinrec_http_request_duration_seconds_bucket{';
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix) || !line.includes('route="/api/v1/agent/report"') || !line.includes('status="200"')) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (le !== undefined) buckets.set(le, Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return buckets;
}

/** The controller's node_status_share writes between two scrapes; null when it shares nothing (SQLite). */
function statusShareWrites(before: string, after: string): PhaseMeasure['statusShare'] {
  const names = { statuses: 'twinrec_status_share_writes_total{kind="status"}', stamps: 'twinrec_status_share_writes_total{kind="stamp"}', statusBytes: 'twinrec_status_share_status_bytes_total' };
  const delta = (name: string): number | null => {
    const [a, b] = [sampleOf(before, name), sampleOf(after, name)];
    return a === null || b === null ? null : b - a;
  };
  const [statuses, stamps, statusBytes] = [delta(names.statuses), delta(names.stamps), delta(names.statusBytes)];
  return statuses === null || stamps === null || statusBytes === null ? null : { statuses, stamps, statusBytes };
}

/** Report latency at the controller over a phase, from two readings of its histogram: the bucket bounds p50 and p99 fall under (ms; Infinity above the last). */
interface ServerSideLatency {
  readonly count: number;
  readonly p50MsMax: number;
  readonly p99MsMax: number;
}

function serverSideLatency(before: Map<string, number>, after: Map<string, number>): ServerSideLatency | null {
  const rows = [...after].map(([le, n]) => ({ boundMs: le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le) * 1000, n: n - (before.get(le) ?? 0) })).sort((a, b) => a.boundMs - b.boundMs);
  const count = rows.at(-1)?.n ?? 0;
  if (count <= 0) return null;
  const boundAt = (share: number): number => rows.find((r) => r.n >= share * count)?.boundMs ?? Number.POSITIVE_INFINITY;
  return { count, p50MsMax: boundAt(0.5), p99MsMax: boundAt(0.99) };
}

/** Runs a phase and says what it cost: the controller's and the simulators' CPU, its event loop delay, and how busy the whole machine was. */
async function measured<T>(url: string, pids: { controller: number; simulators: readonly number[]; consoles: readonly number[] }, work: () => Promise<T>): Promise<{ value: T; measure: PhaseMeasure }> {
  const m0text = await scrape(url);
  const [c0, s0, k0, m0, t0] = [cpuSeconds(pids.controller), cpuSecondsOf(pids.simulators), cpuSecondsOf(pids.consoles), machineTicks(), performance.now()];
  const value = await work();
  const m1text = await scrape(url);
  const [c1, s1, k1, m1, t1] = [cpuSeconds(pids.controller), cpuSecondsOf(pids.simulators), cpuSecondsOf(pids.consoles), machineTicks(), performance.now()];
  return {
    value,
    measure: {
      wallS: (t1 - t0) / 1000,
      eventLoopDelay: m1text === null ? null : eventLoopDelayIn(m1text),
      reportsAtController: m0text === null || m1text === null ? null : serverSideLatency(reportBucketsIn(m0text), reportBucketsIn(m1text)),
      statusShare: m0text === null || m1text === null ? null : statusShareWrites(m0text, m1text),
      heap: m1text === null ? null : { usedBytes: sampleOf(m1text, 'twinrec_nodejs_heap_size_used_bytes'), externalBytes: sampleOf(m1text, 'twinrec_nodejs_external_memory_bytes') },
      controllerCpuS: c0 === null || c1 === null ? null : c1 - c0,
      simulatorsCpuS: s0 === null || s1 === null ? null : s1 - s0,
      consolesCpuS: k0 === null || k1 === null ? null : k1 - k0,
      machineBusyShare: m0 === null || m1 === null || m1.total === m0.total ? null : (m1.busy - m0.busy) / (m1.total - m0.total),
    },
  };
}

const sleep = (msToWait: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, msToWait));

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'twinrec-scale-bench-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  let database: TestDatabase | null = null;
  if (PG_URL !== undefined) {
    database = await createPostgresDatabase(PG_URL);
    const db = database;
    cleanups.push(() => db.drop());
  }
  const profileDir = join(dataDir, 'cpu-profile');
  const controllerEnv: NodeJS.ProcessEnv = { TWINREC_AUTH_ADMIN_PASSWORD: testAdminPassword, ...(database === null ? {} : { TWINREC_DB_URL: database.url }) };
  const controller = await startServe({ dataDir, env: controllerEnv, nodeArgs: CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] });
  cleanups.push(async () => {
    await controller.stop(60_000);
    if (CPU_PROF) printProfile(profileDir);
  });
  const url = controller.url;
  const authHeader = await adminAuthHeader(url, testAdminPassword);
  const load0 = loadavg();

  console.log(`scale: ${PAIRS} cloned pairs (${PAIRS * 2} agents) × ${CAMERAS_PER_PAIR} cameras = ${PAIRS * CAMERAS_PER_PAIR} cameras, ${database === null ? 'SQLite' : 'PostgreSQL'}, controller PID ${controller.pid}${CPU_PROF ? ' under --cpu-prof' : ''}`);
  const seedStart = performance.now();
  const pairs: Array<AgentsWork['pairs'][number] & { clusterId: string }> = [];
  await inParallel(
    Array.from({ length: PAIRS }, (_, i) => i),
    8,
    async (i) => {
      const cluster = `Site-${String(i + 1).padStart(3, '0')}`;
      const secret = `scale-bench-${randomUUID()}`;
      const clusterId = await enrollCluster({ url, authHeader }, cluster, secret);
      pairs[i] = { cluster, secret, clusterId, recorderId: randomUUID(), cameraIds: Array.from({ length: CAMERAS_PER_PAIR }, () => randomUUID()) };
    },
  );

  const accounts = Math.ceil(CONSOLES / STREAMS_PER_ACCOUNT);
  const password = `scale-bench-console-${randomUUID()}`;
  const cookies: string[] = [];
  for (let a = 0; a < accounts; a += 1) {
    const username = `scale-console-${a + 1}`;
    const res = await fetch(`${url}/api/v1/users`, { method: 'POST', headers: { 'content-type': 'application/json', ...authHeader }, body: JSON.stringify({ username, password, role: 'viewer' }), signal: AbortSignal.timeout(30_000) });
    if (res.status !== 201) throw new Error(`creating ${username}: HTTP ${res.status} ${await res.text()}`);
    const { cookie } = await login(url, username, password);
    for (let s = 0; s < STREAMS_PER_ACCOUNT && cookies.length < CONSOLES; s += 1) cookies.push(cookie);
  }

  const pairsPerProcess = Math.max(1, Math.floor(AGENTS_PER_PROCESS / 2));
  const processes = Math.ceil(PAIRS / pairsPerProcess);
  const simulators: Array<BenchChild<AgentsResult>> = [];
  for (let p = 0; p < processes; p += 1) {
    const share = pairs.slice(p * pairsPerProcess, (p + 1) * pairsPerProcess);
    const file = join(dataDir, `agents-${p}.json`);
    const work: AgentsWork = {
      url,
      intervalMs: REPORT_INTERVAL_MS,
      // Site-wide every FAILOVER_EVERY_MS: each process takes its share.
      failoverEveryMs: FAILOVER_EVERY_MS === 0 ? 0 : FAILOVER_EVERY_MS * processes,
      dropsPerSecond: DROPS_PER_S / processes,
      seed: 1 + p,
      connections: Math.min(share.length * 2, 256),
      statisticsEveryMs: STATISTICS_MS,
      pairs: share.map(({ cluster, secret, recorderId, cameraIds }) => ({ cluster, secret, recorderId, cameraIds })),
    };
    writeFileSync(file, JSON.stringify(work));
    const child = forkBenchChild<AgentsResult>('./scale-agents.ts', file);
    cleanups.push(() => child.stop());
    if (NICE > 0) reniceAll(child.pid, NICE);
    simulators.push(child);
  }
  await Promise.all(simulators.map((s) => s.ready));
  let consoles: BenchChild<ConsolesResult> | null = null;
  if (CONSOLES > 0) {
    const file = join(dataDir, 'consoles.json');
    const work: ConsolesWork = { url, cookies };
    writeFileSync(file, JSON.stringify(work));
    const child = forkBenchChild<ConsolesResult>('./scale-consoles.ts', file);
    cleanups.push(() => child.stop());
    if (NICE > 0) reniceAll(child.pid, NICE);
    consoles = child;
    await child.ready;
  }
  const children = [...simulators, ...(consoles === null ? [] : [consoles])];
  const phase = (name: string): void => {
    for (const c of children) c.phase(name);
  };
  console.log(`  set up in ${((performance.now() - seedStart) / 1000).toFixed(0)} s: ${processes} simulator process(es) (PIDs ${simulators.map((s) => s.pid).join(', ')}), ${CONSOLES} consoles on ${accounts} accounts (PID ${consoles?.pid ?? '-'})`);

  // Every camera in the overview before anything is measured; a controller that cannot get
  // there in time is measured as it is (its figures then say how far behind it is).
  const expected = PAIRS * CAMERAS_PER_PAIR;
  const deadline = performance.now() + 120_000;
  for (;;) {
    // An overloaded controller may not answer in time: that is asked again until the deadline.
    const total = await fetch(`${url}/api/v1/cameras?limit=1`, { headers: authHeader, signal: AbortSignal.timeout(30_000) })
      .then(async (res) => ((await res.json()) as { total?: number }).total)
      .catch((err: unknown) => `no answer (${err instanceof Error ? err.message : String(err)})`);
    if (total === expected) break;
    if (performance.now() > deadline) {
      console.log(`  the overview lists ${String(total)} of ${expected} cameras 120 s after the agents started: the controller is behind; measuring anyway`);
      break;
    }
    await sleep(1_000);
  }
  phase('warmup');
  await sleep(WARMUP_S * 1000);

  const pids = { controller: controller.pid, simulators: simulators.map((s) => s.pid), consoles: consoles === null ? [] : [consoles.pid] };
  phase('steady');
  const walFrom = database === null ? null : await pgWriteMark(database.url);
  const steady = await measured(controller.url, pids, () => sleep(DURATION_S * 1000));
  const pgWrites: PgWrites | null = database === null || walFrom === null ? null : await pgWritesBetween(database.url, walFrom, await pgWriteMark(database.url));
  const residentSteady = residentBytes(controller.pid);

  phase('overview');
  const firstCluster = pairs[0]?.clusterId as string;
  const queries: Array<[string, string]> = [
    ['first page (100, by name)', '/api/v1/cameras'],
    ['problems only', '/api/v1/cameras?problems=true'],
    ['text search', '/api/v1/cameras?q=Camera%20042'],
    ['by status, page 50', '/api/v1/cameras?sort=status&offset=4900'],
    ['one cluster, 500 per page', `/api/v1/cameras?limit=500&clusterId=${firstCluster}`],
    // A page from the middle of the site.
    ['all, 500 per page', `/api/v1/cameras?limit=500&offset=${Math.floor(expected / 1000) * 500}`],
    ['problems only, 500, status', '/api/v1/cameras?problems=true&sort=status&limit=500'],
  ];
  const chosen = QUERIES === undefined ? queries : QUERIES.includes('none') ? [] : queries.filter(([label]) => QUERIES.some((q) => label.includes(q)));
  if (chosen.length === 0 && QUERIES?.includes('none') !== true) throw new Error(`SCALE_BENCH_QUERIES matches no query shape: ${queries.map(([l]) => l).join('; ')}`);
  const overview = await measured(controller.url, pids, async () => {
    const rows: Array<{ label: string; p50: number; p99: number; max: number; rate: number; total: number; failed: string | null }> = [];
    for (const [label, path] of chosen) {
      const r = await autocannon(`${url}${path}`, authHeader, { connections: CONNECTIONS, durationS: QUERY_DURATION_S, nice: NICE });
      // An overloaded controller that does not answer (autocannon's timeouts are errors) is a figure too, not the end of the run.
      const failed = r.non2xx > 0 || r.errors > 0 ? `${r.non2xx} non-2xx answers, ${r.errors} errors or timeouts` : null;
      rows.push({ label, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, rate: r.requests.average, total: r.requests.total, failed });
    }
    return rows;
  });
  phase('end');
  const agentResults = await Promise.all(simulators.map((s) => s.finish()));
  const consoleResult = consoles === null ? null : await consoles.finish();
  const residentEnd = residentBytes(controller.pid);
  const load1 = loadavg();

  // Printing.
  const merged = (phaseName: string): { latency: Summary | null; ok: number; failed: number; behind: number } => {
    let ok = 0;
    let failed = 0;
    let behind = 0;
    let latency: Summary | null = null;
    for (const r of agentResults) {
      const c = r.counts[phaseName];
      ok += c?.ok ?? 0;
      failed += c?.failed ?? 0;
      behind += c?.behind ?? 0;
      const s = r.latencyMs[phaseName];
      // Per-process summaries: the worse of them is printed (p50 and p99 of the union are not derivable).
      if (s !== undefined && (latency === null || s.p99 > latency.p99)) latency = s;
    }
    return { latency, ok, failed, behind };
  };
  const cpuShare = (m: PhaseMeasure): number | null => (m.controllerCpuS === null ? null : m.controllerCpuS / m.wallS);
  const printPhase = (name: string, m: PhaseMeasure): void => {
    const share = cpuShare(m);
    const sims = m.simulatorsCpuS === null ? '?' : (m.simulatorsCpuS / m.wallS).toFixed(2);
    const consolesCpu = m.consolesCpuS === null ? '?' : (m.consolesCpuS / m.wallS).toFixed(2);
    const machine = m.machineBusyShare === null ? '?' : `${Math.round(m.machineBusyShare * 100)} %`;
    const delay = m.eventLoopDelay === null ? '?' : `p99 ${m.eventLoopDelay.p99Ms.toFixed(0)} ms, max ${m.eventLoopDelay.maxMs.toFixed(0)} ms`;
    console.log(`  [${name}, ${m.wallS.toFixed(0)} s] controller CPU ${share === null ? '?' : share.toFixed(2)} cores (target ≤ ${target.cpuCores}: ${share === null ? '?' : verdict(share <= target.cpuCores)}), event loop delay ${delay}; simulators ${sims} cores, consoles ${consolesCpu}${NICE > 0 ? ` (both at nice ${NICE})` : ''}; machine busy ${machine} of ${cpus().length} cores`);
    const r = merged(name);
    if (r.latency !== null) console.log(`  [${name}] reports: p50 ${ms(r.latency.median)}  p99 ${ms(r.latency.p99)}  max ${ms(r.latency.max)} (target p99 ≤ ${target.reportP99Ms} ms: ${verdict(r.latency.p99 <= target.reportP99Ms)}); ${r.ok} taken (${Math.round(r.ok / m.wallS)}/s of ${PAIRS * 2}/s due), ${r.failed} failed, ${r.behind} due while the previous was out`);
    const own = agentResults.map((a) => a.loopDelayMs[name]).filter((d) => d !== undefined);
    if (own.length > 0) console.log(`  [${name}] the simulators' own event loop delay (the worse process): p99 ${Math.max(...own.map((d) => d.p99)).toFixed(0)} ms, max ${Math.max(...own.map((d) => d.max)).toFixed(0)} ms, part of the latency they time`);
    const at = m.reportsAtController;
    const bound = (x: number): string => (Number.isFinite(x) ? `≤ ${x} ms` : 'above the last bucket');
    if (at !== null) console.log(`  [${name}] reports at the controller (its request histogram, ${at.count} answered): p50 ${bound(at.p50MsMax)}, p99 ${bound(at.p99MsMax)}`);
    if (m.heap !== null) console.log(`  [${name}] controller heap at the end: ${m.heap.usedBytes === null ? '?' : mb(m.heap.usedBytes)} used, ${m.heap.externalBytes === null ? '?' : mb(m.heap.externalBytes)} outside the heap`);
    const e = consoleResult?.delayMs[name];
    if (e !== undefined) console.log(`  [${name}] events to ${consoleResult?.consoles} consoles: p50 ${ms(e.median)}  p99 ${ms(e.p99)}  max ${ms(e.max)} over ${e.count} arrivals (target ≤ ${target.eventDelayMs} ms: ${verdict(e.max <= target.eventDelayMs)})`);
  };
  console.log(`  machine: ${cpus().length} cores, load average ${load0.map((x) => x.toFixed(1)).join(' ')} before, ${load1.map((x) => x.toFixed(1)).join(' ')} after`);
  printPhase('steady', steady.measure);
  if (pgWrites !== null) console.log(`  [steady] PostgreSQL writes: WAL ${(pgWrites.walBytesPerSecond / 1024 ** 2).toFixed(1)} MB/s (the whole server), node_status_share ${Math.round(pgWrites.statusShareRowsPerSecond)} rows/s`);
  const share = steady.measure.statusShare;
  if (share !== null) {
    const perS = (n: number): number => n / steady.measure.wallS;
    console.log(`  [steady] node status sharing (the controller's counters): ${Math.round(perS(share.statuses))} whole statuses/s (${(perS(share.statusBytes) / 1024 ** 2).toFixed(2)} MB/s of JSON), ${Math.round(perS(share.stamps))} stamps/s`);
  }
  printPhase('overview', overview.measure);
  console.log(`  overview queries (autocannon -c ${CONNECTIONS} -d ${QUERY_DURATION_S} from another process${NICE > 0 ? ` at nice ${NICE}` : ''}, while the agents report), target p99 ≤ ${target.overviewP99Ms} ms:`);
  for (const q of overview.value) console.log(`    ${q.label.padEnd(28)} p50 ${String(q.p50).padStart(4)} ms   p99 ${String(q.p99).padStart(4)} ms   max ${String(q.max).padStart(5)} ms   ${Math.round(q.rate)} req/s   ${q.total === 0 ? 'MISSED (no answer within the run)' : q.failed !== null ? `MISSED (${q.failed})` : verdict(q.p99 <= target.overviewP99Ms)}`);
  const peak = residentEnd?.peak ?? residentSteady?.peak ?? null;
  console.log(`  controller resident memory: peak ${peak === null ? '?' : mb(peak)}, after steady ${residentSteady === null ? '?' : mb(residentSteady.now)}, at the end ${residentEnd === null ? '?' : mb(residentEnd.now)} (target ≤ ${mb(target.residentBytes)}: ${peak === null ? '?' : verdict(peak <= target.residentBytes)})`);
  console.log(`  churn: ${agentResults.reduce((a, r) => a + r.failovers, 0)} failovers, ${agentResults.reduce((a, r) => a + r.drops, 0)} camera drops, ${STATISTICS_MS > 0 ? `every camera's frame rate and used space new every ${STATISTICS_MS / 1000} s` : 'statistics unchanged'}, uptime and ping new in every report; consoles got ${consoleResult?.eventsMin ?? 0}–${consoleResult?.eventsMax ?? 0} events each, ${consoleResult?.dropped ?? 0} streams dropped`);

}

/** After the controller stopped (a profile is written as it exits): its busiest functions, even when the run failed. */
function printProfile(profileDir: string): void {
  const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  // The main thread's profile is the largest (tsx's loader thread writes one too).
  const largest = files.map((f) => ({ f, bytes: statSync(join(profileDir, f)).size })).sort((a, b) => b.bytes - a.bytes)[0];
  if (largest === undefined) return console.log('  no CPU profile was written');
  const file = join(profileDir, largest.f);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  console.log(`  controller CPU profile (self time over the whole run, set-up included):`);
  for (const l of formatSelfTimes(summarizeProfile(profile, 25))) console.log(`    ${l}`);
  const keep = process.env.SCALE_BENCH_CPU_PROF_KEEP;
  if (keep !== undefined && keep !== '') copyFileSync(file, keep);
}

try {
  await main();
} finally {
  await cleanupAll();
  forget();
}

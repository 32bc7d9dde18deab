// `npm run bench -- pool` (issue 17): failovers of a pool, on `lab up --pool 2:1 --with-agents`
// with a controller (`twinrec serve`, SQLite, its own process). Per run one protected recording
// server's host dies (its agent and its recorder, kill -9; the runs alternate between the two
// servers); measured from the kill to
//   lease serving   the standby's lease `serving` in the pool view (the controller saw the standby
//                   hold the server's endpoint under the takeover's epoch)
//   recording       the standby's SOAP status says it records every camera of the server
//   live view       the first live frame through the server's shared address (its relay), from a
//                   client that reconnects every 50 ms–1 s from before the kill
// and, as a marker, `pool.failover-started` (the controller's detection; its event time). Then the
// host is started again, and measured from its start to the failback: the relay forwards to the
// protected recorder again and the pool view says `protected` with the standby free (this
// includes the policy's hold-down). Medians and maxima of each phase, the policy's disconnection
// time (the physical floor of a takeover: nothing may start before it) and the ratio of each
// phase to it, and the machine's load average before and after.
// Environment: POOL_BENCH_RUNS (default 10, 1..30), POOL_BENCH_CAMERAS (cameras per protected
// server, default 64), POOL_BENCH_DISCONNECTED_SECONDS (default 3, the policy's minimum),
// POOL_BENCH_HOLD_DOWN_SECONDS (default 5).
// Not yet: hot standby (a hot standby's recorder is not kept running with its server's
// configuration yet, so it would measure the same as a cold one).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PoolSettings } from '../contracts/cluster-policy-v1.js';
import { labFault, startLab, waitFor, type RunningLab } from '../lab/testing/harness.js';
import { adminAuthHeader, testAdminPassword } from '../test/helpers/auth.js';
import { LiveViewer } from '../test/helpers/ha-lab.js';
import { poolClusterId, poolEvents, poolView, registeredPool, setUpPool, type AdminApi } from '../test/helpers/pool-admin.js';
import { recordingCameras, relayStateOf } from '../test/helpers/pool-lab.js';
import { runTwinrec, stopOnSignal, type TwinrecProcess } from '../test/helpers/process.js';
import { summarize } from './stats.js';

function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer within ${min}..${max}, got ${JSON.stringify(raw)}`);
  return value;
}

const RUNS = intEnv('POOL_BENCH_RUNS', 10, 1, 30);
const CAMERAS = intEnv('POOL_BENCH_CAMERAS', 64, 1, 256);
const DISCONNECTED_S = intEnv('POOL_BENCH_DISCONNECTED_SECONDS', 3, 3, 600);
const HOLD_DOWN_S = intEnv('POOL_BENCH_HOLD_DOWN_SECONDS', 5, 0, 600);
/** Polling of the pool view, the relay and the SOAP status while a phase is open. */
const POLL_MS = 100;
const PHASE_TIMEOUT_MS = 180_000;

const policy: PoolSettings = {
  triggers: { disconnectedSeconds: DISCONNECTED_S, serviceDown: { enabled: true, seconds: DISCONNECTED_S }, storage: { enabled: true, seconds: 30 } },
  failover: 'automatic',
  stopFailover: 'automatic',
  holdDownSeconds: HOLD_DOWN_S,
  // A benchmark measures the takeover and the return, not the recordings' way back.
  failbackRecordings: 'discard',
};

interface RunFigures {
  readonly server: string;
  readonly detectionMs: number;
  readonly leaseServingMs: number;
  readonly recordingMs: number;
  readonly liveMs: number;
  readonly failbackMs: number;
  readonly epoch: number;
}

const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

/** `twinrec serve` on SQLite in its own folder, with trust on first use for the lab's pool. */
async function startController(): Promise<{ api: AdminApi; process: TwinrecProcess; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'twinrec-pool-bench-ctl-'));
  const proc = runTwinrec(['serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], { env: { TWINREC_AUTH_ADMIN_PASSWORD: testAdminPassword, TWINREC_AGENTS_TRUST_ON_FIRST_USE: 'true' } });
  const stop = async (): Promise<void> => {
    await proc.stop('SIGTERM', 10_000);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const { url } = JSON.parse(await proc.waitForLine((l) => l.includes('"listening"'), 60_000)) as { url: string };
    return { api: { url, authHeader: await adminAuthHeader(url, testAdminPassword) }, process: proc, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Starts a lab process through the control API, which answers once it runs: a recorder of 64 cameras under load takes more than labFault's 10 s. */
async function labStart(controlUrl: string, path: string): Promise<void> {
  const res = await fetch(`${controlUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(60_000) });
  if (res.status !== 200) throw new Error(`lab ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
}

/** Resolves with the ms from `fromMs` when `probe` first answers true, polling every POLL_MS (errors count as not yet). */
async function until(what: string, fromMs: number, probe: () => Promise<boolean>): Promise<number> {
  return waitFor(what, async () => ((await probe().catch(() => false)) ? Date.now() - fromMs : undefined), PHASE_TIMEOUT_MS, POLL_MS);
}

async function main(): Promise<void> {
  const loadBefore = load();
  const controller = await startController();
  let lab: RunningLab | undefined;
  const cleanup = async (): Promise<void> => {
    await lab?.stop();
    await controller.stop();
  };
  const release = stopOnSignal(cleanup);
  try {
    lab = await startLab(['--pool', '2:1', '--cameras', String(CAMERAS), '--fps', '10', '--block-duration-ms', '2000', '--no-fsync', '--with-agents', '--controller', controller.api.url]);
    const { api } = controller;
    const description = lab.description;
    const servers = description.pairs.filter((p) => p.role === 'protected');
    const standby = description.pairs.find((p) => p.role === 'failover')?.recorders[0];
    if (servers.length !== 2 || standby === undefined) throw new Error('the lab is not a 2:1 pool');
    const clusterId = await waitFor('the pool registered', () => poolClusterId(api), 120_000, 250);
    const registered = await waitFor('every agent registered and reporting', () => registeredPool(api, clusterId, 2, 1), 120_000, 250);
    await setUpPool(api, clusterId, registered, policy);
    const nodeIdOf = new Map(registered.protectedServers.map((s) => [s.name, s.nodeId]));
    process.stdout.write(`# pool 2:1, ${CAMERAS} cameras per protected server at 10 fps; policy: failover after ${DISCONNECTED_S} s without a report, failback after ${HOLD_DOWN_S} s healthy; ${RUNS} runs; load now: ${load()}\n`);

    const runs: RunFigures[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const server = servers[run % 2] as (typeof servers)[number];
      const recorder = server.recorders[0] as (typeof server.recorders)[number];
      const cluster = server.cluster;
      if (cluster === undefined) throw new Error(`${recorder.name} has no relay`);
      const secret = readFileSync(cluster.secretFile, 'utf8').trim();
      const nodeId = nodeIdOf.get(recorder.name) as string;
      const cameraIds = [...server.cameraIds].sort();
      const protectedServes = async (): Promise<boolean> => {
        const [view, relay] = await Promise.all([poolView(api, clusterId), relayStateOf(cluster.relay.controlUrl, secret)]);
        return view.protectedServers.find((s) => s.nodeId === nodeId)?.failover.state === 'protected' && view.standbys.every((s) => s.lease.state === 'free') && relay.target?.port === recorder.imageServer.port;
      };
      await waitFor(`${recorder.name} serves, the standby is free`, async () => ((await protectedServes().catch(() => false)) ? true : undefined), PHASE_TIMEOUT_MS, 250);
      const viewer = new LiveViewer(description, cluster.sharedAddress, cameraIds[0] as string);
      try {
        await waitFor('live view through the shared address before the kill', () => (viewer.frames > 0 ? true : undefined), 60_000, 100);
        const eventsBefore = new Set((await poolEvents(api, clusterId)).map((e) => e.id));

        const killedAtMs = Date.now();
        await labFault(description, `/lab/processes/agent-${recorder.name}/crash`, {});
        await labFault(description, `/lab/recorders/${recorder.name}/crash`, {});
        let epoch = 0;
        const [leaseServingMs, recordingMs, liveMs] = await Promise.all([
          until('the standby lease serving', killedAtMs, async () => {
            const lease = (await poolView(api, clusterId)).standbys.find((s) => s.serving?.nodeId === nodeId)?.lease;
            epoch = lease?.epoch ?? 0;
            return lease?.state === 'serving';
          }),
          until("the standby records every camera of the server", killedAtMs, async () => (await recordingCameras(description, standby.webServerUri, cameraIds)).length === cameraIds.length),
          waitFor('live view through the shared address, from the standby', () => viewer.connections.find((c) => c.firstFrameAtMs > killedAtMs)?.firstFrameAtMs, PHASE_TIMEOUT_MS, 50).then((at) => at - killedAtMs),
        ]);
        const started = (await poolEvents(api, clusterId)).find((e) => !eventsBefore.has(e.id) && e.kind === 'pool.failover-started' && e.nodeId === nodeId);
        const detectionMs = started === undefined ? NaN : Date.parse(started.time) - killedAtMs;

        const restartedAtMs = Date.now();
        await labStart(description.control.url, `/lab/recorders/${recorder.name}/start`);
        await labStart(description.control.url, `/lab/processes/agent-${recorder.name}/start`);
        const failbackMs = await until(`${recorder.name} serves again`, restartedAtMs, protectedServes);
        const figures = { server: recorder.name, detectionMs, leaseServingMs, recordingMs, liveMs, failbackMs, epoch };
        runs.push(figures);
        process.stdout.write(`# run ${run + 1}: ${JSON.stringify(figures)}; load ${load()}\n`);
      } finally {
        await viewer.stop();
      }
    }
    printSummary(runs, loadBefore);
  } finally {
    await cleanup();
    release();
  }
}

function printSummary(runs: readonly RunFigures[], loadBefore: string): void {
  const floorMs = DISCONNECTED_S * 1_000;
  const row = (title: string, values: readonly number[], floor: boolean): string => {
    const s = summarize(values.filter((v) => Number.isFinite(v)));
    const ratio = floor ? `   ${(s.median / floorMs).toFixed(2)}× / ${(s.max / floorMs).toFixed(2)}× the disconnection time` : '';
    return `  ${title.padEnd(38)} median ${String(s.median).padStart(6)} ms   max ${String(s.max).padStart(6)} ms   (n=${s.count})${ratio}`;
  };
  process.stdout.write(`
Pool failover (lab --pool 2:1, ${CAMERAS} cameras per protected server, cold standby, ${runs.length} runs)
  policy: disconnection ${DISCONNECTED_S} s (the floor of any takeover), hold-down ${HOLD_DOWN_S} s, recordings discarded at failback
  from kill -9 of the protected server's agent and recorder to:
${row('detection (pool.failover-started)', runs.map((r) => r.detectionMs), true)}
${row('the standby lease serving', runs.map((r) => r.leaseServingMs), true)}
${row('the standby recording every camera', runs.map((r) => r.recordingMs), true)}
${row('live view through the shared address', runs.map((r) => r.liveMs), true)}
  from the restart of the host to:
${row('serving again (failback)', runs.map((r) => r.failbackMs), false)}
${row('  of which beyond the hold-down', runs.map((r) => r.failbackMs - HOLD_DOWN_S * 1_000), false)}
  takeover epochs: ${runs.map((r) => r.epoch).join(', ')}
  targets (issue 17): cold standby ≤ 10 s to the first recorded frame and to live view
  load average (1, 5, 15 min): before ${loadBefore}, after ${load()} on ${availableParallelism()} cores
`);
}

await main();

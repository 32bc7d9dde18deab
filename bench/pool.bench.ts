// `npm run bench -- pool` (issue 17): failovers of a pool, on `lab up --pool 2:2 --with-agents`
// with a controller (`twinrec serve`, SQLite, its own process): recorder-p2 is protected by a
// failover group with failover-1 (a cold standby), recorder-p1 by failover-2 as its hot standby
// (its recorder runs p1's cloned identity and records p1's cameras all along; contracts/pool-v1.ts).
// The runs alternate: cold (p2) and hot (p1). Per run the protected server's recorder dies
// (kill -9; POOL_BENCH_KILL=host kills its agent too, which the controller then detects by the
// disconnection time); measured from the kill to
//   lease serving   the standby's lease `serving` in the pool view (the controller saw the standby
//                   hold the server's endpoint under the takeover's epoch)
//   recording       the standby's SOAP status says it records every camera of the server (a hot
//                   standby already did at the kill: 0, and said so)
//   live view       the first live frame through the server's shared address (its relay), from a
//                   client that reconnects every 50 ms–1 s from before the kill
// and, as a marker, `pool.failover-started` (the controller's detection; its event time). Then the
// failback: with a recorder kill the agent stays and counts as recovered, so failover stops after
// the hold-down and the agent starts its recorder again at the resume; with a host kill the host is
// started again. Measured from the lease serving (recorder kill) or the host's start to the relay
// forwarding to the protected recorder again with the pool view `protected` and the standby free
// (hot: and ready again). Medians and maxima of each phase per standby kind, with the targets
// (cold ≤ 10 s, hot ≤ 2 s), and the machine's load average before and after.
// Environment: POOL_BENCH_RUNS (runs per standby kind, default 10, 1..30), POOL_BENCH_CAMERAS
// (cameras per protected server, default 64), POOL_BENCH_KILL (recorder, default, or host),
// POOL_BENCH_SERVICE_DOWN_SECONDS (the serviceDown trigger, default 0),
// POOL_BENCH_DISCONNECTED_SECONDS (default 3, the policy's minimum), POOL_BENCH_HOLD_DOWN_SECONDS
// (default 5), POOL_BENCH_KINDS (cold,hot by default; one of them alone is allowed).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PoolSettings } from '../contracts/cluster-policy-v1.js';
import { labFault, startLab, waitFor, type RunningLab } from '../lab/testing/harness.js';
import { adminAuthHeader, testAdminPassword } from '../test/helpers/auth.js';
import { LiveViewer } from '../test/helpers/ha-lab.js';
import { adminRequest, poolClusterId, poolEvents, poolView, registeredPool, type AdminApi } from '../test/helpers/pool-admin.js';
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
const SERVICE_DOWN_S = intEnv('POOL_BENCH_SERVICE_DOWN_SECONDS', 0, 0, 600);
const HOLD_DOWN_S = intEnv('POOL_BENCH_HOLD_DOWN_SECONDS', 5, 0, 600);
const KILL = choiceEnv('POOL_BENCH_KILL', ['recorder', 'host'] as const, 'recorder');
const KINDS = kindsEnv();
/** Polling of the pool view, the relay and the SOAP status while a phase is open. */
const POLL_MS = 100;
const PHASE_TIMEOUT_MS = 180_000;
const TARGET_MS = { cold: 10_000, hot: 2_000 } as const;

type StandbyKind = 'cold' | 'hot';

function choiceEnv<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!(choices as readonly string[]).includes(raw)) throw new Error(`${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw as T;
}

function kindsEnv(): readonly StandbyKind[] {
  const raw = process.env['POOL_BENCH_KINDS'] ?? 'cold,hot';
  const kinds = raw.split(',').map((k) => k.trim());
  if (kinds.length === 0 || kinds.some((k) => k !== 'cold' && k !== 'hot') || new Set(kinds).size !== kinds.length) throw new Error(`POOL_BENCH_KINDS must be cold, hot or cold,hot, got ${JSON.stringify(raw)}`);
  return kinds as StandbyKind[];
}

const policy: PoolSettings = {
  triggers: { disconnectedSeconds: DISCONNECTED_S, serviceDown: { enabled: true, seconds: SERVICE_DOWN_S }, storage: { enabled: true, seconds: 30 } },
  failover: 'automatic',
  stopFailover: 'automatic',
  holdDownSeconds: HOLD_DOWN_S,
  // A benchmark measures the takeover and the return, not the recordings' way back.
  failbackRecordings: 'discard',
};

interface RunFigures {
  readonly kind: StandbyKind;
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
    lab = await startLab(['--pool', '2:2', '--cameras', String(CAMERAS), '--fps', '10', '--block-duration-ms', '2000', '--no-fsync', '--with-agents', '--controller', controller.api.url]);
    const { api } = controller;
    const description = lab.description;
    const serverNamed = (name: string) => description.pairs.find((p) => p.role === 'protected' && p.recorders[0]?.name === name);
    const standbyNamed = (name: string) => description.pairs.find((p) => p.role === 'failover' && p.recorders[0]?.name === name)?.recorders[0];
    const setup = { cold: { server: serverNamed('recorder-p2'), standby: standbyNamed('failover-1') }, hot: { server: serverNamed('recorder-p1'), standby: standbyNamed('failover-2') } };
    if (setup.cold.server === undefined || setup.hot.server === undefined || setup.cold.standby === undefined || setup.hot.standby === undefined) throw new Error('the lab is not a 2:2 pool of recorder-p1, recorder-p2, failover-1 and failover-2');
    const clusterId = await waitFor('the pool registered', () => poolClusterId(api), 120_000, 250);
    const registered = await waitFor('every agent registered and reporting', () => registeredPool(api, clusterId, 2, 2), 120_000, 250);
    const nodeIdOf = new Map([...registered.protectedServers, ...registered.standbys].map((s) => [s.name, s.nodeId]));
    const idOf = (name: string): string => nodeIdOf.get(name) ?? assertNever(`${name} did not register`);
    // The administrator's setup: failover-1 in a group for recorder-p2, failover-2 the hot standby of recorder-p1.
    const pool = `/api/v1/clusters/${clusterId}`;
    const group = await adminRequest<{ id: string }>(api, 'POST', `${pool}/failover-groups`, { name: 'Hall' });
    await adminRequest(api, 'PUT', `${pool}/failover-groups/${group.id}/standbys`, { standbyNodeIds: [idOf('failover-1')] });
    await adminRequest(api, 'PUT', `${pool}/nodes/${idOf('recorder-p2')}/failover`, { primaryGroupId: group.id, secondaryGroupId: null, hotStandbyNodeId: null, standbySelection: 'sequence' });
    await adminRequest(api, 'PUT', `${pool}/nodes/${idOf('recorder-p1')}/failover`, { primaryGroupId: null, secondaryGroupId: null, hotStandbyNodeId: idOf('failover-2'), standbySelection: 'sequence' });
    await adminRequest(api, 'PATCH', `${pool}/policy`, { pool: policy });
    process.stdout.write(`# pool 2:2, ${CAMERAS} cameras per protected server at 10 fps; kill -9 of the ${KILL === 'host' ? "protected server's agent and recorder" : "protected server's recorder"}; policy: serviceDown ${SERVICE_DOWN_S} s, disconnection ${DISCONNECTED_S} s, hold-down ${HOLD_DOWN_S} s; ${RUNS} runs per kind (${KINDS.join(', ')}); load now: ${load()}\n`);

    const runs: RunFigures[] = [];
    for (let run = 0; run < RUNS * KINDS.length; run += 1) {
      const kind = KINDS[run % KINDS.length] as StandbyKind;
      const server = setup[kind].server as NonNullable<(typeof setup)['cold']['server']>;
      const standby = setup[kind].standby as NonNullable<(typeof setup)['cold']['standby']>;
      const recorder = server.recorders[0] as (typeof server.recorders)[number];
      const cluster = server.cluster;
      if (cluster === undefined) throw new Error(`${recorder.name} has no relay`);
      const secret = readFileSync(cluster.secretFile, 'utf8').trim();
      const nodeId = idOf(recorder.name);
      const cameraIds = [...server.cameraIds].sort();
      const standbyRecordsAll = async (): Promise<boolean> => (await recordingCameras(description, standby.webServerUri, cameraIds)).length === cameraIds.length;
      const protectedServes = async (): Promise<boolean> => {
        const [view, relay] = await Promise.all([poolView(api, clusterId), relayStateOf(cluster.relay.controlUrl, secret)]);
        const ready = view.protectedServers.find((s) => s.nodeId === nodeId)?.failover.state === 'protected' && view.standbys.every((s) => s.lease.state === 'free') && relay.target?.port === recorder.imageServer.port;
        // A hot standby is ready again when it records the server's cameras (its own SOAP status).
        return ready && (kind === 'cold' || (await standbyRecordsAll()));
      };
      await waitFor(`${recorder.name} serves, its ${kind} standby is free${kind === 'hot' ? ' and records its cameras' : ''}`, async () => ((await protectedServes().catch(() => false)) ? true : undefined), PHASE_TIMEOUT_MS, 250);
      const viewer = new LiveViewer(description, cluster.sharedAddress, cameraIds[0] as string);
      try {
        await waitFor('live view through the shared address before the kill', () => (viewer.frames > 0 ? true : undefined), 60_000, 100);
        const eventsBefore = new Set((await poolEvents(api, clusterId)).map((e) => e.id));

        const killedAtMs = Date.now();
        if (KILL === 'host') await labFault(description, `/lab/processes/agent-${recorder.name}/crash`, {});
        await labFault(description, `/lab/recorders/${recorder.name}/crash`, {});
        let epoch = 0;
        const [leaseServingMs, recordingMs, liveMs] = await Promise.all([
          until('the standby lease serving', killedAtMs, async () => {
            const lease = (await poolView(api, clusterId)).standbys.find((s) => s.serving?.nodeId === nodeId)?.lease;
            epoch = lease?.epoch ?? 0;
            return lease?.state === 'serving';
          }),
          until('the standby records every camera of the server', killedAtMs, standbyRecordsAll),
          waitFor('live view through the shared address, from the standby', () => viewer.connections.find((c) => c.firstFrameAtMs > killedAtMs)?.firstFrameAtMs, PHASE_TIMEOUT_MS, 50).then((at) => at - killedAtMs),
        ]);
        const started = (await poolEvents(api, clusterId)).find((e) => !eventsBefore.has(e.id) && e.kind === 'pool.failover-started' && e.nodeId === nodeId);
        const detectionMs = started === undefined ? NaN : Date.parse(started.time) - killedAtMs;

        const failbackFromMs = Date.now();
        if (KILL === 'host') {
          await labStart(description.control.url, `/lab/recorders/${recorder.name}/start`);
          await labStart(description.control.url, `/lab/processes/agent-${recorder.name}/start`);
        }
        const failbackMs = await until(`${recorder.name} serves again`, failbackFromMs, protectedServes);
        const figures: RunFigures = { kind, server: recorder.name, detectionMs, leaseServingMs, recordingMs, liveMs, failbackMs, epoch };
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

function assertNever(message: string): never {
  throw new Error(message);
}

function printSummary(runs: readonly RunFigures[], loadBefore: string): void {
  const row = (title: string, values: readonly number[], targetMs: number | null): string => {
    const s = summarize(values.filter((v) => Number.isFinite(v)));
    const verdict = targetMs === null ? '' : `   target ≤ ${targetMs} ms: ${s.median <= targetMs && s.max <= targetMs ? 'met' : s.median <= targetMs ? 'median met, max MISSED' : 'MISSED'}`;
    return `  ${title.padEnd(40)} median ${String(s.median).padStart(6)} ms   max ${String(s.max).padStart(6)} ms   (n=${s.count})${verdict}`;
  };
  const killed = KILL === 'host' ? "the protected server's agent and recorder" : "the protected server's recorder";
  const sections = KINDS.map((kind) => {
    const of = runs.filter((r) => r.kind === kind);
    const target = TARGET_MS[kind];
    return `  ${kind} standby (${kind === 'cold' ? 'failover-1 in a group: stop, clone, start, wait for every camera, claim' : 'failover-2, recording recorder-p1\'s cameras all along: fence and claim'}), ${of.length} runs; from kill -9 of ${killed} to:
${row('detection (pool.failover-started)', of.map((r) => r.detectionMs), null)}
${row('the standby lease serving', of.map((r) => r.leaseServingMs), null)}
${row(kind === 'hot' ? 'the standby recording every camera (all along)' : 'the standby recording every camera', of.map((r) => r.recordingMs), target)}
${row('live view through the shared address', of.map((r) => r.liveMs), target)}
  from ${KILL === 'host' ? "the host's restart" : 'the lease serving'} to:
${row('serving again (failback)', of.map((r) => r.failbackMs), null)}
${row('  of which beyond the hold-down', of.map((r) => r.failbackMs - HOLD_DOWN_S * 1_000), null)}
  takeover epochs: ${of.map((r) => r.epoch).join(', ')}`;
  });
  process.stdout.write(`
Pool failover (lab --pool 2:2, ${CAMERAS} cameras per protected server)
  policy: serviceDown ${SERVICE_DOWN_S} s, disconnection ${DISCONNECTED_S} s, hold-down ${HOLD_DOWN_S} s, recordings discarded at failback
${sections.join('\n')}
  targets (issue 17): cold standby ≤ 10 s, hot standby ≤ 2 s, to the first recorded frame and to live view
  load average (1, 5, 15 min): before ${loadBefore}, after ${load()} on ${availableParallelism()} cores
`);
}

await main();

// `npm run bench -- failover`: failover of a cloned pair under four faults (bench/failover-faults.ts),
// at 8 and 64 cameras, with the conservative (default) and fast profiles, RUNS runs each:
//   recorder-kill  kill -9 of the Serving recorder; detection: its own agent decides to hand over
//                  (`failover.local-health`)
//   host-death     the Serving node's agent and recorder SIGKILLed together (a power loss);
//                  detection: the PEER's agent claims (`failover.claiming`)
//   host-freeze    both SIGSTOPped; detection as for host-death; then resumed: the old node must
//                  step down
//   partition      heartbeats cut both ways, the controller (witness) reachable by both: no
//                  failover may happen
// For the failover kinds: (a) detection, (b) the relay on the shared address points at the peer,
// (c) the first live frame through the shared address (a client that reconnects every 50–100 ms).
// Targets for a dead host: detection ≤ 3 s (conservative), ≤ 1 s (fast).
// Afterwards, per lab, the frame accounting over the whole window (bench/frame-accounting.ts):
// expected frames, what the camera hub emitted to each recorder, and what each storage holds.
// Environment: FAILOVER_BENCH_RUNS (default 5 per kind, at most 10), FAILOVER_BENCH_CAMERAS (default "8,64"),
// FAILOVER_BENCH_PROFILES (default "conservative,fast"), FAILOVER_BENCH_KINDS (default all four).
import type { FailoverProfile } from '../contracts/cluster-policy-v1.js';
import { waitFor } from '../lab/testing/harness.js';
import { allRecording, LiveViewer, startHaLab, type HaLab } from '../test/helpers/ha-lab.js';
import { faultKinds, faultTitles, runFault, type FailoverFigures, type FaultKind, type PartitionFigures, type RunFigures } from './failover-faults.js';
import { accountFrames, framesOfRuns, gridFrames, nearestFault, type CameraWindow, type FrameAccounting } from './frame-accounting.js';
import { fetchEmitted } from './hub-emitted.js';
import { contextLines, readLogs } from './loss-context.js';
import { summarize } from './stats.js';
import { framesInWindow } from './storage-frames.js';

function listEnv<T extends string>(name: string, fallback: readonly T[], allowed: readonly T[]): T[] {
  const raw = process.env[name];
  const values = (raw === undefined || raw.trim() === '' ? [...fallback] : raw.split(',').map((v) => v.trim())) as T[];
  for (const value of values) if (!allowed.includes(value)) throw new Error(`${name}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
  return values;
}

function runsEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer within ${min}..${max}, got ${JSON.stringify(raw)}`);
  return value;
}

// At most 10: runs alternate the Serving node, and an agent restarts its crashed recorder at most
// 5 times per 10 minutes (then leaves it stopped), so 10 recorder kills are all one lab takes.
const RUNS = runsEnv('FAILOVER_BENCH_RUNS', 5, 1, 10);
const CAMERAS = (process.env.FAILOVER_BENCH_CAMERAS ?? '8,64').split(',').map((c) => {
  const count = Number(c.trim());
  if (!Number.isInteger(count) || count < 1 || count > 512) throw new Error(`FAILOVER_BENCH_CAMERAS: ${JSON.stringify(c)} is not a camera count within 1..512`);
  return count;
});
const PROFILES = listEnv<FailoverProfile>('FAILOVER_BENCH_PROFILES', ['conservative', 'fast'], ['conservative', 'fast']);
const KINDS = listEnv<FaultKind>('FAILOVER_BENCH_KINDS', faultKinds, faultKinds);
const FPS = 10;
const BLOCK_MS = 2_000;
/** Targets for detecting a dead host (issue 14). */
const HOST_DETECTION_TARGET_MS: Readonly<Record<FailoverProfile, number>> = { conservative: 3_000, fast: 1_000 };

/** Per camera over [fromMs, toMs]: expected frames, what the hub emitted to each recorder, and what each storage holds. */
async function cameraWindows(ha: HaLab, fromMs: number, toMs: number): Promise<CameraWindow[]> {
  const answer = await fetchEmitted(ha.description.cameraHub.url, fromMs, toMs);
  if (answer.truncated) throw new Error('camera hub: the emitted-frames answer is truncated; shorten the window');
  const windows: CameraWindow[] = [];
  for (const cameraId of ha.cameraIds) {
    const camera = answer.cameras.find((c) => c.cameraId === cameraId);
    if (camera === undefined) throw new Error(`camera hub does not know camera ${cameraId}`);
    const forgotten = camera.recorders.find((r) => r.completeFromMs !== null && r.completeFromMs > fromMs);
    if (forgotten !== undefined) throw new Error(`camera hub forgot frames emitted to ${forgotten.recorder} before ${forgotten.completeFromMs}`);
    const emittedMs = new Map(camera.recorders.map((r) => [r.recorder, framesOfRuns(r.runs, camera.fps)] as const));
    const storedMs = new Map<string, ReadonlySet<number>>();
    for (const node of ha.recorders) {
      const frames = await framesInWindow(ha.agentOf(node).storageDir, cameraId, fromMs, toMs);
      storedMs.set(node, new Set([...frames.recorded, ...frames.filled]));
    }
    windows.push({ cameraId, expectedMs: gridFrames(fromMs, toMs, camera.fps), emittedMs, storedMs });
  }
  return windows;
}

function row(label: string, xs: readonly number[], targetMs?: number): string {
  if (xs.length === 0) return `  ${label.padEnd(38)} (no samples)`;
  const s = summarize(xs);
  const target = targetMs === undefined ? '' : `   target ≤ ${targetMs} ms: ${s.max <= targetMs ? 'met' : s.median <= targetMs ? 'median met, max missed' : 'MISSED'}`;
  return `  ${label.padEnd(38)} median ${String(s.median).padStart(5)} ms   max ${String(s.max).padStart(5)} ms   (n=${s.count})${target}`;
}

function printKind(kind: FaultKind, cameras: number, profile: FailoverProfile, results: readonly RunFigures[]): void {
  console.log(`failover, ${cameras} cameras, ${profile} profile, ${results.length} runs: ${faultTitles[kind]}`);
  if (kind === 'partition') {
    const runs = results.filter((r): r is PartitionFigures => r.kind === 'partition');
    const noticed = runs.flatMap((r) => (r.linkDownMs === null ? [] : [r.linkDownMs]));
    console.log(row('standby logs peer.link-down', noticed));
    console.log(`  failovers while partitioned: ${runs.reduce((sum, r) => sum + r.failovers, 0)} (expected 0)   same node and epoch serving after: ${runs.filter((r) => r.servingUnchanged).length} of ${runs.length}   link-down not logged: ${runs.length - noticed.length}`);
    return;
  }
  const runs = results.filter((r): r is FailoverFigures => r.kind === 'failover');
  const target = kind === 'recorder-kill' ? undefined : HOST_DETECTION_TARGET_MS[profile];
  console.log(row(kind === 'recorder-kill' ? '(a) detection (own agent hands over)' : "(a) detection (peer's claim)", runs.map((r) => r.detectionMs), target));
  console.log(row('(b) relay points at the peer', runs.map((r) => r.relayMs)));
  console.log(row('(c) first live frame via shared addr', runs.map((r) => r.frameMs)));
  console.log(row('    switch after detection (b − a)', runs.map((r) => r.relayMs - r.detectionMs)));
  if (kind === 'host-freeze') {
    const down = runs.filter((r) => r.steppedDown?.ok === true).length;
    console.log(`  resumed node stepped down, relay stayed on the peer: ${down} of ${runs.length}`);
    for (const r of runs) console.log(`    ${r.steppedDown?.ok === true ? 'ok' : 'NOT OK'}: ${r.steppedDown?.detail ?? ''}`);
  }
}

/** What the agents, recorders and camera hub logged from 3 s before the first listed loss to 1 s after it. */
function printLossContext(ha: HaLab, a: FrameAccounting): void {
  const first = a.losses[0];
  if (first === undefined) return;
  const pair = ha.description.pairs[0];
  const hubLog = (ha.description.cameraHub as { logPath?: string | null }).logPath ?? null;
  const entries = readLogs([
    ...ha.agents.map((agent) => ({ path: agent.logPath, source: agent.name })),
    ...(pair?.recorders ?? []).map((r) => ({ path: r.logPath, source: r.name })),
    { path: hubLog, source: 'cameras' },
  ]);
  console.log(`    logged around the first loss (camera ${first.cameraId}, times from its first lost frame):`);
  for (const line of contextLines(entries, first.fromMs - 3_000, first.fromMs + 1_000, first.fromMs, 40)) console.log(`      ${line}`);
}

function printAccounting(a: FrameAccounting, cameras: number, windowMs: number, faults: ReadonlyArray<{ atMs: number; label: string }>): void {
  const shortfall = [...a.shortfallByNode.entries()].map(([node, s]) => `${node} lacks ${s.frames} (${s.notEmittedToIt} never sent to it)`).join(', ');
  console.log(
    `  frame accounting (${cameras} cameras, ${(windowMs / 1000).toFixed(0)} s): ${a.expected} expected, ${a.onBothNodes} on both nodes, ${a.onOneNodeOnly} on one node only [${shortfall}]; ` +
      `LOST from the union: ${a.lost} (never emitted ${a.neverEmitted}, emitted but stored on neither ${a.emittedNotStored}) on ${a.camerasWithLoss} camera(s); stored off the grid: ${a.offGrid}`,
  );
  for (const loss of a.losses) {
    const near = nearestFault(loss.fromMs, faults);
    const where = near === null ? '' : `, ${near.offsetMs >= 0 ? '+' : ''}${near.offsetMs} ms from ${near.label}`;
    console.log(`    lost: camera ${loss.cameraId} ${new Date(loss.fromMs).toISOString()} … ${new Date(loss.toMs).toISOString().slice(11)}, ${loss.frames} frame(s)${where}, ${loss.kind === 'never-emitted' ? 'never emitted' : `emitted to ${loss.emittedTo.join(' and ')}`}`);
  }
}

async function measure(cameras: number, profile: FailoverProfile): Promise<void> {
  // Many failovers in a few minutes is exactly what the anti-flap cap (3 per hour) stops: raise it here.
  const ha = await startHaLab({ cameras, fps: FPS, profile, withController: true, extraArgs: ['--agent-failover-cap', '1000'] });
  const results = new Map<FaultKind, RunFigures[]>();
  const faults: Array<{ atMs: number; label: string }> = [];
  try {
    await ha.steady(120_000);
    await allRecording(ha, 100);
    // From the moment both record every camera: before the first fault, so every fault is inside.
    const windowStartMs = Date.now();
    const viewer = new LiveViewer(ha.description, ha.sharedAddress, ha.cameraIds[0] as string, 100);
    await waitFor('live frames', () => (viewer.frames > 0 ? true : undefined), 30_000);
    for (const kind of KINDS) {
      const figures: RunFigures[] = [];
      results.set(kind, figures);
      for (let run = 0; run < RUNS; run += 1) {
        const r = await runFault[kind]({ ha, viewer, profile });
        figures.push(r);
        faults.push({ atMs: r.faultAtMs, label: `${kind} ${run + 1}` });
        const line =
          r.kind === 'failover'
            ? `detection ${r.detectionMs} ms, relay ${r.relayMs} ms, first frame ${r.frameMs} ms${r.steppedDown === null ? '' : `, resumed node stepped down: ${r.steppedDown.ok ? 'yes' : 'NO'}`}`
            : `link-down logged ${r.linkDownMs ?? '—'} ms, failovers ${r.failovers}, serving unchanged ${r.servingUnchanged ? 'yes' : 'NO'}`;
        console.error(`  ${cameras} cameras ${profile} ${kind} run ${run + 1}/${RUNS}: ${line}`);
      }
    }
    await viewer.stop();
    await ha.steady(120_000);
    await allRecording(ha, 100);
    // Let the blocks written during the last run be sealed and indexed on both sides.
    await new Promise((resolve) => setTimeout(resolve, BLOCK_MS * 3));
    const windowEndMs = Date.now() - BLOCK_MS * 2;
    const accounting = accountFrames(await cameraWindows(ha, windowStartMs, windowEndMs));
    for (const kind of KINDS) printKind(kind, cameras, profile, results.get(kind) ?? []);
    printAccounting(accounting, cameras, windowEndMs - windowStartMs, faults);
    printLossContext(ha, accounting);
  } finally {
    await ha.close();
  }
}

for (const profile of PROFILES) for (const cameras of CAMERAS) await measure(cameras, profile);

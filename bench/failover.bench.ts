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
//
// `npm run bench -- failover --webhook-down` (issue 18): the same failovers in three rows on one lab,
// without a webhook, then with a webhook for every event kind (created over REST as an admin does)
// whose receiver is down: a refused loopback port, then a receiver that accepts and never answers.
// It prints each row's times, their ratio to the rows without a webhook, and the controller's webhook delivery
// counters, to show that the deliveries were failing and retried meanwhile. Defaults in this mode:
// 5 runs per row, 8 cameras, both profiles, host-death (the peer claims only when the witness, i.e.
// the controller, does not vouch for the dead node); the same environment variables override them
// (partition excepted). About 6 minutes on 2 cores (both profiles). FAILOVER_BENCH_WEBHOOK_ROWS
// (default "none,refused,hanging", at most 6) sets the rows and their order, e.g. "hanging,none" to
// see whether a difference follows the receiver or the lab's age; a `none` after another row
// deletes the webhook first.
import type { FailoverProfile } from '../contracts/cluster-policy-v1.js';
import { waitFor } from '../lab/testing/harness.js';
import { allRecording, LiveViewer, startHaLab, type HaLab } from '../test/helpers/ha-lab.js';
import { faultKinds, faultTitles, runFault, type FailoverFigures, type FaultKind, type PartitionFigures, type RunFigures } from './failover-faults.js';
import { accountFrames, framesOfRuns, gridFrames, nearestFault, type CameraWindow, type FrameAccounting } from './frame-accounting.js';
import { fetchEmitted } from './hub-emitted.js';
import { contextLines, readLogs } from './loss-context.js';
import { summarize } from './stats.js';
import { framesInWindow } from './storage-frames.js';
import { createWebhook, deadReceiver, deleteWebhook, droppedWarnings, receiverDownKinds, setWebhookUrl, webhookCounters, type DeadReceiver, type ReceiverDownKind, type WebhookCounters } from './webhook-down.js';

const flags = process.argv.slice(3);
for (const flag of flags) if (flag !== '--webhook-down') throw new Error(`failover bench: unknown argument ${JSON.stringify(flag)} (known: --webhook-down)`);
const WEBHOOK_DOWN = flags.includes('--webhook-down');

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
const CAMERAS = (process.env.FAILOVER_BENCH_CAMERAS ?? (WEBHOOK_DOWN ? '8' : '8,64')).split(',').map((c) => {
  const count = Number(c.trim());
  if (!Number.isInteger(count) || count < 1 || count > 512) throw new Error(`FAILOVER_BENCH_CAMERAS: ${JSON.stringify(c)} is not a camera count within 1..512`);
  return count;
});
const PROFILES = listEnv<FailoverProfile>('FAILOVER_BENCH_PROFILES', ['conservative', 'fast'], ['conservative', 'fast']);
type WebhookRow = 'none' | ReceiverDownKind;
const WEBHOOK_ROWS = listEnv<WebhookRow>('FAILOVER_BENCH_WEBHOOK_ROWS', ['none', ...receiverDownKinds], ['none', ...receiverDownKinds]);
if (WEBHOOK_ROWS.length > 6) throw new Error(`FAILOVER_BENCH_WEBHOOK_ROWS: at most 6 rows, got ${WEBHOOK_ROWS.length}`);
const KINDS = WEBHOOK_DOWN ? listEnv<FaultKind>('FAILOVER_BENCH_KINDS', ['host-death'], faultKinds.filter((k) => k !== 'partition')) : listEnv<FaultKind>('FAILOVER_BENCH_KINDS', faultKinds, faultKinds);
// One lab takes 10 recorder kills (above); the webhook-down mode runs all its rows of a kind on one lab.
if (WEBHOOK_DOWN && KINDS.includes('recorder-kill') && RUNS * WEBHOOK_ROWS.length > 10) throw new Error(`FAILOVER_BENCH_RUNS × rows: with recorder-kill and --webhook-down at most 10 recorder kills per lab, got ${RUNS} × ${WEBHOOK_ROWS.length}`);
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

const webhookRowTitles: Readonly<Record<WebhookRow, string>> = {
  none: 'no webhook',
  refused: 'webhook to a refused loopback port',
  hanging: 'webhook to a receiver that accepts and never answers',
};

function counterDelta(from: WebhookCounters, to: WebhookCounters): string {
  return `delivered +${to.delivered - from.delivered}, failed +${to.failed - from.failed}, dropped +${to.dropped - from.dropped}`;
}

function ratio(value: number, base: number): string {
  return base <= 0 ? '—' : (value / base).toFixed(2);
}

/** Median and max of one figure per kind of row (the runs of rows of the same kind pooled), and their ratio to no webhook. */
function printComparison(label: string, rows: ReadonlyArray<{ row: WebhookRow; runs: readonly FailoverFigures[] }>, figure: (r: FailoverFigures) => number): void {
  const pooled = (mode: WebhookRow): number[] => rows.filter((r) => r.row === mode).flatMap((r) => r.runs.map(figure));
  const baseRuns = pooled('none');
  if (baseRuns.length === 0) return;
  const b = summarize(baseRuns);
  const parts = (['none', ...receiverDownKinds] as const)
    .filter((mode) => pooled(mode).length > 0)
    .map((mode) => {
      const s = summarize(pooled(mode));
      return mode === 'none' ? `none ${s.median}/${s.max} ms` : `${mode} ${s.median}/${s.max} ms (×${ratio(s.median, b.median)} / ×${ratio(s.max, b.max)})`;
    });
  console.log(`  ${label.padEnd(38)} median/max: ${parts.join('   ')}`);
}

/**
 * The same failovers on one lab in WEBHOOK_ROWS' order: without a webhook, or with a webhook for
 * every event whose receiver is refused or hanging. Deliveries of a row's earlier failovers are
 * still being retried at its later ones.
 */
async function measureWebhookDown(cameras: number, profile: FailoverProfile, kind: FaultKind): Promise<void> {
  const ha = await startHaLab({ cameras, fps: FPS, profile, withController: true, extraArgs: ['--agent-failover-cap', '1000'] });
  const receivers: DeadReceiver[] = [];
  try {
    await ha.steady(120_000);
    await allRecording(ha, 100);
    const viewer = new LiveViewer(ha.description, ha.sharedAddress, ha.cameraIds[0] as string, 100);
    await waitFor('live frames', () => (viewer.frames > 0 ? true : undefined), 30_000);
    const rows: Array<{ row: WebhookRow; runs: FailoverFigures[]; url: string | null; counters: string; queueAtFaults: number[] }> = [];
    let webhookId: string | null = null;
    for (const mode of WEBHOOK_ROWS) {
      let url: string | null = null;
      if (mode === 'none' && webhookId !== null) {
        await deleteWebhook(ha, webhookId);
        webhookId = null;
      } else if (mode !== 'none') {
        const receiver = await deadReceiver(mode);
        receivers.push(receiver);
        url = receiver.url;
        if (webhookId === null) webhookId = await createWebhook(ha, 'bench-dead-receiver', url);
        else await setWebhookUrl(ha, webhookId, url);
      }
      const before = await webhookCounters(ha);
      const runs: FailoverFigures[] = [];
      const queueAtFaults: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        // Read just before the run's steady start: what the dispatcher still holds from the row's earlier failovers.
        queueAtFaults.push((await webhookCounters(ha)).queueDepth);
        const r = await runFault[kind]({ ha, viewer, profile });
        if (r.kind !== 'failover') throw new Error(`${kind} is not a failover`);
        runs.push(r);
        console.error(`  ${cameras} cameras ${profile} ${kind} ${mode} run ${run + 1}/${RUNS}: detection ${r.detectionMs} ms, relay ${r.relayMs} ms, first frame ${r.frameMs} ms, webhook queue before ${queueAtFaults[run]}`);
      }
      rows.push({ row: mode, runs, url, counters: counterDelta(before, await webhookCounters(ha)), queueAtFaults });
    }
    await viewer.stop();
    const end = await webhookCounters(ha);
    console.log(`failover with a webhook receiver down, ${cameras} cameras, ${profile} profile, ${RUNS} runs per row: ${faultTitles[kind]}`);
    for (const r of rows) {
      console.log(`  ${webhookRowTitles[r.row]}${r.url === null ? '' : ` (${r.url})`}`);
      console.log(`  ${row('(a) detection', r.runs.map((f) => f.detectionMs))}`);
      console.log(`  ${row('(b) relay points at the peer', r.runs.map((f) => f.relayMs))}`);
      console.log(`  ${row('(c) first live frame via shared addr', r.runs.map((f) => f.frameMs))}`);
      if (r.row !== 'none') console.log(`    webhook deliveries during the row: ${r.counters}; queue depth before each run: ${r.queueAtFaults.join(', ')}`);
    }
    console.log('  compared with no webhook, rows of a kind pooled (×median ratio / ×max ratio):');
    printComparison('(a) detection', rows, (f) => f.detectionMs);
    printComparison('(b) relay points at the peer', rows, (f) => f.relayMs);
    printComparison('(c) first live frame via shared addr', rows, (f) => f.frameMs);
    const hanging = receivers.find((r) => r.kind === 'hanging');
    console.log(
      `  controller /metrics at the end: twinrec_webhook_deliveries_total delivered ${end.delivered}, failed ${end.failed}, dropped ${end.dropped}; twinrec_webhook_queue_depth ${end.queueDepth}; ` +
        `"webhook delivery dropped" warnings in its log: ${droppedWarnings(ha)}; connections the hanging receiver accepted: ${hanging?.accepted() ?? 0}`,
    );
  } finally {
    for (const receiver of receivers) await receiver.close();
    await ha.close();
  }
}

if (WEBHOOK_DOWN) {
  for (const profile of PROFILES) for (const cameras of CAMERAS) for (const kind of KINDS) await measureWebhookDown(cameras, profile, kind);
} else {
  for (const profile of PROFILES) for (const cameras of CAMERAS) await measure(cameras, profile);
}

// `npm run bench -- failover`: time from kill -9 of the Serving recorder to
//   (a) detection: the Serving agent decides to hand over (its `failover.local-health` event),
//   (b) the relay on the shared address points at the peer,
//   (c) the first live frame through the shared address (a client that reconnects every 50–100 ms),
// at 8 and 64 cameras, with the conservative (default) and fast profiles, over RUNS runs each.
// Afterwards it checks that no frame is missing from the union of both recorders' storage.
// Environment: FAILOVER_BENCH_RUNS (default 10), FAILOVER_BENCH_CAMERAS (default "8,64"),
// FAILOVER_BENCH_PROFILES (default "conservative,fast").
import { readFileSync } from 'node:fs';
import { indexedFrames, waitFor } from '../lab/testing/harness.js';
import { allRecording, LiveViewer, startHaLab } from '../test/helpers/ha-lab.js';
import { summarize } from './stats.js';

const RUNS = Number(process.env.FAILOVER_BENCH_RUNS ?? 10);
const CAMERAS = (process.env.FAILOVER_BENCH_CAMERAS ?? '8,64').split(',').map(Number);
const PROFILES = (process.env.FAILOVER_BENCH_PROFILES ?? 'conservative,fast').split(',') as Array<'conservative' | 'fast'>;
const FPS = 10;
const BLOCK_MS = 2_000;

/** Wall-clock time of the first log line after `sinceMs` whose `event` field is `kind` (pino JSON lines). */
function loggedEventAt(logPath: string, kind: string, sinceMs: number): number | null {
  for (const line of readFileSync(logPath, 'utf8').split('\n')) {
    if (!line.includes(kind)) continue;
    try {
      const entry = JSON.parse(line) as { time?: number; event?: string };
      if (entry.event === kind && typeof entry.time === 'number' && entry.time >= sinceMs) return entry.time;
    } catch {
      // a partial last line
    }
  }
  return null;
}


async function measure(cameras: number, profile: 'conservative' | 'fast'): Promise<void> {
  // Ten kills in a few minutes is exactly what the anti-flap cap (3 per hour) stops: raise it here.
  const ha = await startHaLab({ cameras, fps: FPS, profile, withController: true, extraArgs: ['--agent-failover-cap', '1000'] });
  const detection: number[] = [];
  const relay: number[] = [];
  const frame: number[] = [];
  const switchAfterDetection: number[] = [];
  const killsAtMs: number[] = [];
  try {
    await ha.steady(120_000);
    await allRecording(ha, 100);
    const windowStartMs = Date.now() + BLOCK_MS;
    const viewer = new LiveViewer(ha.description, ha.sharedAddress, ha.cameraIds[0] as string, 100);
    await waitFor('live frames', () => (viewer.frames > 0 ? true : undefined), 30_000);
    for (let run = 0; run < RUNS; run += 1) {
      const start = await ha.steady(120_000);
      await allRecording(ha, 100);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const t0 = Date.now();
      killsAtMs.push(t0);
      await ha.labAction(start.serving, 'crash');
      let relayAt = 0;
      await waitFor('the relay to move', async () => {
        if ((await ha.relayTarget()) !== start.standby) return undefined;
        relayAt = Date.now();
        return true;
      }, 60_000, 5);
      // The first frame on a connection opened after the kill: frames already in flight from
      // the dying recorder do not count.
      const frameAt = await waitFor('a live frame through the shared address', () => viewer.connections.find((c) => c.connectedAtMs > t0)?.firstFrameAtMs, 60_000, 5);
      const detectedAt = await waitFor('the detection event in the agent log', () => loggedEventAt(ha.agentOf(start.serving).logPath, 'failover.local-health', t0) ?? undefined, 10_000, 100);
      detection.push(detectedAt - t0);
      relay.push(relayAt - t0);
      frame.push(frameAt - t0);
      switchAfterDetection.push(relayAt - detectedAt);
      console.error(`  run ${run + 1}/${RUNS}: detection ${detectedAt - t0} ms, relay ${relayAt - t0} ms, first frame ${frameAt - t0} ms`);
    }
    await viewer.stop();
    await ha.steady(120_000);
    await allRecording(ha, 100);
    // Let the blocks written during the last run be sealed and indexed on both sides.
    await new Promise((resolve) => setTimeout(resolve, BLOCK_MS * 3));
    const windowEndMs = Date.now() - BLOCK_MS * 2;
    let missing = 0;
    let expected = 0;
    const intervalMs = 1000 / FPS;
    // Gaps are listed (camera, first missing frame, length, distance from the nearest kill) so a
    // miss can be traced to its cause rather than only counted.
    const gaps: Array<{ cameraId: string; fromMs: number; frames: number }> = [];
    for (const cameraId of ha.cameraIds) {
      const union = new Set<number>();
      for (const node of ha.recorders) for (const time of (await indexedFrames(ha.agentOf(node).storageDir, cameraId)).keys()) union.add(time);
      let open: { cameraId: string; fromMs: number; frames: number } | null = null;
      for (let n = Math.ceil(windowStartMs / intervalMs); n * intervalMs <= windowEndMs; n += 1) {
        expected += 1;
        const at = Math.floor(n * intervalMs);
        if (union.has(at)) {
          open = null;
          continue;
        }
        missing += 1;
        if (open === null) {
          open = { cameraId, fromMs: at, frames: 0 };
          gaps.push(open);
        }
        open.frames += 1;
      }
    }
    const row = (label: string, xs: number[]): string => {
      const s = summarize(xs);
      return `  ${label.padEnd(34)} median ${String(s.median).padStart(5)} ms   max ${String(s.max).padStart(5)} ms   (n=${s.count})`;
    };
    console.log(`failover, ${cameras} cameras, ${profile} profile, ${RUNS} runs (kill -9 of the Serving recorder):`);
    console.log(row('(a) detection', detection));
    console.log(row('(b) relay points at the peer', relay));
    console.log(row('(c) first live frame via shared addr', frame));
    console.log(row('    switch after detection (b − a)', switchAfterDetection));
    console.log(`  frames missing from the union of both storages: ${missing} of ${expected} expected (${ha.cameraIds.length} cameras, ${((windowEndMs - windowStartMs) / 1000).toFixed(0)} s)`);
    for (const gap of gaps.slice(0, 20)) {
      const nearest = killsAtMs.reduce((best, k) => (Math.abs(gap.fromMs - k) < Math.abs(gap.fromMs - best) ? k : best), killsAtMs[0] ?? 0);
      console.log(`    gap: camera ${gap.cameraId} from ${new Date(gap.fromMs).toISOString()}, ${gap.frames} frame(s), ${gap.fromMs - nearest} ms after the nearest kill`);
    }
  } finally {
    await ha.close();
  }
}

for (const profile of PROFILES) for (const cameras of CAMERAS) await measure(cameras, profile);

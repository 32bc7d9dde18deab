// `npm run bench -- soak`: false failovers under load (issue 14, section 3). A cloned pair with
// a controller runs for SOAK_MINUTES (default 10) per profile while
//   - a CPU hog keeps every core busy (one busy-looping process per core, normal priority), and
//   - each agent's process is frozen for SOAK_STALL_MS (default 200) every 1–3 s at random
//     (SIGSTOP, then SIGCONT): an event-loop stall the agent cannot tell from a slow machine.
// Nothing fails, so the Serving role must never move. It prints the failovers (relay moves and
// takeover claims in the agents' logs, expected 0), the samples in which no node or two nodes
// served, and the longest silence each agent saw of its peer.
// Environment: SOAK_MINUTES (default 10), SOAK_PROFILES (default "conservative,fast"),
// SOAK_STALL_MS (default 200), SOAK_HOGS (default: one per core).
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { startHaLab, type HaLab } from '../test/helpers/ha-lab.js';
import { stopOnSignal } from '../test/helpers/process.js';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const PROFILES = (process.env.SOAK_PROFILES ?? 'conservative,fast').split(',') as Array<'conservative' | 'fast'>;
const STALL_MS = Number(process.env.SOAK_STALL_MS ?? 200);
const HOGS = Number(process.env.SOAK_HOGS ?? availableParallelism());
const sampleIntervalMs = 100;
if (!(MINUTES > 0) || !(STALL_MS >= 0) || !(HOGS >= 0)) {
  console.error('SOAK_MINUTES must be > 0, SOAK_STALL_MS and SOAK_HOGS >= 0');
  process.exit(2);
}

/** Busy-looping processes, stopped by their PIDs. */
function startHogs(count: number): { stop: () => Promise<void> } {
  const hogs: ChildProcess[] = Array.from({ length: count }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  const stop = async (): Promise<void> => {
    await Promise.all(
      hogs.map(async (hog) => {
        if (hog.pid === undefined || hog.exitCode !== null || hog.signalCode !== null) return;
        const exited = new Promise((resolve) => hog.once('exit', resolve));
        process.kill(hog.pid, 'SIGKILL');
        await exited;
      }),
    );
  };
  return { stop };
}

/** Freezes `pid` for stallMs every 1–3 s (random) until stopped; a frozen process is always thawed. */
function startStalls(pid: number, stallMs: number): { stop: () => Promise<void>; count: () => number } {
  let stopped = false;
  let stalls = 0;
  let frozen = false;
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(pid, name);
    } catch {
      // the process has gone: nothing to freeze or thaw
    }
  };
  const loop = (async () => {
    while (!stopped) {
      await new Promise((resolve) => setTimeout(resolve, 1_000 + Math.random() * 2_000));
      if (stopped) break;
      signal('SIGSTOP');
      frozen = true;
      stalls += 1;
      await new Promise((resolve) => setTimeout(resolve, stallMs));
      signal('SIGCONT');
      frozen = false;
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      if (frozen) signal('SIGCONT');
    },
    count: () => stalls,
  };
}

/** Takeover claims an agent logged after `sinceMs` (its `failover.claiming` events). */
function takeoverClaims(logPath: string, sinceMs: number): number {
  let claims = 0;
  for (const line of readFileSync(logPath, 'utf8').split('\n')) {
    if (!line.includes('failover.')) continue;
    try {
      const entry = JSON.parse(line) as { time?: number; event?: string };
      if ((entry.event === 'failover.claiming' || entry.event === 'failover.local-health') && (entry.time ?? 0) >= sinceMs) claims += 1;
    } catch {
      // a partial last line
    }
  }
  return claims;
}

async function soak(profile: 'conservative' | 'fast'): Promise<void> {
  const ha: HaLab = await startHaLab({ cameras: 4, fps: 10, profile, withController: true });
  let hogs: { stop: () => Promise<void> } | null = null;
  const stalls: Array<{ stop: () => Promise<void>; count: () => number }> = [];
  const stopLoad = async (): Promise<void> => {
    await Promise.all(stalls.map((s) => s.stop()));
    await hogs?.stop();
  };
  const forget = stopOnSignal(stopLoad);
  try {
    const start = await ha.steady(120_000);
    const t0 = Date.now();
    hogs = startHogs(HOGS);
    for (const agent of ha.agents) if (agent.pid !== null) stalls.push(startStalls(agent.pid, STALL_MS));
    let relayMoves = 0;
    let lastTarget: string | null = start.serving;
    let samples = 0;
    let noneServing = 0;
    let bothServing = 0;
    const silenceMsMax = new Map<string, number>();
    const endMs = t0 + MINUTES * 60_000;
    while (Date.now() < endMs) {
      const [target, ...states] = await Promise.all([ha.relayTarget().catch(() => lastTarget), ...ha.recorders.map((r) => ha.agentState(r).catch(() => null))]);
      samples += 1;
      if (target !== lastTarget) relayMoves += 1;
      lastTarget = target;
      const answered = states.filter((s) => s !== null);
      const serving = answered.filter((s) => s.serving).length;
      // A frozen agent does not answer: only samples where both answered count here.
      if (answered.length === 2 && serving === 0) noneServing += 1;
      if (serving === 2) bothServing += 1;
      for (const s of answered) silenceMsMax.set(s.nodeName, Math.max(silenceMsMax.get(s.nodeName) ?? 0, s.peer.lastHeardAgoMs ?? 0));
      await new Promise((resolve) => setTimeout(resolve, sampleIntervalMs));
    }
    await stopLoad();
    const claims = ha.recorders.reduce((sum, r) => sum + takeoverClaims(ha.agentOf(r).logPath, t0), 0);
    const timeoutMs = profile === 'fast' ? 800 : 2_750;
    console.log(`soak, ${profile} profile (peer timeout ${timeoutMs} ms), ${MINUTES} min, ${HOGS} CPU hog(s), ${stalls.map((s) => s.count()).join(' + ')} stalls of ${STALL_MS} ms:`);
    console.log(`  false failovers: ${claims} takeover claim(s), ${relayMoves} relay move(s)   (target 0)`);
    console.log(`  samples: ${samples}; none serving: ${noneServing}; both serving: ${bothServing}`);
    console.log(`  longest peer silence seen: ${[...silenceMsMax].map(([node, ms]) => `${node} ${Math.round(ms)} ms`).join(', ')}`);
  } finally {
    await stopLoad();
    forget();
    await ha.close();
  }
}

for (const profile of PROFILES) await soak(profile);

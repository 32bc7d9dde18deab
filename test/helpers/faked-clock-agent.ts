// One agent of an HA lab (ha-lab.ts) run under libfaketime, so that its wall clock (Date.now,
// new Date) can be moved while it runs and its monotonic clock (performance.now, timers) is
// left alone: a real clock jump on one node, as NTP or an operator makes one.
//
// The lab starts its agents with its own environment only (lab/spawn.ts, lab/up.ts: no
// environment per process), so the lab's agent process is stopped and this helper starts the
// same program with the same agent.json and log file, plus LD_PRELOAD. libfaketime
// (Debian: `apt-get install -y faketime`) reads the offset from a file at each call
// (FAKETIME_TIMESTAMP_FILE, FAKETIME_NO_CACHE=1); DONT_FAKE_MONOTONIC=1 keeps CLOCK_MONOTONIC real.
import assert from 'node:assert/strict';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnLabProcess, type SpawnedProcess } from '../../lab/spawn.js';
import { isRunning } from '../../lab/up.js';
import type { HaLab } from './ha-lab.js';
import { stopOnSignal } from './process.js';

/** Where Debian's libfaketime package puts the library. */
export const libfaketimePath = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

const stopTimeoutMs = 15_000;

export class FakedClockAgent {
  /** A test ended by a signal still stops this agent, which the lab does not know about. */
  private readonly forget: () => void;

  private constructor(
    private readonly ha: HaLab,
    readonly node: string,
    private readonly offsetFile: string,
    private readonly spawned: SpawnedProcess,
  ) {
    this.forget = stopOnSignal(() => this.stop());
  }

  /**
   * Stops the lab's agent of `node` and starts it again under libfaketime with a zero offset;
   * resolves once it listens. `dir` holds the offset file.
   *
   * @example const faked = await FakedClockAgent.start(ha, 'recorder-1b', ha.lab.dir); await faked.setOffsetSeconds(288);
   */
  static async start(ha: HaLab, node: string, dir: string): Promise<FakedClockAgent> {
    assert.ok(existsSync(libfaketimePath), `libfaketime is installed (${libfaketimePath}; Debian: apt-get install -y faketime)`);
    const agent = ha.description.pairs.flatMap((p) => p.recorders).find((r) => r.name === node)?.agent;
    assert.ok(agent !== undefined && agent.logPath !== null, `the lab runs an agent for ${node}`);
    const offsetFile = join(dir, `faketime-${node}.rc`);
    writeOffset(offsetFile, 0);
    await ha.labAction(agent.name, 'stop');
    const spawned = await spawnLabProcess(['agent', '--config', agent.configPath], {
      entry: 'twinrec',
      logPath: agent.logPath,
      readyTimeoutMs: 60_000,
      env: { LD_PRELOAD: libfaketimePath, FAKETIME_TIMESTAMP_FILE: offsetFile, FAKETIME_NO_CACHE: '1', DONT_FAKE_MONOTONIC: '1' },
    });
    return new FakedClockAgent(ha, node, offsetFile, spawned);
  }

  get pid(): number {
    return this.spawned.pid;
  }

  /** Moves the agent's wall clock to real time + `seconds` (negative: behind), at once. */
  setOffsetSeconds(seconds: number): void {
    writeOffset(this.offsetFile, seconds);
  }

  /** The agent's wall clock as its local API's `Date` header shows it (1 s resolution). */
  async wallClockMs(): Promise<number> {
    const res = await fetch(`${this.ha.agentOf(this.node).apiUrl}/api/v1/state`, { headers: { authorization: `Bearer ${this.ha.secret}` }, signal: AbortSignal.timeout(3_000) });
    await res.arrayBuffer();
    const date = Date.parse(res.headers.get('date') ?? '');
    assert.ok(Number.isFinite(date), 'the agent answers with a Date header');
    return date;
  }

  /** SIGTERM, then SIGKILL if it has not exited in time. */
  async stop(): Promise<void> {
    this.forget();
    const child = this.spawned.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(this.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (isRunning(this.pid)) process.kill(this.pid, 'SIGKILL');
    }, stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  }
}

/** libfaketime reads the file at every clock call: write it whole (temporary file, then rename). */
function writeOffset(path: string, seconds: number): void {
  assert.ok(Number.isInteger(seconds) && Math.abs(seconds) <= 86_400, `an offset of whole seconds within a day: ${seconds}`);
  writeFileSync(`${path}.tmp`, `${seconds >= 0 ? '+' : '-'}${Math.abs(seconds)}s\n`);
  renameSync(`${path}.tmp`, path);
}

// Watches who serves in an HA lab (ha-lab.ts) while a fault plays out: both agents' state and
// the relay's target, read together every few tens of milliseconds, through their real APIs.
// What the fault-matrix tests judge from it: two nodes serving at once, nobody serving, and
// where the relay pointed under each epoch.
import type { HaLab } from './ha-lab.js';

/** One node's side of a sample; null when its agent did not answer (stopped, killed, hung, busy). */
export interface NodeSample {
  readonly nodeName: string;
  readonly state: string;
  readonly serving: boolean;
  readonly epoch: number;
  readonly witnessReachable: boolean | null;
}

export interface ServingSample {
  /** Wall clock when the reads were sent. */
  readonly atMs: number;
  readonly nodes: readonly [NodeSample | null, NodeSample | null];
  /** The relay's target and epoch; null when the relay did not answer. */
  readonly relay: { readonly target: string | null; readonly epoch: number } | null;
}

/** Two nodes seen serving at once, with the reads that show it. */
export interface Overlap {
  readonly atMs: number;
  readonly nodes: readonly [NodeSample, NodeSample];
  /** True when an immediate second read saw both still serving under the same epochs: a proven overlap, not a skew between two reads. */
  readonly confirmed: boolean;
}

const samplesMax = 40_000;
const readTimeoutMs = 2_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Samples both agents and the relay every `intervalMs` until stopped (at most the last 40,000
 * samples are kept: 33 minutes at 50 ms).
 *
 * Two serving nodes in one read are not proof on their own: the two answers are made at
 * slightly different moments, and a handover (release, then the peer claims) can fall between
 * them. So a read that shows both serving is read again at once. If node A served at a1 (first
 * read) and a2 (second), and B at b1 and b2, each under one unchanged epoch (so each served
 * continuously in between), and every second read was sent after every first read was answered,
 * then one of a1, b1 lies inside the other node's interval: both served at that moment. Such an
 * overlap is `confirmed`; one that the second read does not repeat is kept as unconfirmed.
 * Two nodes serving under the same epoch are always a violation (fencing is broken).
 *
 * @example
 *   const sampler = ServingSampler.start(ha);
 *   await ha.labAction('recorder-1a', 'crash');
 *   await sampler.stop();
 *   assert.deepEqual(sampler.violations(), []);
 */
export class ServingSampler {
  readonly samples: ServingSample[] = [];
  readonly overlaps: Overlap[] = [];
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  private constructor(
    private readonly ha: HaLab,
    private readonly intervalMs: number,
  ) {}

  static start(ha: HaLab, intervalMs = 50): ServingSampler {
    const sampler = new ServingSampler(ha, intervalMs);
    sampler.running = sampler.loop();
    return sampler;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** What must never be seen: a confirmed overlap, or two nodes serving under one epoch. */
  violations(sinceMs = 0): string[] {
    return this.overlaps
      .filter((o) => o.atMs >= sinceMs && (o.confirmed || o.nodes[0].epoch === o.nodes[1].epoch))
      .map((o) => `${new Date(o.atMs).toISOString()}: ${o.nodes[0].nodeName} (${o.nodes[0].state}, epoch ${o.nodes[0].epoch}) and ${o.nodes[1].nodeName} (${o.nodes[1].state}, epoch ${o.nodes[1].epoch}) both serving${o.confirmed ? ', confirmed by a second read' : ''}`);
  }

  /** The names of the nodes seen serving since `sinceMs`. */
  servers(sinceMs = 0): string[] {
    const names = new Set<string>();
    for (const s of this.samples) if (s.atMs >= sinceMs) for (const n of s.nodes) if (n?.serving === true) names.add(n.nodeName);
    return [...names].sort();
  }

  /**
   * The longest stretch since `sinceMs` in which both agents answered and neither served, in
   * ms (from the first such read to the next read in which one serves, or the last read).
   * Reads in which an agent did not answer neither start nor end a stretch.
   */
  longestNobodyServingMs(sinceMs = 0): number {
    let longest = 0;
    let startMs: number | null = null;
    let lastMs = 0;
    for (const s of this.samples) {
      if (s.atMs < sinceMs) continue;
      lastMs = s.atMs;
      const [a, b] = s.nodes;
      if (a === null || b === null) continue;
      if (a.serving || b.serving) {
        if (startMs !== null) longest = Math.max(longest, s.atMs - startMs);
        startMs = null;
      } else if (startMs === null) {
        startMs = s.atMs;
      }
    }
    if (startMs !== null) longest = Math.max(longest, lastMs - startMs);
    return longest;
  }

  /** The relay's states since `sinceMs`, consecutive repeats left out: `target@epoch`, `none@epoch`. */
  relayHistory(sinceMs = 0): string[] {
    const history: string[] = [];
    for (const s of this.samples) {
      if (s.atMs < sinceMs || s.relay === null) continue;
      const entry = `${s.relay.target ?? 'none'}@${s.relay.epoch}`;
      if (history[history.length - 1] !== entry) history.push(entry);
    }
    return history;
  }

  /** The distinct targets the relay pointed at since `sinceMs` under an epoch above `aboveEpoch`. */
  relayTargetsAbove(aboveEpoch: number, sinceMs = 0): string[] {
    const targets = new Set<string>();
    for (const s of this.samples) if (s.atMs >= sinceMs && s.relay !== null && s.relay.epoch > aboveEpoch && s.relay.target !== null) targets.add(s.relay.target);
    return [...targets].sort();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const startedMs = Date.now();
      const sample = await this.read();
      this.keep(sample);
      const [a, b] = sample.nodes;
      if (a?.serving === true && b?.serving === true) {
        // Read again at once: every read below is sent after every read above was answered.
        const again = await this.read();
        this.keep(again);
        const [a2, b2] = again.nodes;
        const confirmed = a2?.serving === true && b2?.serving === true && a2.epoch === a.epoch && b2.epoch === b.epoch;
        this.overlaps.push({ atMs: sample.atMs, nodes: [a, b], confirmed });
        if (this.overlaps.length > samplesMax) this.overlaps.shift();
      }
      await sleep(Math.max(0, this.intervalMs - (Date.now() - startedMs)));
    }
  }

  private keep(sample: ServingSample): void {
    this.samples.push(sample);
    if (this.samples.length > samplesMax) this.samples.shift();
  }

  private async read(): Promise<ServingSample> {
    const atMs = Date.now();
    const [a, b, relay] = await Promise.all([this.node(this.ha.recorders[0]), this.node(this.ha.recorders[1]), this.readRelay()]);
    return { atMs, nodes: [a, b], relay };
  }

  private async node(name: string): Promise<NodeSample | null> {
    try {
      const res = await fetch(`${this.ha.agentOf(name).apiUrl}/api/v1/state`, { headers: { authorization: `Bearer ${this.ha.secret}` }, signal: AbortSignal.timeout(readTimeoutMs) });
      if (res.status !== 200) return null;
      const body = (await res.json()) as { nodeName: string; state: string; serving: boolean; epoch: number; witness?: { reachable?: boolean } };
      return { nodeName: body.nodeName, state: body.state, serving: body.serving, epoch: body.epoch, witnessReachable: body.witness?.reachable ?? null };
    } catch {
      return null;
    }
  }

  /** The relay's target and epoch now; null when it does not answer. */
  async readRelay(): Promise<ServingSample['relay']> {
    try {
      const res = await fetch(`${this.ha.relayControlUrl}/state`, { headers: { authorization: `Bearer ${this.ha.secret}` }, signal: AbortSignal.timeout(readTimeoutMs) });
      if (res.status !== 200) return null;
      const body = (await res.json()) as { epoch: number; target: { nodeId: string } | null };
      return { target: body.target?.nodeId ?? null, epoch: body.epoch };
    } catch {
      return null;
    }
  }
}

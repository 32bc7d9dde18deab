// Whether an authentic heartbeat is fresh: the HMAC proves who sent it, not when. A captured
// datagram replayed after its sender died would otherwise keep the peer "alive" and stop the
// failover (issue 14, finding 1). Each transport picks a random boot id when it opens and
// numbers its heartbeats from 0. A heartbeat counts as liveness only if
//   - it comes from the peer boot already proven, with a seq above every seq seen from it
//     (so a datagram counts once, and an old one never), or
//   - it proves a new peer boot: it echoes our own boot id and a seq we sent recently, which no
//     datagram captured before that send can do. A boot once superseded never counts again, so
//     a recent datagram of the peer's previous run cannot pass for its current state.
// Pure: times are passed in.
import { policyLimits } from '../../contracts/cluster-policy-v1.js';

/** The transport fields freshness reads. */
export interface FreshnessFields {
  readonly boot: string;
  readonly seq: number;
  readonly echoBoot: string | null;
  readonly echoSeq: number;
}

/** fresh: counts as liveness; replayed: a seq at or below one already seen from the proven boot; unproven: a boot not (yet) proven by an echo. */
export type Admission = 'fresh' | 'replayed' | 'unproven';

/** Sends remembered, for echoes: 64 s at the default 250 ms heartbeat. */
export const sentLogSize = 256;

/**
 * How old a send an echo may prove a new boot with. The peer echoes the last seq it heard from
 * us, which is at most one of our heartbeat intervals old plus the trip and the peer's own
 * interval; three of the longest interval a policy allows leaves room for lost heartbeats.
 */
export const echoAgeMsMax = 3 * policyLimits.heartbeatIntervalMsMax;

/** Superseded peer boots remembered; a peer restarting more often than this within echoAgeMsMax is not a case. */
export const retiredBootsMax = 16;

/** When each of the last sentLogSize seqs was sent. */
export class SentLog {
  private readonly seqs = new Array<number>(sentLogSize).fill(-1);
  private readonly atMs = new Array<number>(sentLogSize).fill(0);

  record(seq: number, atMs: number): void {
    const slot = seq % sentLogSize;
    this.seqs[slot] = seq;
    this.atMs[slot] = atMs;
  }

  /** When `seq` was sent, or null once it left the log (or never was). */
  sentAtMs(seq: number): number | null {
    if (seq < 0) return null;
    const slot = seq % sentLogSize;
    return this.seqs[slot] === seq ? (this.atMs[slot] ?? null) : null;
  }
}

export class HeartbeatFreshness {
  /** The peer boot proven by an echo, and the highest seq admitted from it. */
  private proven: { boot: string; seqMax: number } | null = null;
  private readonly retired: string[] = [];

  constructor(
    /** Our own boot id, which the peer echoes. */
    readonly ownBoot: string,
    private readonly sent: SentLog,
    private readonly echoAgeMsLimit = echoAgeMsMax,
  ) {}

  /**
   * Decides one authentic heartbeat received at `atMs`; a fresh one advances what is seen.
   *
   * @example
   *   freshness.admit({ boot: 'b1…', seq: 7, echoBoot: ownBoot, echoSeq: 41 }, nowMs) // 'fresh' once, 'replayed' after
   */
  admit(h: FreshnessFields, atMs: number): Admission {
    if (this.proven !== null && h.boot === this.proven.boot) {
      if (h.seq <= this.proven.seqMax) return 'replayed';
      this.proven = { boot: h.boot, seqMax: h.seq };
      return 'fresh';
    }
    if (this.retired.includes(h.boot)) return 'replayed';
    if (h.echoBoot !== this.ownBoot) return 'unproven';
    const sentAtMs = this.sent.sentAtMs(h.echoSeq);
    if (sentAtMs === null || atMs - sentAtMs > this.echoAgeMsLimit) return 'unproven';
    if (this.proven !== null) {
      this.retired.push(this.proven.boot);
      if (this.retired.length > retiredBootsMax) this.retired.shift();
    }
    this.proven = { boot: h.boot, seqMax: h.seq };
    return 'fresh';
  }

  /** The peer boot proven so far, for logs. */
  get peerBoot(): string | null {
    return this.proven?.boot ?? null;
  }
}

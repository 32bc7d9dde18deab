import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { echoAgeMsMax, HeartbeatFreshness, retiredBootsMax, SentLog, type FreshnessFields } from './heartbeat-freshness.js';

const own = 'aa'.repeat(16);
const peerBoot = (n: number): string => n.toString(16).padStart(32, '0');

/** A transport that sent seqs 0..9 at 1,000 ms + 250 ms × seq. */
function freshness(): { gate: HeartbeatFreshness; sent: SentLog } {
  const sent = new SentLog();
  for (let seq = 0; seq < 10; seq += 1) sent.record(seq, 1_000 + 250 * seq);
  return { gate: new HeartbeatFreshness(own, sent), sent };
}
const from = (boot: string, seq: number, echoSeq = 9, echoBoot: string | null = own): FreshnessFields => ({ boot, seq, echoBoot, echoSeq });

describe('HeartbeatFreshness', () => {
  test('a boot is proven by an echo of ours, then counts each seq once and in order', () => {
    const { gate } = freshness();
    const at = 4_000;
    assert.equal(gate.admit(from(peerBoot(1), 0, -1, null), at), 'unproven', 'echoes nothing');
    assert.equal(gate.admit(from(peerBoot(1), 1, 9, peerBoot(7)), at), 'unproven', 'echoes another boot');
    assert.equal(gate.admit(from(peerBoot(1), 2, 10), at), 'unproven', 'echoes a seq never sent');
    assert.equal(gate.admit(from(peerBoot(1), 3), at), 'fresh');
    assert.equal(gate.peerBoot, peerBoot(1));
    assert.equal(gate.admit(from(peerBoot(1), 3), at), 'replayed', 'the same datagram again');
    assert.equal(gate.admit(from(peerBoot(1), 2), at), 'replayed', 'an older one');
    // Within the proven boot the echo no longer matters: a one-way loss of ours must not silence the peer.
    assert.equal(gate.admit(from(peerBoot(1), 4, -1, null), at + 60_000), 'fresh');
  });

  test('an echo of a send older than echoAgeMsMax proves nothing', () => {
    const { gate } = freshness();
    const sentAtMs = 1_000 + 250 * 9;
    assert.equal(gate.admit(from(peerBoot(1), 0), sentAtMs + echoAgeMsMax + 1), 'unproven');
    assert.equal(gate.admit(from(peerBoot(1), 0), sentAtMs + echoAgeMsMax), 'fresh');
  });

  test('a restarted peer is proven again, and its previous boot never counts again', () => {
    const { gate } = freshness();
    assert.equal(gate.admit(from(peerBoot(1), 50), 4_000), 'fresh');
    assert.equal(gate.admit(from(peerBoot(2), 0), 4_000), 'fresh', 'a new boot with a fresh echo');
    assert.equal(gate.admit(from(peerBoot(1), 51), 4_000), 'replayed', 'a datagram of the previous run, however recent');
    for (let n = 3; n < 3 + retiredBootsMax; n += 1) assert.equal(gate.admit(from(peerBoot(n), 0), 4_000), 'fresh');
    assert.equal(gate.admit(from(peerBoot(1), 52), 4_000), 'fresh', 'only the last retiredBootsMax boots are remembered');
  });

  test('whatever arrives, in any order and as often as any copy, each (boot, seq) counts at most once and seqs rise within a boot', () => {
    const datagram = fc.record({ boot: fc.integer({ min: 1, max: 3 }), seq: fc.integer({ min: 0, max: 20 }), echoSeq: fc.integer({ min: -1, max: 12 }), echoOwn: fc.boolean(), atMs: fc.integer({ min: 0, max: 40_000 }) });
    fc.assert(
      fc.property(fc.array(datagram, { maxLength: 60 }), (arrivals) => {
        const { gate } = freshness();
        const counted = new Set<string>();
        const last = new Map<string, number>();
        for (const a of arrivals) {
          const h = from(peerBoot(a.boot), a.seq, a.echoSeq, a.echoOwn ? own : peerBoot(9));
          if (gate.admit(h, a.atMs) !== 'fresh') continue;
          const key = `${h.boot}/${h.seq}`;
          assert.ok(!counted.has(key), `${key} counted twice`);
          counted.add(key);
          const previous = last.get(h.boot);
          assert.ok(previous === undefined || h.seq > previous, `${key} after seq ${previous}`);
          last.set(h.boot, h.seq);
        }
      }),
      { numRuns: 300 },
    );
  });
});

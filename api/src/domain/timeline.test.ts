import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DomainError } from './errors.js';
import { markerKindOf, servingMergeGapMs, timelineItemsMax, timelineOf, timelineWindowMsMax, timelineWindowMsMin, timelineWindowOf, unionOf, type FailoverInput, type GapInput, type SpanInput, type TimelineInput } from './timeline.js';

const a = '00000000-0000-4000-8000-00000000000a';
const b = '00000000-0000-4000-8000-00000000000b';
const clusterId = '00000000-0000-4000-8000-0000000000c1';
const t0 = Date.parse('2026-12-01T00:00:00.000Z');
const at = (ms: number): Date => new Date(t0 + ms);
const hour = 3_600_000;
const window = { from: at(0), to: at(24 * hour) };

const span = (nodeId: string, startMs: number, endMs: number, o: Partial<SpanInput> = {}): SpanInput => ({ nodeId, epoch: 1, startAt: at(startMs), endAt: at(endMs), state: 'closed', ...o });
const failover = (id: string, timeMs: number, reason: string, fromNodeId: string, toNodeId: string): FailoverInput => ({
  id,
  time: at(timeMs),
  fromNodeId,
  toNodeId,
  reason,
  trigger: reason === 'switch' || reason === 'swap' ? 'manual' : 'automatic',
  detectionMs: reason.startsWith('peer-') ? 3_100 : null,
  switchMs: 850,
  epoch: 2,
});
const gap = (nodeId: string, deviceId: string, startMs: number, endMs: number, o: Partial<GapInput> = {}): GapInput => ({ nodeId, deviceId, startAt: at(startMs), endAt: at(endMs), missingSeconds: (endMs - startMs) / 1000, state: 'open', resolvedAt: null, ...o });
const input = (o: Partial<TimelineInput>): TimelineInput => ({
  clusterId,
  window,
  now: at(24 * hour),
  nodes: [
    { id: a, name: 'rs-a' },
    { id: b, name: 'rs-b' },
  ],
  firstServingAt: at(0),
  spans: [],
  failovers: [],
  gaps: [],
  ...o,
});
const ms = (iso: string): number => Date.parse(iso) - t0;

describe('timelineWindowOf', () => {
  const now = at(48 * hour);
  test('defaults to the last 24 h; a lone from takes the 24 h after it', () => {
    assert.deepEqual(timelineWindowOf({}, now), { from: at(24 * hour), to: now });
    assert.deepEqual(timelineWindowOf({ from: at(hour).toISOString() }, now), { from: at(hour), to: at(25 * hour) });
    assert.deepEqual(timelineWindowOf({ to: at(30 * hour).toISOString() }, now), { from: at(6 * hour), to: at(30 * hour) });
  });

  test('1 minute and 30 days are allowed, shorter, longer and reversed windows are a validation-failed problem', () => {
    assert.equal(timelineWindowOf({ from: at(0).toISOString(), to: at(timelineWindowMsMin).toISOString() }, now).to.getTime(), at(timelineWindowMsMin).getTime());
    assert.equal(timelineWindowOf({ from: at(0).toISOString(), to: at(timelineWindowMsMax).toISOString() }, now).to.getTime(), at(timelineWindowMsMax).getTime());
    for (const lengthMs of [timelineWindowMsMin - 1, timelineWindowMsMax + 1, 0, -hour]) {
      assert.throws(
        () => timelineWindowOf({ from: at(0).toISOString(), to: at(lengthMs).toISOString() }, now),
        (err: unknown) => err instanceof DomainError && err.type === 'validation-failed' && err.status === 400 && /between 1 minute and 30 days/.test(err.message),
      );
    }
  });

  test('a time that is not one is refused, naming the parameter', () => {
    assert.throws(() => timelineWindowOf({ from: 'yesterday' }, now), (err: unknown) => err instanceof DomainError && err.type === 'validation-failed' && /\/query\/from/.test(err.message));
  });
});

describe('timelineOf', () => {
  test('a failover and a switch back: bands per node, markers with their figures, shares, nothing unserved', () => {
    const t = timelineOf(
      input({
        spans: [span(a, 0, 10 * hour), span(b, 10 * hour, 20 * hour, { epoch: 2 }), span(a, 20 * hour, 24 * hour, { epoch: 3, state: 'open' })],
        failovers: [failover('f1', 10 * hour, 'peer-dead', a, b), failover('f2', 20 * hour, 'switch', b, a)],
      }),
    );
    assert.deepEqual(
      t.nodes.map((n) => [n.name, n.serving.map((s) => [ms(s.start) / hour, ms(s.end) / hour, s.epoch, s.open])]),
      [
        ['rs-a', [[0, 10, 1, false], [20, 24, 3, true]]],
        ['rs-b', [[10, 20, 2, false]]],
      ],
    );
    assert.deepEqual(
      t.markers.map((m) => [m.kind, m.reason, m.trigger, m.fromNodeId, m.toNodeId, m.detectionMs, m.switchMs, ms(m.time) / hour]),
      [
        ['failover', 'peer-dead', 'automatic', a, b, 3_100, 850, 10],
        ['switch', 'switch', 'manual', b, a, null, 850, 20],
      ],
    );
    assert.deepEqual(t.nodes.map((n) => [n.servingSeconds, n.servingShare]), [[14 * 3600, 14 / 24], [10 * 3600, 10 / 24]]);
    assert.equal(t.unservedSeconds, 0);
    assert.equal(t.windowSeconds, 24 * 3600);
    assert.equal(t.truncated, false);
  });

  test('spans split at midnight, and reports less than 2 s apart, make one band under one epoch; another epoch or a longer pause does not', () => {
    const t = timelineOf(
      input({
        window: { from: at(-hour), to: at(hour) },
        now: at(hour),
        spans: [span(a, -hour, 0), span(a, 0, 10_000), span(a, 10_000 + servingMergeGapMs - 1, 20_000), span(a, 20_000, 30_000, { epoch: 2 }), span(a, 30_000 + servingMergeGapMs, 40_000, { epoch: 2 })],
      }),
    );
    assert.deepEqual(
      t.nodes[0]?.serving.map((s) => [ms(s.start), ms(s.end), s.epoch]),
      [
        [-hour, 20_000, 1],
        [20_000, 30_000, 2],
        [30_000 + servingMergeGapMs, 40_000, 2],
      ],
    );
  });

  test('bands are clipped to the window; time no node served is counted from the first serving and up to now', () => {
    const t = timelineOf(
      input({
        window: { from: at(0), to: at(4 * hour) },
        now: at(3 * hour),
        firstServingAt: at(-5 * hour),
        spans: [span(a, -2 * hour, hour), span(b, 2 * hour, 3 * hour, { state: 'open' })],
      }),
    );
    assert.deepEqual(t.nodes[0]?.serving.map((s) => [s.start, s.end]), [[at(0).toISOString(), at(hour).toISOString()]]);
    // Unserved: 1 h to 2 h; after now (3 h) nothing is known yet.
    assert.equal(t.unservedSeconds, 3600);
    assert.equal(t.observedTo, at(3 * hour).toISOString());
    // Before any node was ever seen serving, nothing counts as unserved.
    const fresh = timelineOf(input({ window: { from: at(0), to: at(4 * hour) }, now: at(4 * hour), firstServingAt: at(3 * hour), spans: [span(a, 3 * hour, 4 * hour)] }));
    assert.equal(fresh.unservedSeconds, 0);
    assert.equal(fresh.observedFrom, at(3 * hour).toISOString());
    const never = timelineOf(input({ firstServingAt: null }));
    assert.deepEqual([never.unservedSeconds, never.observedFrom], [0, null]);
  });

  test("gaps: one band per overlapping stretch of a state with its cameras; filled with when; a node's own row only", () => {
    const t = timelineOf(
      input({
        gaps: [
          gap(b, 'cam-1', hour, 2 * hour),
          gap(b, 'cam-2', 1.5 * hour, 2.5 * hour),
          gap(b, 'cam-1', 5 * hour, 6 * hour, { state: 'filled', missingSeconds: 0, resolvedAt: at(7 * hour) }),
          gap(b, 'cam-2', 5.5 * hour, 6 * hour, { state: 'filled', missingSeconds: 0, resolvedAt: at(8 * hour) }),
          gap(b, 'cam-3', 30 * hour, 31 * hour),
        ],
      }),
    );
    assert.deepEqual(t.nodes[0]?.gaps, []);
    assert.deepEqual(
      t.nodes[1]?.gaps.map((g) => [ms(g.start) / hour, ms(g.end) / hour, g.state, g.cameras, g.missingSeconds, g.resolvedAt]),
      [
        [1, 2.5, 'open', 2, 7200, null],
        [5, 6, 'filled', 2, 0, at(8 * hour).toISOString()],
      ],
    );
  });

  test('a node no longer in the cluster still shows, under its id', () => {
    const gone = '00000000-0000-4000-8000-0000000000ff';
    const t = timelineOf(input({ spans: [span(gone, 0, hour)] }));
    assert.deepEqual(t.nodes.map((n) => n.name), ['rs-a', 'rs-b', gone]);
  });

  test('reasons map to marker kinds', () => {
    assert.deepEqual(['peer-dead', 'peer-unhealthy', 'peer-stopped', 'local-health', 'failback', 'switch', 'swap'].map(markerKindOf), ['failover', 'failover', 'failover', 'failover', 'failback', 'switch', 'switch']);
  });

  test('bounded: more bands and markers than itemsMax are cut to itemsMax and flagged', () => {
    const spans = Array.from({ length: timelineItemsMax + 10 }, (_, i) => span(a, i * 10_000, i * 10_000 + 5_000));
    const t = timelineOf(input({ spans, failovers: [failover('f1', hour, 'peer-dead', a, b)] }));
    assert.equal(t.truncated, true);
    assert.equal(t.markers.length + t.nodes.reduce((sum, n) => sum + n.serving.length + n.gaps.length, 0), timelineItemsMax);
    assert.equal(t.markers.length, 1, 'markers are kept first');
    // The totals still count every span read.
    assert.equal(t.nodes[0]?.servingSeconds, (timelineItemsMax + 10) * 5);
    assert.equal(timelineOf(input({ spans: spans.slice(0, 10), rowsTruncated: true })).truncated, true);
  });

  const spanArb = fc
    .record({ node: fc.constantFrom(a, b), start: fc.integer({ min: -2 * hour, max: 26 * hour }), length: fc.integer({ min: 1, max: 6 * hour }), epoch: fc.integer({ min: 1, max: 3 }) })
    .map((s) => span(s.node, s.start, s.start + s.length, { epoch: s.epoch }));
  const gapArb = fc
    .record({ node: fc.constantFrom(a, b), cam: fc.constantFrom('c1', 'c2', 'c3'), start: fc.integer({ min: -2 * hour, max: 26 * hour }), length: fc.integer({ min: 1, max: 3 * hour }), state: fc.constantFrom('open', 'filled', 'expired') as fc.Arbitrary<GapInput['state']> })
    .map((g) => gap(g.node, g.cam, g.start, g.start + g.length, { state: g.state, resolvedAt: g.state === 'open' ? null : at(g.start + g.length + hour) }));

  test('property: bands lie in the window, sorted, a node never serving more than the window; served plus unserved is the observed time', () => {
    fc.assert(
      fc.property(fc.array(spanArb, { maxLength: 40 }), (spans) => {
        const t = timelineOf(input({ spans, firstServingAt: at(-3 * hour) }));
        const served: Array<[number, number]> = [];
        for (const n of t.nodes) {
          let last = -Infinity;
          for (const s of n.serving) {
            const [start, end] = [ms(s.start), ms(s.end)];
            assert.ok(start >= 0 && end <= 24 * hour && start < end, 'in the window');
            assert.ok(start >= last, 'oldest first');
            last = start;
            served.push([start, end]);
          }
          assert.ok(n.servingSeconds <= t.windowSeconds && n.servingShare >= 0 && n.servingShare <= 1);
        }
        const servedMs = unionOf(served).reduce((sum, [s, e]) => sum + e - s, 0);
        assert.equal(servedMs + Math.round(t.unservedSeconds * 1000), 24 * hour);
        // Serving time is the spans' own time in the window, plus the pauses under 2 s merged over.
        const spanMs = unionOf(spans.filter((s) => s.nodeId === a).map((s) => [Math.max(0, s.startAt.getTime() - t0), Math.min(24 * hour, s.endAt.getTime() - t0)] as const)).reduce((sum, [s, e]) => sum + e - s, 0);
        assert.ok(Math.round((t.nodes[0]?.servingSeconds ?? 0) * 1000) >= spanMs);
      }),
      { numRuns: 300 },
    );
  });

  test("property: gap bands of one state never overlap, lie in the window, and cover exactly that state's gaps there", () => {
    fc.assert(
      fc.property(fc.array(gapArb, { maxLength: 30 }), (gaps) => {
        const t = timelineOf(input({ gaps }));
        for (const n of t.nodes) {
          for (const state of ['open', 'filled', 'expired'] as const) {
            const bands = n.gaps.filter((g) => g.state === state).map((g) => [ms(g.start), ms(g.end)] as const);
            for (const [i, [s, e]] of bands.entries()) {
              assert.ok(s >= 0 && e <= 24 * hour && s < e);
              const next = bands[i + 1];
              if (next !== undefined) assert.ok(next[0] > e, 'disjoint, touching ones joined');
            }
            const expected = unionOf(gaps.filter((g) => g.nodeId === n.nodeId && g.state === state).map((g) => [Math.max(0, g.startAt.getTime() - t0), Math.min(24 * hour, g.endAt.getTime() - t0)] as const));
            assert.deepEqual(bands, expected);
            for (const g of n.gaps) assert.ok(g.cameras >= 1 && g.cameras <= 3 && (g.state === 'open') === (g.resolvedAt === null));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

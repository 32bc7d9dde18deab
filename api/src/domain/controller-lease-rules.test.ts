import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { controllerConfigSchema } from '../config/schema.js';
import { defaultRenewIntervalMs, heldAfter, leaseMarginMs, leaseStep, leaseTimingProblem, nextDeadlineMs, overdueLeases, rowDisowns, safeUntilMs, type HeldLease, type LeaseRowView } from './controller-lease-rules.js';

const ttlMs = 10_000;
const at = (ms: number): Date => new Date(ms);

test('a missing row is inserted at epoch 1; our own is renewed, expired or not; an expired one of another is taken at epoch + 1; a running one waits', () => {
  assert.deepEqual(leaseStep(null, 'a', at(0)), { action: 'insert', epoch: 1 });
  assert.deepEqual(leaseStep({ holder: 'a', epoch: 3, expiresAt: at(5_000) }, 'a', at(1_000)), { action: 'renew', epoch: 3 });
  assert.deepEqual(leaseStep({ holder: 'a', epoch: 3, expiresAt: at(5_000) }, 'a', at(9_000)), { action: 'renew', epoch: 3 });
  const expired: LeaseRowView = { holder: 'b', epoch: 3, expiresAt: at(5_000) };
  assert.deepEqual(leaseStep(expired, 'a', at(5_000)), { action: 'take', epoch: 4, from: expired });
  assert.deepEqual(leaseStep(expired, 'a', at(4_999)), { action: 'wait', holder: 'b', epoch: 3 });
});

test('a renewal is acted on until the TTL less its margin after the round was sent, never once that has passed', () => {
  assert.equal(leaseMarginMs(ttlMs), 2_000);
  assert.equal(safeUntilMs(100, ttlMs), 8_100);
  assert.deepEqual(heldAfter(null, { won: true, epoch: 1, refused: false }, 100, 200, ttlMs), { change: 'gained', held: { epoch: 1, safeUntilMs: 8_100 } });
  assert.deepEqual(heldAfter({ epoch: 1, safeUntilMs: 8_100 }, { won: true, epoch: 1, refused: false }, 3_000, 3_050, ttlMs), { change: 'kept', held: { epoch: 1, safeUntilMs: 11_000 } });
  // A round that hung past the safe time it would give: a holder stops, a newcomer does not start.
  assert.deepEqual(heldAfter({ epoch: 1, safeUntilMs: 8_100 }, { won: true, epoch: 1, refused: false }, 3_000, 11_000, ttlMs), { change: 'lost', reason: 'renew-overdue' });
  assert.deepEqual(heldAfter(null, { won: true, epoch: 2, refused: false }, 3_000, 11_000, ttlMs), { change: 'none' });
});

test('a refused renewal or another holder ends what was held; nothing changes for a controller that held nothing', () => {
  assert.deepEqual(heldAfter({ epoch: 1, safeUntilMs: 8_000 }, { won: false, epoch: 1, refused: true }, 0, 10, ttlMs), { change: 'lost', reason: 'renew-refused' });
  assert.deepEqual(heldAfter({ epoch: 1, safeUntilMs: 8_000 }, { won: false, epoch: 2, refused: false }, 0, 10, ttlMs), { change: 'lost', reason: 'other-holder' });
  assert.deepEqual(heldAfter(null, { won: false, epoch: 2, refused: false }, 0, 10, ttlMs), { change: 'none' });
  assert.equal(rowDisowns({ epoch: 1, safeUntilMs: 8_000 }, { holder: 'b', epoch: 2, expiresAt: at(0) }, 'a'), true);
  assert.equal(rowDisowns({ epoch: 1, safeUntilMs: 8_000 }, { holder: 'a', epoch: 2, expiresAt: at(0) }, 'a'), true);
  assert.equal(rowDisowns({ epoch: 1, safeUntilMs: 8_000 }, null, 'a'), true);
  assert.equal(rowDisowns({ epoch: 1, safeUntilMs: 8_000 }, { holder: 'a', epoch: 1, expiresAt: at(0) }, 'a'), false);
  assert.equal(rowDisowns(null, { holder: 'b', epoch: 2, expiresAt: at(0) }, 'a'), false);
});

test('the watchdog gives up leases at their safe time and looks again at the earliest one', () => {
  const held = new Map<string, HeldLease>([
    ['webhooks', { epoch: 1, safeUntilMs: 5_000 }],
    ['agent-sweep', { epoch: 4, safeUntilMs: 3_000 }],
  ]);
  assert.equal(nextDeadlineMs(held), 3_000);
  assert.deepEqual(overdueLeases(held, 2_999), []);
  assert.deepEqual(overdueLeases(held, 3_000), ['agent-sweep']);
  assert.deepEqual(overdueLeases(held, 6_000).sort(), ['agent-sweep', 'webhooks']);
  assert.equal(nextDeadlineMs(new Map()), null);
});

test('two renewals fit before the margin: the default interval passes, one too long is refused, in the rules and in the configuration', () => {
  assert.equal(defaultRenewIntervalMs(ttlMs), 3_333);
  assert.equal(leaseTimingProblem(ttlMs, defaultRenewIntervalMs(ttlMs)), null);
  assert.equal(leaseTimingProblem(ttlMs, 4_000), null);
  assert.match(leaseTimingProblem(ttlMs, 4_001) ?? '', /at most half/);
  assert.equal(controllerConfigSchema.safeParse({ leases: { ttlMs, renewIntervalMs: 4_000 } }).success, true);
  const refused = controllerConfigSchema.safeParse({ leases: { ttlMs, renewIntervalMs: 4_001 } });
  assert.equal(refused.success, false);
  assert.deepEqual(refused.error?.issues[0]?.path, ['leases', 'renewIntervalMs']);
  const defaults = controllerConfigSchema.parse({});
  assert.deepEqual(defaults.leases, { ttlMs: 10_000, renewIntervalMs: defaultRenewIntervalMs(10_000) });
});

/**
 * Several controllers run rounds against one simulated row with random delays (reads and
 * compare-and-sets that take up to a whole TTL, as a hung connection does) and clocks that run
 * up to 1 % apart: whatever happens, no two controllers act on the lease at the same real time.
 */
test('property: no two controllers ever act on one lease at once, whatever the delays and clock rates', () => {
  const controller = fc.record({ rate: fc.double({ min: 0.99, max: 1.01, noNaN: true }), offsetMs: fc.integer({ min: -1e6, max: 1e6 }), startMs: fc.integer({ min: 0, max: 20_000 }) });
  const delays = fc.array(fc.tuple(fc.integer({ min: 0, max: ttlMs }), fc.integer({ min: 0, max: ttlMs }), fc.integer({ min: 0, max: 1_000 })), { minLength: 40, maxLength: 40 });
  fc.assert(
    fc.property(fc.array(controller, { minLength: 2, maxLength: 3 }), fc.array(delays, { minLength: 3, maxLength: 3 }), (controllers, delaysOf) => {
      const renewMs = defaultRenewIntervalMs(ttlMs);
      // The database's clock is real time; each controller's monotonic clock is its own rate and offset.
      let row: LeaseRowView | null = null;
      type Phase = { kind: 'read' | 'cas' | 'done'; c: number; realMs: number };
      const state = controllers.map(() => ({ held: null as HeldLease | null, round: 0, sentAtMs: 0, snapshot: null as LeaseRowView | null, dbNowMs: 0, won: false, step: null as ReturnType<typeof leaseStep> | null }));
      const local = (c: number, realMs: number): number => realMs * (controllers[c]?.rate ?? 1) + (controllers[c]?.offsetMs ?? 0);
      const acting: { c: number; fromMs: number; toMs: number }[] = [];
      const queue: Phase[] = controllers.map((k, c) => ({ kind: 'read', c, realMs: k.startMs }));
      for (let guard = 0; guard < 1_000 && queue.length > 0; guard += 1) {
        queue.sort((x, y) => x.realMs - y.realMs);
        const phase = queue.shift() as Phase;
        const s = state[phase.c];
        const d = delaysOf[phase.c]?.[s?.round ?? 0];
        if (s === undefined || d === undefined) continue;
        const id = `c${phase.c}`;
        if (phase.kind === 'read') {
          s.sentAtMs = local(phase.c, phase.realMs);
          // The clock and the row are read after the first delay.
          s.dbNowMs = phase.realMs + d[0];
          s.snapshot = row;
          queue.push({ kind: 'cas', c: phase.c, realMs: s.dbNowMs });
        } else if (phase.kind === 'cas') {
          if (rowDisowns(s.held, s.snapshot, id)) s.held = null;
          const step = leaseStep(s.snapshot, id, new Date(s.dbNowMs));
          const expiresAt = new Date(s.dbNowMs + ttlMs);
          // The compare-and-set lands after the second delay, against the row as it is then.
          const landMs = phase.realMs + d[1];
          const current: LeaseRowView | null = row;
          let won = false;
          if (step.action === 'insert') won = current === null;
          else if (step.action === 'renew') won = current !== null && current.holder === id && current.epoch === step.epoch;
          else if (step.action === 'take') won = current !== null && current.holder === step.from.holder && current.epoch === step.from.epoch && current.expiresAt.getTime() <= s.dbNowMs;
          if (won) row = { holder: id, epoch: step.epoch, expiresAt };
          s.won = won;
          s.step = step;
          queue.push({ kind: 'done', c: phase.c, realMs: landMs + d[2] });
        } else {
          const step = s.step;
          if (step === null) continue;
          const change = heldAfter(s.held, { won: s.won, epoch: step.epoch, refused: step.action === 'renew' }, s.sentAtMs, local(phase.c, phase.realMs), ttlMs);
          if (change.change === 'gained' || change.change === 'kept') {
            s.held = change.held;
            // Acted on from now until its safe time (local), in real time.
            const rate = controllers[phase.c]?.rate ?? 1;
            const untilRealMs = (change.held.safeUntilMs - (controllers[phase.c]?.offsetMs ?? 0)) / rate;
            acting.push({ c: phase.c, fromMs: phase.realMs, toMs: untilRealMs });
          } else if (change.change === 'lost') {
            s.held = null;
          }
          s.round += 1;
          queue.push({ kind: 'read', c: phase.c, realMs: phase.realMs + renewMs });
        }
      }
      for (const x of acting) for (const y of acting) if (x.c !== y.c) assert.ok(x.toMs <= y.fromMs || y.toMs <= x.fromMs, `controllers ${x.c} and ${y.c} acted at once: ${JSON.stringify([x, y])}`);
    }),
    { numRuns: 300 },
  );
});

test('property: with prompt rounds a lease always has a holder again within a TTL and a renewal of its holder going silent', () => {
  // One holder stops renewing at `silentAtMs`; the other, renewing every renewMs, holds it by silentAtMs + ttl + renewMs.
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 3_333 }), (silentAtMs, phaseMs) => {
      const renewMs = defaultRenewIntervalMs(ttlMs);
      const lastRenewalMs = silentAtMs;
      const row: LeaseRowView = { holder: 'dead', epoch: 7, expiresAt: at(lastRenewalMs + ttlMs) };
      let takenAtMs: number | null = null;
      for (let t = phaseMs; t < lastRenewalMs + 3 * ttlMs && takenAtMs === null; t += renewMs) {
        if (t < lastRenewalMs) continue;
        if (leaseStep(row, 'survivor', at(t)).action === 'take') takenAtMs = t;
      }
      assert.ok(takenAtMs !== null && takenAtMs <= lastRenewalMs + ttlMs + renewMs, `taken at ${takenAtMs}`);
    }),
  );
});

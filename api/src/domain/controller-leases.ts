// Singleton work across several controllers on one database (issue 19): the stale-agent sweep,
// webhook delivery and generic events run on one controller at a time, the holder of a lease
// row in controller_lease. Each controller runs one ControllerLeases: every renewIntervalMs it
// reads the database's clock and the lease rows, and tries the compare-and-set the pure rules
// (controller-lease-rules.ts) pick for each: insert a missing row, renew its own, take an
// expired one. It tells each job when it gains or loses its lease. It stops acting on a lease
// it could not renew before that lease can expire in the database (a watchdog on the monotonic
// clock), so a controller that is cut off from the database has stopped before another takes
// over. On stop it releases its leases (expired at once), so that another takes over without
// waiting for the TTL. On SQLite, one controller per file, the same rounds simply always win.
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import { In, type EntityManager } from 'typeorm';
import { describe, type Database } from '../db/database.js';
import { ControllerLeaseEntity, type ControllerLeaseRow } from '../db/entities/controller-share.js';
import { isUniqueViolation } from '../db/errors.js';
import { heldAfter, leaseMarginMs, leaseStep, nextDeadlineMs, overdueLeases, rowDisowns, type HeldLease, type LeaseLostReason, type LeaseName } from './controller-lease-rules.js';

/** A job that runs only while this controller holds its lease. Both calls are synchronous and must not throw. */
export interface LeasedJob {
  readonly name: LeaseName;
  /** This controller holds the lease now (under `epoch`): start acting. */
  gained(epoch: number): void;
  /** It no longer does: stop acting at once (what waits is the job's to drop or keep). */
  lost(reason: LeaseLostReason): void;
}

export interface ControllerLeasesOptions {
  /** This controller's instance id (controller_lease.holder, at most 64 characters): status-share-rules.ts controllerInstanceId. */
  readonly controllerId: string;
  readonly ttlMs: number;
  readonly renewIntervalMs: number;
  readonly log: Logger;
  /** Where the `twinrec_controller_lease_held` gauge goes. */
  readonly registry?: Registry;
  /** Monotonic milliseconds (tests); performance.now() by default. */
  readonly nowMs?: () => number;
}

/** A listener that runs while its lease is held and keeps its settings current meanwhile. */
export interface RefreshingJobParts {
  /** Starts listening (the lease is gained). */
  start(): void;
  /** Stops listening and drops what waits (the lease is lost). */
  standDown(reason: string): void;
  /** Reads the settings again from the database (changes made through another controller); never rejects. */
  refresh(): Promise<unknown>;
  readonly refreshMs: number;
}

/**
 * The lease side of a delivering job (webhooks, generic events): while held it listens and reads
 * its settings again every refreshMs; lost, it stands down. `stop` ends the refreshing for good.
 */
export function refreshingJob(name: LeaseName, parts: RefreshingJobParts): LeasedJob & { stop(): void } {
  let timer: NodeJS.Timeout | null = null;
  const stop = (): void => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };
  return {
    name,
    gained: () => {
      parts.start();
      void parts.refresh();
      stop();
      timer = setInterval(() => void parts.refresh(), parts.refreshMs);
      timer.unref();
    },
    lost: (reason) => {
      stop();
      parts.standDown(`lease ${reason}`);
    },
    stop,
  };
}

/** One lease as GET /api/v1/system shows it. */
export interface LeaseView {
  readonly name: LeaseName;
  /** The controller that holds it (by the row), null before anyone did. */
  readonly holder: string | null;
  readonly epoch: number;
  /** By the database's clock. */
  readonly expiresAt: string | null;
  /** Whether this controller acts on it now. */
  readonly heldHere: boolean;
}

/** Attempts per renewal round in quick succession after a failed one, before going back to renewIntervalMs. */
const quickRetriesMax = 3;

/** The database's current time: every lease expiry is computed and compared on this clock alone. */
export async function databaseNow(m: EntityManager, dialect: Database['dialect']): Promise<Date> {
  const sql = dialect === 'postgres' ? 'SELECT clock_timestamp() AS now' : dialect === 'mssql' ? 'SELECT SYSUTCDATETIME() AS now' : "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now') AS now";
  const rows = (await m.query(sql)) as { now: Date | string }[];
  const value = rows[0]?.now;
  // SQLite answers text in UTC without a zone; the others a Date.
  const now = value instanceof Date ? value : typeof value === 'string' ? new Date(`${value.replace(' ', 'T')}Z`) : null;
  if (now === null || Number.isNaN(now.getTime())) throw new Error(`the database's clock could not be read (got ${String(value)})`);
  return now;
}

export class ControllerLeases {
  private readonly jobs = new Map<LeaseName, LeasedJob>();
  private readonly held = new Map<LeaseName, HeldLease>();
  private readonly nowMs: () => number;
  private readonly gauge: Gauge<'lease'> | null;
  private roundTimer: NodeJS.Timeout | null = null;
  private watchTimer: NodeJS.Timeout | null = null;
  private rounding: Promise<void> | null = null;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly db: Database,
    jobs: readonly LeasedJob[],
    private readonly o: ControllerLeasesOptions,
  ) {
    if (o.controllerId.length === 0 || o.controllerId.length > 64) throw new RangeError('controllerId must be 1 to 64 characters');
    for (const job of jobs) {
      if (this.jobs.has(job.name)) throw new RangeError(`two jobs under the lease ${job.name}`);
      this.jobs.set(job.name, job);
    }
    this.nowMs = o.nowMs ?? (() => performance.now());
    this.gauge = o.registry === undefined ? null : new Gauge({ name: 'twinrec_controller_lease_held', help: 'Singleton leases (issue 19): 1 while this controller holds the lease and runs its job, else 0', labelNames: ['lease'] as const, registers: [o.registry] });
    for (const name of this.jobs.keys()) this.gauge?.set({ lease: name }, 0);
  }

  get controllerId(): string {
    return this.o.controllerId;
  }

  /** Leases this controller acts on now. */
  heldNames(): LeaseName[] {
    return [...this.held.keys()];
  }

  /** Runs the first round (awaited, so that a healthy start holds its leases before it serves), then renews on an interval. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.round();
  }

  /** Stops renewing, tells each job it lost its lease, and releases the rows so that another controller takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.roundTimer !== null) clearTimeout(this.roundTimer);
    if (this.watchTimer !== null) clearTimeout(this.watchTimer);
    this.roundTimer = null;
    this.watchTimer = null;
    // A round in flight ends first (its outcome is not acted on), for a bounded time: a hung one must not hold up the shutdown.
    if (this.rounding !== null) await Promise.race([this.rounding, new Promise((resolve) => setTimeout(resolve, leaseMarginMs(this.o.ttlMs)).unref())]);
    const released = [...this.held.entries()];
    for (const [name] of released) this.lose(name, 'released');
    if (released.length === 0) return;
    try {
      const m = this.db.dataSource.manager;
      // Expired at the epoch start: any other controller's next round takes it (epoch + 1).
      for (const [name, lease] of released) await m.update(ControllerLeaseEntity, { name, holder: this.o.controllerId, epoch: lease.epoch }, { expiresAt: new Date(0) });
      this.o.log.info({ leases: released.map(([name]) => name) }, 'controller leases released');
    } catch (err) {
      this.o.log.warn({ err: describe(err) }, 'controller leases not released: another controller takes them over once they expire');
    }
  }

  /** Every lease as the database has it, with whether this controller acts on it. */
  async view(): Promise<LeaseView[]> {
    const rows = await this.db.dataSource.manager.find(ControllerLeaseEntity, { where: { name: In([...this.jobs.keys()]) } });
    const byName = new Map(rows.map((r) => [r.name, r]));
    return [...this.jobs.keys()].map((name) => {
      const row = byName.get(name);
      return { name, holder: row?.holder ?? null, epoch: row?.epoch ?? 0, expiresAt: row?.expiresAt.toISOString() ?? null, heldHere: this.held.has(name) };
    });
  }

  /** One round over every lease; never two at once, never throws. */
  private round(): Promise<void> {
    this.rounding ??= this.runRound().finally(() => {
      this.rounding = null;
      this.schedule();
    });
    return this.rounding;
  }

  private async runRound(): Promise<void> {
    const sentAtMs = this.nowMs();
    try {
      const m = this.db.dataSource.manager;
      const dbNow = await databaseNow(m, this.db.dialect);
      const rows = await m.find(ControllerLeaseEntity, { where: { name: In([...this.jobs.keys()]) } });
      const byName = new Map(rows.map((r) => [r.name, r]));
      for (const name of this.jobs.keys()) {
        if (this.stopped) return;
        await this.step(m, name, byName.get(name) ?? null, dbNow, sentAtMs);
      }
      if (this.failures > 0) this.o.log.info({ failures: this.failures }, 'controller leases renewed again');
      this.failures = 0;
    } catch (err) {
      if (this.failures === 0) this.o.log.warn({ err: describe(err), held: this.heldNames() }, 'controller leases could not be renewed; retrying (held leases are given up once renewing is overdue)');
      this.failures += 1;
    } finally {
      this.watch();
    }
  }

  /** Tries this round's compare-and-set on one lease and tells its job what changed. */
  private async step(m: EntityManager, name: LeaseName, row: ControllerLeaseRow | null, dbNow: Date, sentAtMs: number): Promise<void> {
    const me = this.o.controllerId;
    if (rowDisowns(this.held.get(name) ?? null, row, me)) this.lose(name, 'other-holder');
    const step = leaseStep(row, me, dbNow);
    const expiresAt = new Date(dbNow.getTime() + this.o.ttlMs);
    let won = false;
    if (step.action === 'insert') {
      try {
        await m.insert(ControllerLeaseEntity, { name, holder: me, epoch: step.epoch, expiresAt, updatedAt: dbNow });
        won = true;
      } catch (err) {
        // Another controller inserted it first: its lease stands.
        if (!isUniqueViolation(err)) throw err;
      }
    } else if (step.action === 'renew') {
      const done = await m.createQueryBuilder().update(ControllerLeaseEntity).set({ expiresAt, updatedAt: dbNow }).where('name = :name AND holder = :me AND epoch = :epoch', { name, me, epoch: step.epoch }).execute();
      won = done.affected === 1;
    } else if (step.action === 'take') {
      // Conditional on the expiry too: a late renewal by the holder between our read and this update wins.
      const done = await m
        .createQueryBuilder()
        .update(ControllerLeaseEntity)
        .set({ holder: me, epoch: step.epoch, expiresAt, updatedAt: dbNow })
        .where('name = :name AND holder = :holder AND epoch = :epoch AND expires_at <= :dbNow', { name, holder: step.from.holder, epoch: step.from.epoch, dbNow })
        .execute();
      won = done.affected === 1;
      if (won) this.o.log.info({ lease: name, from: step.from.holder, epoch: step.epoch }, 'controller lease taken over from an expired holder');
    }
    if (this.stopped) return;
    const change = heldAfter(this.held.get(name) ?? null, { won, epoch: step.epoch, refused: step.action === 'renew' }, sentAtMs, this.nowMs(), this.o.ttlMs);
    if (change.change === 'gained' || change.change === 'kept') {
      this.held.set(name, change.held);
      if (change.change === 'gained') this.gain(name, change.held.epoch);
    } else if (change.change === 'lost') {
      this.lose(name, change.reason);
    }
  }

  private gain(name: LeaseName, epoch: number): void {
    this.gauge?.set({ lease: name }, 1);
    this.o.log.info({ lease: name, epoch, controllerId: this.o.controllerId }, 'controller lease gained: this controller runs the job now');
    this.tell(name, (job) => job.gained(epoch));
  }

  private lose(name: LeaseName, reason: LeaseLostReason): void {
    if (!this.held.delete(name)) return;
    this.gauge?.set({ lease: name }, 0);
    const log = reason === 'released' ? this.o.log.info.bind(this.o.log) : this.o.log.warn.bind(this.o.log);
    log({ lease: name, reason, controllerId: this.o.controllerId }, 'controller lease lost: this controller stops the job');
    this.tell(name, (job) => job.lost(reason));
  }

  private tell(name: LeaseName, call: (job: LeasedJob) => void): void {
    const job = this.jobs.get(name);
    if (job === undefined) return;
    try {
      call(job);
    } catch (err) {
      this.o.log.error({ err: describe(err), lease: name }, 'a leased job failed to take a lease change');
    }
  }

  /** The next round: renewIntervalMs after a good one; a quarter of it after a failure, a few times, then renewIntervalMs again. */
  private schedule(): void {
    if (this.stopped || this.roundTimer !== null) return;
    const delayMs = this.failures > 0 && this.failures <= quickRetriesMax ? Math.max(1, Math.floor(this.o.renewIntervalMs / 4)) : this.o.renewIntervalMs;
    this.roundTimer = setTimeout(() => {
      this.roundTimer = null;
      void this.round();
    }, delayMs);
    this.roundTimer.unref();
  }

  /** Gives up overdue leases now, and looks again at the next deadline: a hung round must not keep a lease past its safe time. */
  private watch(): void {
    if (this.watchTimer !== null) clearTimeout(this.watchTimer);
    this.watchTimer = null;
    for (const name of overdueLeases(this.held, this.nowMs())) this.lose(name, 'renew-overdue');
    const deadlineMs = nextDeadlineMs(this.held);
    if (deadlineMs === null || this.stopped) return;
    this.watchTimer = setTimeout(() => this.watch(), Math.max(1, Math.ceil(deadlineMs - this.nowMs())));
    this.watchTimer.unref();
  }
}

// GET /api/v1/events/stream: Server-Sent Events of events as they are stored. A stream
// listens on the event bus from its first moment, replays from the database what followed
// the client's Last-Event-ID (or its `since`), then sends live events, skipping any the replay
// already held. Bounded everywhere: streams open at once, events replayed, events held while
// replaying, and bytes waiting on a slow client (beyond which the stream is cut and the client,
// reconnecting with Last-Event-ID, resumes from the database).
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { EventRow } from '../db/entities/index.js';
import type { EventBus } from '../domain/event-bus.js';
import { cursorOf, eventMatches, eventReplayMax, eventView, type EventCursor, type EventFilter } from '../domain/events.js';
import { DomainError } from '../domain/errors.js';
import { problemTypes } from '../model/problem-types.js';

export interface EventStreamOptions {
  /** Streams open at once; one more gets 503 stream-limit-reached. */
  readonly streamsMax: number;
  /**
   * Streams one account holds at once, over all its sessions and tokens (a viewer can make any
   * number of those), so that no single caller takes every slot; one more gets 429
   * account-stream-limit-reached.
   */
  readonly streamsPerAccountMax: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  readonly heartbeatMs: number;
  /** Events replayed from the database at most. */
  readonly replayMax: number;
  /** Bytes queued for a client that does not read; beyond, the stream is cut. */
  readonly bufferedBytesMax: number;
  /** The `retry:` the client is told to wait before reconnecting. */
  readonly retryMs: number;
  /** How often a stream checks that its session or token is still valid; it ends within this of a logout or revocation. */
  readonly credentialCheckMs: number;
  /**
   * A check that cannot answer (the database is down) keeps the stream, and the next one asks
   * again; the stream ends once this many checks in a row have failed over at least
   * `credentialUncheckedMaxMs`, so that a credential revoked during an outage does not stream on.
   */
  readonly credentialFailuresMax: number;
  readonly credentialUncheckedMaxMs: number;
}

export const eventStreamDefaults: EventStreamOptions = {
  streamsMax: 100,
  streamsPerAccountMax: 5,
  heartbeatMs: 15_000,
  replayMax: eventReplayMax,
  bufferedBytesMax: 1024 * 1024,
  retryMs: 3_000,
  credentialCheckMs: 5_000,
  credentialFailuresMax: 3,
  credentialUncheckedMaxMs: 60_000,
};

/**
 * Whether the credential a stream was opened with still allows it (see credentialRecheckOf):
 * false when it is known gone; a rejection when it could not be checked.
 */
export type CredentialCheck = () => Promise<boolean>;

/** How long a stream is kept while its credential cannot be checked. */
export interface UncheckedBound {
  readonly failuresMax: number;
  readonly maxMs: number;
}

/** Where a stream starts: after a cursor (Last-Event-ID), at the filter's `since`, or now. */
export type StreamStart = { readonly after: EventCursor } | { readonly since: Date } | null;

export interface ReplaySource {
  after(filter: EventFilter, from: EventCursor | null, max: number): Promise<{ rows: EventRow[]; truncated: boolean }>;
}

/** One open stream: its response, its bus subscription and its heartbeat. */
class Stream {
  private heartbeat: NodeJS.Timeout | null = null;
  private credentialTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private ended = false;

  constructor(
    readonly res: ServerResponse,
    private readonly bufferedBytesMax: number,
    private readonly onEnd: (stream: Stream) => void,
  ) {}

  get isEnded(): boolean {
    return this.ended;
  }

  listen(unsubscribe: () => void): void {
    this.unsubscribe = unsubscribe;
  }

  beat(intervalMs: number): void {
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), intervalMs);
    this.heartbeat.unref();
  }

  /**
   * Ends the stream once its credential no longer allows it; one check at a time. A check that
   * fails (rejects) is retried at the next interval; only `bound.failuresMax` failures in a row
   * spanning `bound.maxMs` end the stream (`onUnchecked` says so).
   */
  guard(check: CredentialCheck, intervalMs: number, bound: UncheckedBound, onUnchecked: (failures: number, uncheckedMs: number) => void): void {
    let checking = false;
    let failures = 0;
    let failingSinceMs = 0;
    this.credentialTimer = setInterval(() => {
      if (checking || this.ended) return;
      checking = true;
      void Promise.resolve()
        .then(check)
        .then(
          (allowed) => {
            failures = 0;
            if (!allowed) this.end();
          },
          () => {
            const nowMs = performance.now();
            if (failures === 0) failingSinceMs = nowMs;
            failures += 1;
            if (failures >= bound.failuresMax && nowMs - failingSinceMs >= bound.maxMs && !this.ended) {
              onUnchecked(failures, Math.round(nowMs - failingSinceMs));
              this.end();
            }
          },
        )
        .finally(() => (checking = false));
    }, intervalMs);
    this.credentialTimer.unref();
  }

  send(row: EventRow): void {
    this.write(`id: ${cursorOf(row)}\ndata: ${JSON.stringify(eventView(row))}\n\n`);
  }

  write(chunk: string): void {
    if (this.ended) return;
    this.res.write(chunk);
    // A client that does not read would otherwise hold every event in memory.
    if (this.res.writableLength > this.bufferedBytesMax) this.end(true);
  }

  /** Ends the response (or, for a client that does not read, drops the connection). */
  end(cut = false): void {
    if (this.ended) return;
    this.ended = true;
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    if (this.credentialTimer !== null) clearInterval(this.credentialTimer);
    this.unsubscribe?.();
    if (cut) this.res.destroy();
    else if (this.res.headersSent) this.res.end();
    this.onEnd(this);
  }
}

/** Who holds a stream: the account it counts against, and the check that ends it with its credential. */
export interface StreamHolder {
  readonly accountId: string;
  readonly credential: CredentialCheck;
}

export class EventStreams {
  private readonly open = new Set<Stream>();
  /** Open streams per account; an account with none has no entry, so the map stays as small as the open set. */
  private readonly perAccount = new Map<string, number>();
  private closing = false;

  constructor(
    private readonly bus: EventBus,
    private readonly replay: ReplaySource,
    private readonly log: Logger,
    private readonly options: EventStreamOptions = eventStreamDefaults,
  ) {}

  get size(): number {
    return this.open.size;
  }

  /** Streams `accountId` holds now. */
  heldBy(accountId: string): number {
    return this.perAccount.get(accountId) ?? 0;
  }

  /** Answers the request with a stream; throws a problem before any byte is sent when it cannot. */
  async serve(res: ServerResponse, filter: EventFilter, start: StreamStart, holder?: StreamHolder): Promise<void> {
    if (this.closing || this.open.size >= this.options.streamsMax) throw streamLimitReached(this.closing ? 'the controller is shutting down' : `${this.options.streamsMax} event streams are open already; retry later`);
    const accountId = holder?.accountId;
    if (accountId !== undefined && this.heldBy(accountId) >= this.options.streamsPerAccountMax) throw accountStreamLimitReached(this.options.streamsPerAccountMax, Math.ceil(this.options.retryMs / 1000));
    // The slots are taken before the first await, so that concurrent requests cannot overshoot.
    const stream = new Stream(res, this.options.bufferedBytesMax, (s) => {
      this.open.delete(s);
      if (accountId !== undefined) this.release(accountId);
    });
    this.open.add(stream);
    if (accountId !== undefined) this.perAccount.set(accountId, this.heldBy(accountId) + 1);
    // The response's close, not the request's: it fires when the client goes away or the response ends.
    res.on('close', () => stream.end());

    // Listening before the replay is read, so that nothing stored meanwhile falls between the two.
    const held: EventRow[] = [];
    let live = false;
    stream.listen(
      this.bus.subscribe((row) => {
        if (!eventMatches(row, filter)) return;
        if (live) stream.send(row);
        else if (held.length < this.options.replayMax) held.push(row);
        // More arrived during the replay than a stream holds: cut, and let the client resume.
        else stream.end(true);
      }),
    );

    let replayed: { rows: EventRow[]; truncated: boolean };
    try {
      replayed = start === null ? { rows: [], truncated: false } : 'after' in start ? await this.replay.after(filter, start.after, this.options.replayMax) : await this.replay.after({ ...filter, since: start.since }, null, this.options.replayMax);
    } catch (err) {
      stream.end();
      throw err;
    }
    if (stream.isEnded) return;

    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    stream.write(`retry: ${this.options.retryMs}\n: ${replayed.rows.length} events replayed\n\n`);
    const first = replayed.rows[0];
    // The older events did not fit: the client pages GET /api/v1/events?before=<cursor> for them.
    if (replayed.truncated && first !== undefined) stream.write(`event: replay-truncated\ndata: ${JSON.stringify({ before: cursorOf(first), replayMax: this.options.replayMax })}\n\n`);
    const sent = new Set<string>();
    for (const row of replayed.rows) {
      stream.send(row);
      sent.add(row.id);
    }
    for (const row of held) if (!sent.has(row.id)) stream.send(row);
    live = true;
    stream.beat(this.options.heartbeatMs);
    const credential = holder?.credential;
    if (credential !== undefined) {
      const bound = { failuresMax: this.options.credentialFailuresMax, maxMs: this.options.credentialUncheckedMaxMs };
      // The check's error is not logged here: the database's own failure is reported where it happens.
      stream.guard(credential, this.options.credentialCheckMs, bound, (failures, uncheckedMs) => this.log.warn({ failures, uncheckedMs }, 'event stream ended: its session or token could not be checked for too long'));
    }
  }

  private release(accountId: string): void {
    const held = this.heldBy(accountId) - 1;
    if (held > 0) this.perAccount.set(accountId, held);
    else this.perAccount.delete(accountId);
  }

  /** Ends every stream and refuses new ones: the controller is stopping. */
  closeAll(): void {
    this.closing = true;
    const count = this.open.size;
    for (const stream of [...this.open]) stream.end();
    if (count > 0) this.log.info({ streams: count }, 'event streams closed');
  }
}

function streamLimitReached(detail: string): DomainError {
  const type = 'stream-limit-reached';
  return new DomainError(type, problemTypes[type].status, problemTypes[type].title, detail);
}

function accountStreamLimitReached(perAccountMax: number, retryAfterSeconds: number): DomainError {
  const type = 'account-stream-limit-reached';
  const detail = `This account has ${perAccountMax} event streams open already (over all its sessions and tokens); close one, or retry later`;
  return new DomainError(type, problemTypes[type].status, problemTypes[type].title, detail, { streamsPerAccountMax: perAccountMax, retryAfterSeconds });
}

// PostgreSQL LISTEN/NOTIFY between controllers on one database (status-share.ts, event-share.ts):
// one dedicated connection per controller LISTENs on the share channels and hands each
// notification to its channel's handler; a lost connection is made again, backing off with
// jitter, and every reconnection is told (onConnected), since notifications sent meanwhile are
// gone and the pollers should look now. Notifications only wake the pollers up early: the
// pollers alone are the source of truth.
//
// The connection is made with the TypeORM pg driver's own module and pool settings (host,
// credentials, TLS, timeouts), so that it reaches the database exactly as every query does.
import type pg from 'pg';
import type { Logger } from 'pino';
import { describe, type Database } from '../db/database.js';

/** Channel names: fixed, lower case, so that LISTEN and NOTIFY need no quoting. */
export const statusChannel = 'twinrec_status';
export const eventsChannel = 'twinrec_events';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
export const notifyPayloadBytesMax = 7_900;

/** Reconnection backoff: from 250 ms doubling to 30 s, each delay drawn between half and all of it. */
const reconnectMsMin = 250;
const reconnectMsMax = 30_000;

/**
 * The delay before reconnection attempt `attempt` (1, 2, …): exponential, capped, with jitter so
 * that controllers that lost the database together do not all return at once.
 *
 * @example reconnectDelayMs(1, () => 1)  // 250
 * @example reconnectDelayMs(20, () => 0) // 15_000
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const capped = Math.min(reconnectMsMax, reconnectMsMin * 2 ** Math.min(16, Math.max(0, attempt - 1)));
  return Math.round(capped / 2 + (capped / 2) * random());
}

/** What the pg driver of a TypeORM PostgreSQL DataSource holds: the pg module and its pool. */
interface PostgresDriverInternals {
  readonly postgres: typeof pg;
  readonly master: { readonly options: pg.ClientConfig };
}

export interface ShareListenerOptions {
  readonly db: Database;
  readonly log: Logger;
  /** Handlers by channel; each gets the payload of every notification on it. */
  readonly channels: Readonly<Record<string, (payload: string) => void>>;
  /** Told after every (re)connection, once LISTEN holds. */
  readonly onConnected?: () => void;
}

export class ShareListener {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private closed = false;
  private connecting: Promise<void> | null = null;

  constructor(private readonly o: ShareListenerOptions) {
    for (const channel of Object.keys(o.channels)) if (!/^[a-z_]+$/.test(channel)) throw new RangeError(`not a channel name: ${channel}`);
  }

  start(): void {
    this.connecting ??= this.connect();
  }

  /** True while the connection is up and listening. */
  get listening(): boolean {
    return this.client !== null;
  }

  private async connect(): Promise<void> {
    let client: pg.Client | null = null;
    try {
      const driver = this.o.db.dataSource.driver as unknown as PostgresDriverInternals;
      client = new driver.postgres.Client(driver.master.options);
      client.on('error', (err) => this.lost(client, err));
      client.on('end', () => this.lost(client, null));
      client.on('notification', (message) => {
        const handler = this.o.channels[message.channel];
        if (handler !== undefined) handler(message.payload ?? '');
      });
      await client.connect();
      for (const channel of Object.keys(this.o.channels)) await client.query(`LISTEN ${channel}`);
      if (this.closed) {
        await client.end().catch(() => {});
        return;
      }
      this.client = client;
      if (this.attempt > 0) this.o.log.info({ attempts: this.attempt }, 'listening for other controllers again');
      this.attempt = 0;
      this.o.onConnected?.();
    } catch (err) {
      client?.removeAllListeners('end');
      await client?.end().catch(() => {});
      this.retry(err);
    } finally {
      this.connecting = null;
    }
  }

  private lost(client: pg.Client | null, err: Error | null): void {
    if (client === null || this.client !== client) return;
    this.client = null;
    client.removeAllListeners('end');
    void client.end().catch(() => {});
    this.retry(err ?? new Error('connection ended'));
  }

  private retry(err: unknown): void {
    if (this.closed || this.timer !== null) return;
    this.attempt += 1;
    const delayMs = reconnectDelayMs(this.attempt);
    // Once per outage: the database's own health is logged where it is checked.
    if (this.attempt === 1) this.o.log.warn({ err: describe(err), retryMs: delayMs }, 'cannot listen for other controllers (PostgreSQL LISTEN); polling only until it is back');
    this.timer = setTimeout(() => {
      this.timer = null;
      this.start();
    }, delayMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.connecting?.catch(() => {});
    const client = this.client;
    this.client = null;
    if (client !== null) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    }
  }
}

/** Sends a notification on `channel` through the DataSource's pool (PostgreSQL only). */
export async function notifyPostgres(db: Database, channel: string, payload: string): Promise<void> {
  if (Buffer.byteLength(payload) > notifyPayloadBytesMax) throw new RangeError(`a notification payload holds at most ${notifyPayloadBytesMax} bytes`);
  await db.dataSource.query('SELECT pg_notify($1, $2)', [channel, payload]);
}

// What a PostgreSQL database takes in writes over a while, for bench/scale.bench.ts: the WAL the
// server wrote (every database on it: the bench's own is the only busy one) and the rows written
// to node_status_share, whole statuses and stamps alike (issue 19: node status sharing).
import pg from 'pg';

export interface PgWriteMark {
  readonly walLsn: string;
  readonly statusShareRowWrites: number;
  readonly atMs: number;
}

export interface PgWrites {
  readonly walBytesPerSecond: number;
  readonly statusShareRowsPerSecond: number;
}

/** Reads the server's WAL position and node_status_share's row-write count now. */
export async function pgWriteMark(url: string): Promise<PgWriteMark> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, query_timeout: 10_000 });
  await client.connect();
  try {
    const wal = await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    // Statistics reach the view within the stats interval; taken as they are (a few hundred ms late at most).
    const rows = await client.query<{ writes: string | null }>("SELECT (n_tup_ins + n_tup_upd)::text AS writes FROM pg_stat_user_tables WHERE relname = 'node_status_share'");
    return { walLsn: wal.rows[0]?.lsn ?? '0/0', statusShareRowWrites: Number(rows.rows[0]?.writes ?? 0), atMs: performance.now() };
  } finally {
    await client.end();
  }
}

/** The write rates between two marks. */
export async function pgWritesBetween(url: string, from: PgWriteMark, to: PgWriteMark): Promise<PgWrites> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, query_timeout: 10_000 });
  await client.connect();
  try {
    const diff = await client.query<{ bytes: string }>('SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn)::text AS bytes', [to.walLsn, from.walLsn]);
    const seconds = Math.max(0.001, (to.atMs - from.atMs) / 1000);
    return { walBytesPerSecond: Number(diff.rows[0]?.bytes ?? 0) / seconds, statusShareRowsPerSecond: (to.statusShareRowWrites - from.statusShareRowWrites) / seconds };
  } finally {
    await client.end();
  }
}

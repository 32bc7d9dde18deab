// The data folder and the embedded database's files hold the cluster secrets' key and the
// accounts' hashes: the folder is 0700 and its files 0600, for the controller's account only.
// The database file is made here, 0600, before SQLite opens it, because SQLite creates its
// -wal, -shm and -journal files with the permission bits of the database file. Files that
// exist with looser bits are tightened, and the caller logs it. POSIX only: on Windows the
// folder's ACL decides, and chmod cannot narrow it.
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';

/** A folder or file whose permission bits were tightened, with the bits it had. */
export interface Tightened {
  readonly path: string;
  readonly fromMode: number;
  readonly toMode: number;
}

const enforced = process.platform !== 'win32';

/** Creates `dir` (0700) or tightens an existing one to 0700. */
export function secureDataDir(dir: string): Tightened[] {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return enforced ? tighten(dir, 0o700) : [];
}

/** The SQLite database's companions, which SQLite creates with the database file's bits. */
export const sqliteCompanionSuffixes = ['-wal', '-shm', '-journal'] as const;

/**
 * Creates the SQLite database file (0600) when it is missing, in a folder made 0700 when it is
 * missing, and tightens the file and its companions to 0600.
 */
export function secureSqliteFiles(databasePath: string): Tightened[] {
  mkdirSync(dirname(databasePath), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(databasePath, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if (!enforced) return [];
  return [databasePath, ...sqliteCompanionSuffixes.map((suffix) => databasePath + suffix)].flatMap((path) => tighten(path, 0o600));
}

/** One warning per folder or file tightened. */
export function logTightened(log: Logger, tightened: readonly Tightened[]): void {
  for (const t of tightened) {
    log.warn({ path: t.path, fromMode: t.fromMode.toString(8), toMode: t.toMode.toString(8) }, "tightened permissions: the data folder and its files are for the controller's account only");
  }
}

function tighten(path: string, toMode: number): Tightened[] {
  let fromMode: number;
  try {
    fromMode = statSync(path).mode & 0o777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  if ((fromMode & ~toMode) === 0) return [];
  chmodSync(path, toMode);
  return [{ path, fromMode, toMode }];
}

// SQLite is the single-controller embedded default (issue 19): a second `twinrec serve` on the
// same SQLite file is refused, with a message that says what to do instead. Several controllers
// share PostgreSQL (or SQL Server). A lock file beside the database, held by the controller's
// process (shared/process-lock.ts): a crashed controller's lock is taken over by the next one.
import { CliError } from '../../../shared/exit-codes.js';
import { acquireLockFile, LockHeldError, releaseLockFile } from '../../../shared/process-lock.js';
import { dataSourceOptions, type DatabaseSettings } from './data-source.js';

/** The lock file of the SQLite database `settings` name, or null for another dialect or an in-memory database. */
export function sqliteControllerLockPath(settings: DatabaseSettings): string | null {
  const options = dataSourceOptions(settings);
  if (options.type !== 'better-sqlite3' || options.database === ':memory:') return null;
  return `${String(options.database)}.controller.lock`;
}

/**
 * Takes the SQLite database for this controller; returns the release, a no-op for other
 * dialects. Another live controller on the file: CliError (exit 2), naming it and the way out.
 */
export async function holdSqliteForThisController(settings: DatabaseSettings): Promise<() => Promise<void>> {
  const path = sqliteControllerLockPath(settings);
  if (path === null) return async () => {};
  try {
    await acquireLockFile(path);
  } catch (err) {
    if (!(err instanceof LockHeldError)) throw err;
    throw new CliError(
      `another controller (process ${err.holderPid}) uses the SQLite database ${path.slice(0, -'.controller.lock'.length)}: SQLite serves one controller; ` +
        'stop that one, or run several controllers on one PostgreSQL or SQL Server database (db.url)',
    );
  }
  return () => releaseLockFile(path);
}

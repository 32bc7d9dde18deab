// Classifies driver errors so that the API answers 503 for an unreachable database and 409
// for a uniqueness race, whatever the dialect.

const unavailableCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'ESOCKET', 'ETIMEOUT', 'ECONNCLOSED', 'ENOTOPEN', // mssql/tedious
  'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_FULL', 'SQLITE_READONLY',
  '57P01', '57P02', '57P03', '53300', // postgres: shutdown, crash, cannot connect now, too many connections
]);

function codesOf(err: unknown, depth = 0): string[] {
  if (typeof err !== 'object' || err === null || depth > 3) return [];
  const e = err as { code?: unknown; driverError?: unknown; cause?: unknown; originalError?: unknown };
  const own = typeof e.code === 'string' ? [e.code] : [];
  return [...own, ...codesOf(e.driverError, depth + 1), ...codesOf(e.cause, depth + 1), ...codesOf(e.originalError, depth + 1)];
}

function messagesOf(err: unknown): string {
  if (!(err instanceof Error)) return '';
  const driver = (err as { driverError?: unknown }).driverError;
  return `${err.message} ${driver instanceof Error ? driver.message : ''}`;
}

/** True when the error means "the database cannot be reached now", not "the request is wrong". */
export function isUnavailableError(err: unknown): boolean {
  if (codesOf(err).some((code) => unavailableCodes.has(code) || code.startsWith('08') || code.startsWith('SQLITE_IOERR'))) return true;
  const name = err instanceof Error ? err.name : '';
  if (name === 'ConnectionError') return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|timed out after/i.test(messagesOf(err));
}

/** True for a unique-constraint violation on any supported dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const codes = codesOf(err);
  if (codes.includes('23505') || codes.some((c) => c.startsWith('SQLITE_CONSTRAINT_UNIQUE') || c === 'SQLITE_CONSTRAINT_PRIMARYKEY')) return true;
  const number = (err as { driverError?: { number?: unknown } }).driverError?.number;
  return number === 2627 || number === 2601;
}

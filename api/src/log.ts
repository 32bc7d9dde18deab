// pino logger on stderr: JSON by default, pretty when stderr is a terminal (or asked for); and,
// when `log.file` is set, the same lines (always JSON) in a rotating file (shared/log-file.ts).
// stdout is reserved for machine-readable lines such as {"event":"listening"}.
import pino, { type DestinationStream, type Logger } from 'pino';
import { openLogFile, type LogFileSettings } from '../../shared/log-file.js';

export interface LogSettings {
  readonly level: string;
  readonly format: 'auto' | 'json' | 'pretty';
  readonly file?: LogFileSettings | undefined;
}

/** Paths that may hold secrets; pino replaces them before anything is written. */
export const redactPaths = ['password', '*.password', 'token', '*.token', 'secret', '*.secret', 'authorization', '*.authorization', 'req.headers.authorization', 'req.headers.cookie', 'db.url', '*.db.url'];

/** A logger on stderr, and also on `file` (an open log file's stream) when given. */
export function createLogger(settings: LogSettings, name = 'twinrec', file?: DestinationStream): Logger {
  const pretty = settings.format === 'pretty' || (settings.format === 'auto' && process.stderr.isTTY === true);
  const options = { name, level: settings.level, redact: { paths: redactPaths, censor: '********' } };
  if (file !== undefined) {
    // Both streams get every line the logger's level lets through; the file is always JSON.
    const stderr = pretty ? pino.transport({ target: 'pino-pretty', options: { destination: 2, colorize: true } }) : pino.destination({ fd: 2, sync: false });
    return pino(options, pino.multistream([{ stream: stderr, level: 'trace' }, { stream: file, level: 'trace' }]));
  }
  if (pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true } } });
  }
  return pino(options, pino.destination({ fd: 2, sync: false }));
}

/** The controller's logger, with its log file opened first when the settings name one. */
export async function openLogger(settings: LogSettings, name = 'twinrec'): Promise<{ readonly log: Logger; close(): Promise<void> }> {
  const file = settings.file === undefined ? null : await openLogFile(settings.file);
  const log = createLogger(settings, name, file?.stream);
  return {
    log,
    close: async () => {
      log.flush();
      await file?.close();
    },
  };
}

// pino logger on stderr: JSON by default, pretty when stderr is a terminal (or asked for).
// stdout is reserved for machine-readable lines such as {"event":"listening"}.
import pino, { type Logger } from 'pino';

export interface LogSettings {
  readonly level: string;
  readonly format: 'auto' | 'json' | 'pretty';
}

/** Paths that may hold secrets; pino replaces them before anything is written. */
export const redactPaths = ['password', '*.password', 'token', '*.token', 'secret', '*.secret', 'authorization', '*.authorization', 'req.headers.authorization', 'req.headers.cookie', 'db.url', '*.db.url'];

export function createLogger(settings: LogSettings, name = 'twinrec'): Logger {
  const pretty = settings.format === 'pretty' || (settings.format === 'auto' && process.stderr.isTTY === true);
  const options = { name, level: settings.level, redact: { paths: redactPaths, censor: '********' } };
  if (pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true } } });
  }
  return pino(options, pino.destination({ fd: 2, sync: false }));
}

import { pino, type Logger } from 'pino';

/**
 * The logger of a lab process. Logs go to stderr as JSON lines, because stdout carries only the
 * one "ready" line that the parent reads. Secrets are redacted by key in case one slips into a
 * logged object; the code never logs them on purpose.
 */
export function labLogger(component: string): Logger {
  return pino(
    {
      base: { component, pid: process.pid },
      level: process.env.TWINREC_LAB_LOG_LEVEL ?? 'info',
      redact: { paths: ['password', 'token', 'access_token', '*.password', '*.token', '*.access_token'], censor: '[secret]' },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}

export type { Logger };

/**
 * The ready handshake between a lab process and whoever started it: the process prints exactly
 * one JSON line on stdout once it is listening, and never writes to stdout again (logs go to
 * stderr). The parent may close its end of the pipe after reading that line.
 */
export interface ReadyEvent {
  readonly event: 'listening';
  readonly component: 'cameras' | 'management' | 'recorder' | 'control' | 'event-server';
  readonly pid: number;
  readonly [key: string]: unknown;
}

/**
 * A ready line as the lab reads it from any process it starts: lab processes print a
 * ReadyEvent; `twinrec agent` prints `component: 'agent'`; `twinrec relay` prints neither
 * `component` nor `pid` (the pid is then the child's, filled in by the spawner).
 */
export interface ReadyLine {
  readonly event: 'listening';
  readonly component?: string;
  readonly pid: number;
  readonly [key: string]: unknown;
}

export function announceReady(event: Omit<ReadyEvent, 'event' | 'pid'>): void {
  // A parent that stopped reading must not crash us with EPIPE later.
  process.stdout.on('error', () => undefined);
  process.stdout.write(`${JSON.stringify({ event: 'listening', pid: process.pid, ...event })}\n`);
}

// What the lab's processes logged around a frame loss, so that a loss the accounting finds can
// be traced to its cause from the bench output alone (the lab folder is removed afterwards):
// the agents' events (failover, backfill, recorder restarts), the recorders' warnings and lost
// camera streams, and the camera hub's streams opened and closed, per recorder.
import { readFileSync } from 'node:fs';

/** One pino JSON line, as far as the context needs it. */
export interface LogEntry {
  readonly timeMs: number;
  /** The process that logged it: an agent, a recorder, the hub. */
  readonly source: string;
  readonly level: number;
  readonly event: string | null;
  readonly msg: string;
  readonly recorder: string | null;
}

/** Parses pino JSON lines; lines that are not JSON objects with a numeric time are left out. */
export function parseLogLines(text: string, source: string): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const raw = JSON.parse(line) as { time?: unknown; level?: unknown; event?: unknown; msg?: unknown; recorder?: unknown };
      if (typeof raw.time !== 'number') continue;
      entries.push({
        timeMs: raw.time,
        source,
        level: typeof raw.level === 'number' ? raw.level : 30,
        event: typeof raw.event === 'string' ? raw.event : null,
        msg: typeof raw.msg === 'string' ? raw.msg : '',
        recorder: typeof raw.recorder === 'string' ? raw.recorder : null,
      });
    } catch {
      // a partial last line
    }
  }
  return entries;
}

/** Messages logged once per camera, which are counted per source and second instead of listed. */
const perCameraMessages = new Set(['stream opened', 'stream closed', 'camera stream lost']);

/**
 * The lines worth reading within [fromMs, toMs], in time order, at most `linesMax`: every agent
 * event, every warning or worse, and per-camera messages counted per source, recorder and second.
 *
 * @example contextLines(entries, lossMs - 3_000, lossMs + 1_000, 40) // ['+0.120 s agent-recorder-1b failover.claiming: serving under epoch 5 (peer-dead)', …]
 */
export function contextLines(entries: readonly LogEntry[], fromMs: number, toMs: number, originMs: number, linesMax: number): string[] {
  const at = (timeMs: number): string => `${timeMs - originMs >= 0 ? '+' : ''}${((timeMs - originMs) / 1000).toFixed(3)} s`;
  const lines: Array<{ timeMs: number; text: string }> = [];
  const counted = new Map<string, { timeMs: number; count: number; text: string }>();
  for (const entry of entries) {
    if (entry.timeMs < fromMs || entry.timeMs > toMs) continue;
    if (perCameraMessages.has(entry.msg)) {
      const second = Math.floor(entry.timeMs / 1000);
      const key = `${entry.source}|${entry.recorder ?? ''}|${entry.msg}|${second}`;
      const seen = counted.get(key);
      if (seen === undefined) counted.set(key, { timeMs: entry.timeMs, count: 1, text: `${entry.source} ${entry.msg}${entry.recorder === null ? '' : ` (${entry.recorder})`}` });
      else seen.count += 1;
      continue;
    }
    if (entry.event !== null || entry.level >= 40) lines.push({ timeMs: entry.timeMs, text: `${entry.source} ${entry.event ?? `level ${entry.level}`}: ${entry.msg.slice(0, 140)}` });
  }
  for (const c of counted.values()) lines.push({ timeMs: c.timeMs, text: `${c.text} × ${c.count}` });
  lines.sort((a, b) => a.timeMs - b.timeMs);
  const shown = lines.slice(0, linesMax).map((l) => `${at(l.timeMs)} ${l.text}`);
  if (lines.length > linesMax) shown.push(`… ${lines.length - linesMax} more`);
  return shown;
}

/** Reads the given log files (missing ones are skipped) into entries. */
export function readLogs(files: ReadonlyArray<{ readonly path: string | null; readonly source: string }>): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const file of files) {
    if (file.path === null) continue;
    let text: string;
    try {
      text = readFileSync(file.path, 'utf8');
    } catch {
      continue;
    }
    entries.push(...parseLogLines(text, file.source));
  }
  return entries;
}

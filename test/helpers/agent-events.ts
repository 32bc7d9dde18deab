// Events an agent logged, read from its JSON log file (pino lines with an `event` field): what
// tests and benchmarks count (claims, link-down) without asking the agent itself.
import { readFileSync } from 'node:fs';

/** Wall-clock times of the log lines at or after `sinceMs` whose `event` field is `kind`. */
export function loggedEventTimes(logPath: string, kind: string, sinceMs: number): number[] {
  const times: number[] = [];
  for (const line of readFileSync(logPath, 'utf8').split('\n')) {
    if (!line.includes(kind)) continue;
    try {
      const entry = JSON.parse(line) as { time?: number; event?: string };
      if (entry.event === kind && typeof entry.time === 'number' && entry.time >= sinceMs) times.push(entry.time);
    } catch {
      // a partial last line
    }
  }
  return times;
}

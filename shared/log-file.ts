// Log files beside standard error, for the controller and the agents: what an operator reads after
// the fact, and what a support snapshot collects. pino-roll (a pino transport made for this)
// rotates the file by size and at each day's start and keeps the newest `filesMax`; files older
// than `ageMaxDays` are removed here, because pino-roll bounds only their number.
import { chmodSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { DestinationStream } from 'pino';
import pinoRoll from 'pino-roll';
import { z } from 'zod';

export const logFileSchema = z
  .object({
    /** The log file, e.g. /var/log/twinrec/controller.log; rotated files are controller.1.log, controller.2.log … */
    path: z.string().min(1),
    /** Rotate once the file reaches this size. */
    sizeMaxMb: z.number().positive().max(1024).default(10),
    /** Rotated files kept, besides the current one. */
    filesMax: z.number().int().min(1).max(1000).default(10),
    /** Files last written longer ago than this are removed. */
    ageMaxDays: z.number().int().min(1).max(3650).default(30),
  })
  .strict();

export type LogFileSettings = z.infer<typeof logFileSchema>;

export interface LogFile {
  readonly stream: DestinationStream;
  /** Flushes and closes the file, and stops the age sweep. */
  close(): Promise<void>;
}

const ageSweepIntervalMs = 60 * 60 * 1000;
/** Entries of the log folder looked at per sweep: a folder shared with much else is not read whole. */
const sweepEntriesMax = 10_000;

/** Whether `name` is one of the files pino-roll makes from `base` + `ext` (base.N.ext or base.date.N.ext). */
export function isRolledFile(name: string, base: string, ext: string): boolean {
  if (!name.startsWith(`${base}.`) || !name.endsWith(ext)) return false;
  const middle = name.slice(base.length + 1, name.length - ext.length);
  return /^(?:[\w-]+\.)?\d+$/.test(middle);
}

/** The number pino-roll gave a rolled file (base.N.ext or base.date.N.ext). */
function rollNumberOf(name: string, ext: string): number {
  const parts = name.slice(0, name.length - ext.length).split('.');
  return Number(parts[parts.length - 1]);
}

/**
 * The files pino-roll wrote for `path`, newest first (the one being written is the first), with
 * their sizes; at most `filesMax` (the folder is read up to sweepEntriesMax names).
 */
export function rolledLogFiles(path: string, filesMax = 1000): Array<{ readonly path: string; readonly sizeBytes: number }> {
  const folder = dirname(path);
  const ext = extname(path) || '.log';
  const base = basename(path, extname(path));
  let names: string[];
  try {
    names = readdirSync(folder).slice(0, sweepEntriesMax);
  } catch {
    return [];
  }
  const files: Array<{ path: string; sizeBytes: number; number: number }> = [];
  for (const name of names) {
    if (!isRolledFile(name, base, ext)) continue;
    try {
      files.push({ path: join(folder, name), sizeBytes: statSync(join(folder, name)).size, number: rollNumberOf(name, ext) });
    } catch {
      // removed in between
    }
  }
  return files
    .sort((a, b) => b.number - a.number)
    .slice(0, filesMax)
    .map(({ path: file, sizeBytes }) => ({ path: file, sizeBytes }));
}

/**
 * Removes the rolled files of `path` last written before `nowMs - ageMaxDays`, and makes the
 * others 0600 (files from before this version, or copied in by hand, keep their own mode
 * otherwise); returns how many it removed.
 */
export function sweepOldLogFiles(path: string, ageMaxDays: number, nowMs: number): number {
  const folder = dirname(path);
  const ext = extname(path) || '.log';
  const base = basename(path, extname(path));
  const cutoffMs = nowMs - ageMaxDays * 24 * 60 * 60 * 1000;
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(folder).slice(0, sweepEntriesMax);
  } catch {
    return 0; // not made yet
  }
  for (const name of names) {
    if (!isRolledFile(name, base, ext)) continue;
    const file = join(folder, name);
    try {
      const stat = statSync(file);
      if (stat.mtimeMs < cutoffMs) {
        unlinkSync(file);
        removed += 1;
      } else if ((stat.mode & 0o077) !== 0) {
        chmodSync(file, 0o600);
      }
    } catch {
      // gone in between
    }
  }
  return removed;
}

/**
 * Opens the rolling log file. Its folder is made if missing; files are 0600 (a log names hosts,
 * accounts and cameras).
 *
 * @example
 *   const file = await openLogFile({ path: '/var/log/twinrec/agent.log', sizeMaxMb: 10, filesMax: 10, ageMaxDays: 30 });
 *   const log = pino({}, pino.multistream([{ stream: pino.destination(2) }, { stream: file.stream }]));
 */
export async function openLogFile(settings: LogFileSettings): Promise<LogFile> {
  sweepOldLogFiles(settings.path, settings.ageMaxDays, Date.now());
  const ext = extname(settings.path) || '.log';
  const stream = await pinoRoll({
    file: join(dirname(settings.path), basename(settings.path, extname(settings.path))),
    extension: ext,
    size: `${Math.max(1, Math.round(settings.sizeMaxMb * 1024))}k`,
    frequency: 'daily',
    mkdir: true,
    mode: 0o600,
    // Other runs' files count too, so that restarts do not pile files up.
    limit: { count: settings.filesMax, removeOtherLogFiles: true },
  });
  const sweep = setInterval(() => sweepOldLogFiles(settings.path, settings.ageMaxDays, Date.now()), ageSweepIntervalMs);
  sweep.unref();
  return {
    stream,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweep);
        stream.once('close', () => resolve());
        stream.end();
      }),
  };
}

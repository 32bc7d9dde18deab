// The backfill job's cursor, in the agent's state folder (backfill-cursor.json): which pieces
// this job copied, the operator's pause, and a start asked for in `placeholders` mode. It
// survives restarts of either agent, so a job goes on where it stopped. The storage's index is
// the final word on what is filled (the planner never plans a filled piece again); the cursor
// keeps a piece whose fill was written but whose index record was not from being copied twice.
import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { syncFolder } from '../../shared/sync-folder.js';
import { writeFileDurably } from '../store/durable-file.js';

export const cursorFileName = 'backfill-cursor.json';
/** Pieces remembered per job; beyond them the index alone guards against copying twice. */
export const doneKeysMax = 200_000;
const cursorFileMaxBytes = 32 * 1024 * 1024;

const cursorSchema = z
  .object({
    v: z.literal(1),
    /** An operator paused filling (backfill-pause) until backfill-resume. */
    operatorPaused: z.boolean(),
    /** An operator asked for filling (backfill-start): what fills in `placeholders` mode; cleared when the job completes. */
    startRequested: z.boolean(),
    job: z
      .object({
        id: z.string().min(1).max(64),
        startedAtWallMs: z.number().int().min(0),
        bytesDone: z.number().int().min(0),
        blocksDone: z.number().int().min(0),
        /** When it completed (nothing missing); its figures stay on show until the next job starts. */
        finishedAtWallMs: z.number().int().min(0).nullable(),
        doneKeys: z.array(z.string().max(200)).max(doneKeysMax),
      })
      .strict()
      .nullable(),
  })
  .strict();
export type BackfillCursor = z.infer<typeof cursorSchema>;

export const emptyCursor: BackfillCursor = { v: 1, operatorPaused: false, startRequested: false, job: null };

/**
 * Reads the cursor; a missing file is a node that never backfilled, an unreadable one is
 * reported (`problem`) and replaced by an empty cursor: the index still says what is filled.
 */
export function loadCursor(path: string): { cursor: BackfillCursor; problem: string | null } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { cursor: emptyCursor, problem: null };
    return { cursor: emptyCursor, problem: `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (text.length > cursorFileMaxBytes) return { cursor: emptyCursor, problem: `${path} is over ${cursorFileMaxBytes} bytes` };
  try {
    return { cursor: cursorSchema.parse(JSON.parse(text)), problem: null };
  } catch {
    return { cursor: emptyCursor, problem: `${path} is not a backfill cursor` };
  }
}

/** Writes the cursor durably (temp file, fsync, rename). */
export function saveCursor(path: string, cursor: BackfillCursor): void {
  writeFileDurably(path, JSON.stringify(cursorSchema.parse(cursor)), 0o600);
}

/**
 * Writes the cursor durably without holding up the event loop for its fsyncs: a temp file written
 * and fsynced off the main thread, renamed over the cursor only if `stillCurrent()` says no newer
 * cursor was saved meanwhile (the check and the rename are one synchronous step, so an older
 * cursor never replaces a newer one), then the folder fsynced. For the progress saved during a
 * transfer, which must not stall the blocks it records (a sync save under a disk busy with
 * blocks took up to a quarter of a second). Returns false if it was superseded.
 */
export async function saveCursorInBackground(path: string, cursor: BackfillCursor, stillCurrent: () => boolean): Promise<boolean> {
  const text = JSON.stringify(cursorSchema.parse(cursor));
  const temp = `${path}.tmp-${randomUUID()}`;
  try {
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (!stillCurrent()) return false;
    renameSync(temp, path);
  } finally {
    // After a rename there is nothing by that name; after a superseded write, the temp file goes.
    await rm(temp, { force: true });
  }
  await syncFolder(dirname(path));
  return true;
}

// The agent's epoch file: the highest epoch it has claimed under (fencing), whether the
// operator stopped it, and its recent automatic failovers (the cap). Saved durably before the
// agent acts on it, so a restart never reuses an epoch.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { EpochStore, PersistedAgentState } from '../shell/ports.js';
import { describeIssues } from '../shared/describe-issues.js';
import { writeFileDurably } from './durable-file.js';

/** The config caps failoverCapCount at 1000, so a longer list is not ours. */
const failoversMax = 1000;

const epochFileSchema = z
  .object({
    version: z.literal(1),
    epoch: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    stopped: z.boolean(),
    /** Wall-clock times (ms since the Unix epoch) of recent automatic failovers. */
    failoversWallMs: z.array(z.number().min(0)).max(failoversMax),
    /** The preferred node after a swap; absent until the first swap. */
    preference: z.object({ nodeId: z.string().min(1).max(64).nullable(), version: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict().optional(),
  })
  .strict();

const emptyState: PersistedAgentState = { epoch: 0, stopped: false, failoversWallMs: [] };

/**
 * An EpochStore kept in one JSON file. A missing file means a fresh node (epoch 0); a file
 * that is there but unreadable or invalid throws, since guessing could reuse an epoch.
 *
 * @example
 *   const store = fileEpochStore('/var/lib/twinrec/epoch.json');
 *   store.save({ ...store.load(), epoch: 6 });
 */
export function fileEpochStore(path: string): EpochStore {
  return {
    load: () => loadEpochFile(path),
    save: (state) => {
      const file = epochFileSchema.safeParse({ version: 1, epoch: state.epoch, stopped: state.stopped, failoversWallMs: [...state.failoversWallMs], ...(state.preference === undefined ? {} : { preference: state.preference }) });
      // A state load() would refuse must never reach the disk.
      if (!file.success) throw new Error(`refusing to save an invalid agent state to ${path}: ${describeIssues(file.error.issues)}`);
      writeFileDurably(path, `${JSON.stringify(file.data)}\n`, 0o600);
    },
  };
}

function loadEpochFile(path: string): PersistedAgentState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState;
    throw unusable(path, `cannot be read (${(error as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unusable(path, 'is not valid JSON');
  }
  const file = epochFileSchema.safeParse(value);
  if (!file.success) throw unusable(path, `is not a valid epoch file (${describeIssues(file.error.issues)})`);
  return { epoch: file.data.epoch, stopped: file.data.stopped, failoversWallMs: file.data.failoversWallMs, ...(file.data.preference === undefined ? {} : { preference: file.data.preference }) };
}

function unusable(path: string, what: string): Error {
  return new Error(
    `the agent's epoch file ${path} ${what}; restore it from a backup or delete it ` +
      '(deleting is safe: the serving endpoint fences stale epochs)',
  );
}

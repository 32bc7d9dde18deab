// A filling process killed (SIGKILL, by its PID) mid-fill, at several points: every block its
// index lists as filled is whole, with the SHA-256 the record names; every fill it reported done
// is listed; and a new process filling the same plan takes the listed ones as duplicates, fills
// the rest (including blocks named but not yet listed when it died) and ends with every block
// whole and no temporary file left.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '../../media-store/format.js';
import { blockPath, blocksDir, STORAGE_FORMAT, STORAGE_MARKER } from '../../media-store/layout.js';
import { LabFormatBackfill } from './lab-format-backfill.js';
import { crashBlocksPerCamera, crashCameraIds, crashPlaceholder, crashPlan } from './lab-format-backfill-crash.plan.fixtures.js';

const roots: string[] = [];
after(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

const fillerPath = fileURLToPath(new URL('./lab-format-backfill-crash.fixtures.ts', import.meta.url));
const plan = crashPlan();
const key = (cameraId: string, startMs: number): string => `${cameraId}/${startMs}`;
const expectedSha = new Map(plan.map((block) => [key(block.cameraId, block.startMs), block.sha256]));

async function storageWithPlaceholders(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'twinrec-fill-crash-'));
  roots.push(root);
  await writeFile(join(root, STORAGE_MARKER), `${JSON.stringify(STORAGE_FORMAT)}\n`);
  const storage = new LabFormatBackfill({ root });
  for (const cameraId of crashCameraIds) assert.equal(await storage.createPlaceholders(cameraId, [crashPlaceholder]), 1);
  return root;
}

/** Runs the filling process and SIGKILLs it once it has reported `killAfter` fills; returns what it reported. */
async function fillUntilKilled(root: string, killAfter: number): Promise<{ reported: Set<string>; finished: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fillerPath, root], { stdio: ['ignore', 'pipe', 'pipe'] });
  const reported = new Set<string>();
  let finished = false;
  let stderr = '';
  let pending = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const [word, cameraId, startMs] = line.split(' ');
      if (word === 'all') finished = true;
      if (word === 'filled' && cameraId !== undefined && startMs !== undefined) reported.add(key(cameraId, Number(startMs)));
    }
    if (reported.size >= killAfter && child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  });
  const timer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 120_000);
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  assert.ok(signal === 'SIGKILL' || (code === 0 && finished), `the filling process ended with ${code ?? signal}: ${stderr}`);
  return { reported, finished };
}

/** Every filled entry's file is whole and has the plan's bytes; returns the keys listed as filled. */
async function checkFilled(root: string): Promise<Set<string>> {
  const storage = new LabFormatBackfill({ root });
  const filled = new Set<string>();
  for (const cameraId of crashCameraIds) {
    for (const entry of await storage.readEntries(cameraId)) {
      if (entry.state !== 'filled') continue;
      const k = key(cameraId, entry.startMs);
      assert.equal(entry.sha256, expectedSha.get(k), `the record of ${k} names the plan's SHA-256`);
      const bytes = await readFile(blockPath(root, cameraId, entry.startMs));
      assert.equal(sha256Hex(bytes), entry.sha256, `block file ${k} is whole and matches its record`);
      filled.add(k);
    }
  }
  return filled;
}

describe('lab-format backfill storage, a filling process killed', () => {
  for (const killAfter of [1, 9, 30]) {
    it(`after ${killAfter} reported fills: listed blocks are whole, and the rest is filled again`, { timeout: 300_000 }, async () => {
      const root = await storageWithPlaceholders();
      const { reported } = await fillUntilKilled(root, killAfter);
      assert.ok(reported.size >= killAfter, `${reported.size} fills reported`);

      const listed = await checkFilled(root);
      for (const k of reported) assert.ok(listed.has(k), `${k} was reported filled, so its record is in the index`);

      // Resumed: what is listed is a duplicate, the rest is filled (again) without an error.
      const storage = new LabFormatBackfill({ root });
      for (const block of plan) {
        const outcome = await storage.fill(block.cameraId, block.bytes, block.sha256);
        assert.equal(outcome, listed.has(key(block.cameraId, block.startMs)) ? 'duplicate' : 'applied', `resumed fill of ${key(block.cameraId, block.startMs)}`);
      }
      const all = await checkFilled(root);
      assert.equal(all.size, crashCameraIds.length * crashBlocksPerCamera, 'every block filled, whole');
      for (const cameraId of crashCameraIds) {
        const files = await readdir(blocksDir(root, cameraId));
        assert.deepEqual(files.filter((name) => !name.endsWith('.blk')), [], `camera ${cameraId}: no temporary file left`);
        assert.equal(files.length, crashBlocksPerCamera, `camera ${cameraId}: one file per block`);
      }
    });
  }
});

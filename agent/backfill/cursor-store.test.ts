import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyCursor, loadCursor, saveCursor, saveCursorInBackground } from './cursor-store.js';

test('the cursor survives a save and load, and a damaged file reads as empty with a problem', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'twinrec-cursor-'));
  try {
    const path = join(dir, 'backfill-cursor.json');
    assert.deepEqual(loadCursor(path), { cursor: emptyCursor, problem: null });
    const cursor = { v: 1 as const, operatorPaused: true, startRequested: false, job: { id: 'j1', startedAtWallMs: 1, bytesDone: 10, blocksDone: 1, finishedAtWallMs: null, doneKeys: ['cam/1/1'] } };
    saveCursor(path, cursor);
    assert.deepEqual(loadCursor(path), { cursor, problem: null });
    await writeFile(path, '{"v":1,"operatorPaused":"yes"}');
    const damaged = loadCursor(path);
    assert.deepEqual(damaged.cursor, emptyCursor);
    assert.match(damaged.problem ?? '', /not a backfill cursor/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a background save replaces the cursor unless a newer one was saved meanwhile, and leaves no temp file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'twinrec-cursor-'));
  try {
    const path = join(dir, 'backfill-cursor.json');
    const older = { ...emptyCursor, startRequested: true };
    assert.equal(await saveCursorInBackground(path, older, () => true), true);
    assert.deepEqual(loadCursor(path).cursor, older);
    const newer = { ...emptyCursor, operatorPaused: true };
    saveCursor(path, newer);
    assert.equal(await saveCursorInBackground(path, older, () => false), false, 'superseded by the newer save');
    assert.deepEqual(loadCursor(path).cursor, newer);
    assert.deepEqual(await readdir(dir), ['backfill-cursor.json']);
    await assert.rejects(saveCursorInBackground(join(dir, 'missing', 'backfill-cursor.json'), older, () => true), /ENOENT/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileEpochStore } from './epoch-store.js';
import { writeFileDurably } from './durable-file.js';

const root = mkdtempSync(join(tmpdir(), 'twinrec-epoch-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => {
  n += 1;
  const dir = join(root, `case-${n}`);
  mkdirSync(dir);
  return dir;
};

test('saves and loads the state, in the documented file format', () => {
  const dir = freshDir();
  const path = join(dir, 'epoch.json');
  const store = fileEpochStore(path);
  const state = { epoch: 7, stopped: true, failoversWallMs: [1_764_000_000_000, 1_764_000_360_000] };
  store.save(state);
  assert.deepEqual(store.load(), state);
  assert.deepEqual(fileEpochStore(path).load(), state, 'a new store on the same file sees it');
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { version: 1, ...state });
  store.save({ epoch: 9, stopped: false, failoversWallMs: [] });
  assert.deepEqual(store.load(), { epoch: 9, stopped: false, failoversWallMs: [] });
  if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir), ['epoch.json'], 'no temp file is left behind');
});

test('the preferred node set by a swap survives a restart', () => {
  const path = join(freshDir(), 'epoch.json');
  const state = { epoch: 4, stopped: false, failoversWallMs: [], preference: { nodeId: 'recorder-1b', version: 3 } };
  fileEpochStore(path).save(state);
  assert.deepEqual(fileEpochStore(path).load(), state);
});

test('a missing file is a fresh node', () => {
  assert.deepEqual(fileEpochStore(join(freshDir(), 'epoch.json')).load(), { epoch: 0, stopped: false, failoversWallMs: [] });
});

test('save creates missing folders', () => {
  const path = join(freshDir(), 'var', 'lib', 'twinrec', 'epoch.json');
  fileEpochStore(path).save({ epoch: 2, stopped: false, failoversWallMs: [] });
  assert.equal(fileEpochStore(path).load().epoch, 2);
});

test('a corrupt or invalid file throws, naming the file and what to do', () => {
  const dir = freshDir();
  const cases: [string, RegExp][] = [
    ['{"version":1,"epoch":', /is not valid JSON/],
    ['', /is not valid JSON/],
    ['null', /not a valid epoch file/],
    ['[]', /not a valid epoch file/],
    ['{"epoch":3}', /not a valid epoch file/],
    ['{"version":2,"epoch":3,"stopped":false,"failoversWallMs":[]}', /version/],
    ['{"version":1,"epoch":-1,"stopped":false,"failoversWallMs":[]}', /epoch/],
    ['{"version":1,"epoch":1.5,"stopped":false,"failoversWallMs":[]}', /epoch/],
    ['{"version":1,"epoch":9007199254740993,"stopped":false,"failoversWallMs":[]}', /epoch/],
    ['{"version":1,"epoch":3,"stopped":"no","failoversWallMs":[]}', /stopped/],
    [JSON.stringify({ version: 1, epoch: 3, stopped: false, failoversWallMs: Array.from({ length: 1_001 }, (_, i) => i) }), /failoversWallMs/],
    ['{"version":1,"epoch":3,"stopped":false,"failoversWallMs":[],"extra":1}', /not a valid epoch file/],
  ];
  for (const [i, [text, what]] of cases.entries()) {
    const path = join(dir, `epoch-${i}.json`);
    writeFileSync(path, text);
    assert.throws(
      () => fileEpochStore(path).load(),
      (error: Error) => {
        assert.match(error.message, what, text);
        assert.ok(error.message.includes(path), error.message);
        assert.match(error.message, /restore it from a backup or delete it/);
        return true;
      },
    );
  }
});

test('a path that cannot be read as a file throws rather than defaulting', () => {
  const dir = freshDir();
  assert.throws(() => fileEpochStore(dir).load(), (error: Error) => error.message.includes(dir) && /cannot be read/.test(error.message));
});

test('save refuses a state that load would reject', () => {
  const path = join(freshDir(), 'epoch.json');
  const store = fileEpochStore(path);
  store.save({ epoch: 4, stopped: false, failoversWallMs: [] });
  assert.throws(() => store.save({ epoch: -1, stopped: false, failoversWallMs: [] }), /invalid agent state/);
  assert.throws(() => store.save({ epoch: 5, stopped: false, failoversWallMs: Array.from({ length: 1_001 }, () => 1) }), /failoversWallMs/);
  assert.equal(store.load().epoch, 4, 'the file is untouched');
});

test('writeFileDurably replaces a file whole and cleans up after a failed write', () => {
  const dir = freshDir();
  const path = join(dir, 'state.json');
  writeFileDurably(path, 'first', 0o600);
  writeFileDurably(path, 'second', 0o600);
  assert.equal(readFileSync(path, 'utf8'), 'second');
  // Renaming over a folder fails: the temp file must not stay behind.
  const blocked = join(dir, 'blocked');
  mkdirSync(join(blocked, 'child'), { recursive: true });
  assert.throws(() => writeFileDurably(blocked, 'x', 0o600));
  assert.deepEqual(readdirSync(dir).sort(), ['blocked', 'state.json']);
});

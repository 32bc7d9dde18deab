import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, lstat, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixture, folderSnapshot, primaryName, secondaryName, tempFolder } from './fixtures/support.js';
import { applyRecorderConfig, listBackups, rollbackRecorderConfig } from './apply.js';
import { clone } from './clone.js';
import { readConfigFile, realTargetOf, sha256Hex } from './config-file.js';
import { RecorderConfigError } from './errors.js';

const isCode = (code: RecorderConfigError['code'], message?: RegExp) => (err: unknown): boolean =>
  err instanceof RecorderConfigError && err.code === code && (message === undefined || message.test(err.message));

let folder: { dir: string; remove: () => Promise<void> };
let n = 0;
before(async () => { folder = await tempFolder(); });
after(async () => { await folder.remove(); });

/** A fresh sub-folder holding the secondary's RecorderConfig.xml. */
async function setUp(): Promise<{ dir: string; path: string; original: Buffer }> {
  const dir = join(folder.dir, `case-${++n}`);
  await mkdir(dir);
  const path = join(dir, 'RecorderConfig.xml');
  const original = fixture(secondaryName);
  await writeFile(path, original);
  return { dir, path, original };
}

const clock = (start: string): (() => Date) => {
  let t = Date.parse(start);
  return () => new Date((t += 1000));
};

describe('applyRecorderConfig', () => {
  test('writes the new content, backs up the old one under a UTC time stamp, leaves no temp file', async () => {
    const { dir, path, original } = await setUp();
    const target = await readConfigFile(path);
    const { xml } = clone(fixture(primaryName), target.bytes);
    const result = await applyRecorderConfig({ path, xml, expectedSha256: target.sha256, now: () => new Date('2026-11-22T02:33:00.123Z') });
    assert.equal(await readFile(path, 'utf8'), xml);
    assert.equal(result.changed, true);
    assert.equal(result.backup, join(dir, 'RecorderConfig.xml.twinrec-20261122T023300.123Z.bak'));
    assert.ok((await readFile(result.backup)).equals(original));
    assert.equal(result.sha256Before, target.sha256);
    assert.equal(result.sha256After, sha256Hex(Buffer.from(xml)));
    assert.deepEqual((await readdir(dir)).sort(), ['RecorderConfig.xml', 'RecorderConfig.xml.twinrec-20261122T023300.123Z.bak']);
  });

  test('the new file and the backup keep the permission bits of the old file', async () => {
    const { path, original } = await setUp();
    await chmod(path, 0o640);
    const result = await applyRecorderConfig({ path, xml: clone(fixture(primaryName), original).xml, expectedSha256: sha256Hex(original) });
    assert.equal((await stat(path)).mode & 0o777, 0o640);
    assert.equal((await stat(result.backup as string)).mode & 0o777, 0o640);
  });

  test('identical content writes nothing and makes no backup', async () => {
    const { dir, path, original } = await setUp();
    const result = await applyRecorderConfig({ path, xml: original.toString('utf8'), expectedSha256: sha256Hex(original) });
    assert.equal(result.changed, false);
    assert.deepEqual(await readdir(dir), ['RecorderConfig.xml']);
  });

  test('refuses when the file changed since it was read (compare-and-swap), writing nothing', async () => {
    const { dir, path } = await setUp();
    const target = await readConfigFile(path);
    const { xml } = clone(fixture(primaryName), target.bytes);
    await writeFile(path, target.bytes.toString('utf8').replace('rec-b.lab.local</host>', 'rec-b2.lab.local</host>'));
    const snapshot = await folderSnapshot(dir);
    await assert.rejects(applyRecorderConfig({ path, xml, expectedSha256: target.sha256 }), isCode('changed-since-read', /changed since it was read/));
    assert.deepEqual(await folderSnapshot(dir), snapshot);
  });

  test('refuses content that does not parse or is not a RecorderConfig.xml, writing nothing', async () => {
    const { dir, path, original } = await setUp();
    const snapshot = await folderSnapshot(dir);
    const expectedSha256 = sha256Hex(original);
    await assert.rejects(applyRecorderConfig({ path, xml: '<recorderconfig><recorder>', expectedSha256 }), isCode('truncated', /^the new content: /));
    await assert.rejects(applyRecorderConfig({ path, xml: '<recorderconfig/>', expectedSha256 }), isCode('missing-recorder-id'));
    await assert.rejects(applyRecorderConfig({ path, xml: '', expectedSha256 }), isCode('empty'));
    await assert.rejects(applyRecorderConfig({
      path, xml: clone(fixture(primaryName), original).xml, expectedSha256,
      check: () => { throw new RecorderConfigError('invalid', 'refused by the check'); },
    }), isCode('invalid', /refused by the check/));
    assert.deepEqual(await folderSnapshot(dir), snapshot);
  });

  test('keeps the newest N backups', async () => {
    const { path } = await setUp();
    const now = clock('2026-01-01T00:00:00.000Z');
    for (let i = 0; i < 5; i++) {
      const current = await readConfigFile(path);
      const xml = current.bytes.toString('utf8').replace(/<maxframesinqueue>\d+</, `<maxframesinqueue>${1000 + i}<`);
      const result = await applyRecorderConfig({ path, xml, expectedSha256: current.sha256, keepBackups: 3, now });
      assert.equal(result.removedBackups.length, i >= 3 ? 1 : 0);
    }
    const backups = await listBackups(path);
    assert.deepEqual(backups.map((b) => b.takenAt.toISOString()), ['2026-01-01T00:00:05.000Z', '2026-01-01T00:00:04.000Z', '2026-01-01T00:00:03.000Z']);
    assert.match(await readFile(backups[0]?.path as string, 'utf8'), /<maxframesinqueue>1003</);
  });

  test('two backups in the same millisecond get distinct names, sorted newest first', async () => {
    const { path } = await setUp();
    const same = (): Date => new Date('2026-05-05T05:05:05.005Z');
    for (let i = 0; i < 3; i++) {
      const current = await readConfigFile(path);
      await applyRecorderConfig({ path, xml: current.bytes.toString('utf8').replace(/<maxframesinqueue>\d+</, `<maxframesinqueue>${i}<`), expectedSha256: current.sha256, now: same });
    }
    assert.deepEqual((await listBackups(path)).map((b) => b.name), [
      'RecorderConfig.xml.twinrec-20260505T050505.005Z-3.bak',
      'RecorderConfig.xml.twinrec-20260505T050505.005Z-2.bak',
      'RecorderConfig.xml.twinrec-20260505T050505.005Z.bak',
    ]);
  });

  test('removes temp files left by a killed process, never those of a running one', async () => {
    const { dir, path, original } = await setUp();
    const dead = join(dir, 'RecorderConfig.xml.twinrec-tmp-999999999-abcdef');
    const alive = join(dir, `RecorderConfig.xml.twinrec-tmp-${process.ppid}-abcdef`);
    await writeFile(dead, 'partial');
    await writeFile(alive, 'in use');
    await applyRecorderConfig({ path, xml: clone(fixture(primaryName), original).xml, expectedSha256: sha256Hex(original) });
    const names = await readdir(dir);
    assert.ok(!names.includes('RecorderConfig.xml.twinrec-tmp-999999999-abcdef'));
    assert.ok(names.includes(`RecorderConfig.xml.twinrec-tmp-${process.ppid}-abcdef`));
  });

  test('keepBackups must be 1…1000', async () => {
    const { path, original } = await setUp();
    await assert.rejects(applyRecorderConfig({ path, xml: original.toString(), expectedSha256: sha256Hex(original), keepBackups: 0 }), isCode('invalid', /keepBackups/));
  });
});

describe('symbolic links', () => {
  test('a chain of links is followed to the real file, also one that does not exist yet; a loop is refused', async () => {
    const { dir, path, original } = await setUp();
    await mkdir(join(dir, 'a'));
    await symlink(path, join(dir, 'a', 'second.xml'));
    await symlink(join('a', 'second.xml'), join(dir, 'first.xml'));
    assert.equal(await realTargetOf(join(dir, 'first.xml')), path);
    const cloned = clone(fixture(primaryName), original).xml;
    const result = await applyRecorderConfig({ path: join(dir, 'first.xml'), xml: cloned, expectedSha256: sha256Hex(original) });
    assert.equal(result.realPath, path);
    assert.equal(await readFile(path, 'utf8'), cloned);
    assert.ok((await lstat(join(dir, 'first.xml'))).isSymbolicLink() && (await lstat(join(dir, 'a', 'second.xml'))).isSymbolicLink());

    await symlink(join(dir, 'new', 'RecorderConfig.xml'), join(dir, 'dangling.xml'));
    await mkdir(join(dir, 'new'));
    const created = await applyRecorderConfig({ path: join(dir, 'dangling.xml'), xml: cloned, expectedSha256: null });
    assert.equal(created.realPath, join(dir, 'new', 'RecorderConfig.xml'));
    assert.equal(await readFile(join(dir, 'new', 'RecorderConfig.xml'), 'utf8'), cloned);
    assert.ok((await lstat(join(dir, 'dangling.xml'))).isSymbolicLink());

    await symlink(join(dir, 'loop-b.xml'), join(dir, 'loop-a.xml'));
    await symlink(join(dir, 'loop-a.xml'), join(dir, 'loop-b.xml'));
    await assert.rejects(applyRecorderConfig({ path: join(dir, 'loop-a.xml'), xml: cloned, expectedSha256: null }), isCode('io', /symbolic links in a row/));
  });
});

describe('rollbackRecorderConfig', () => {
  test('restores the newest backup, backing up what it replaces, so a rollback can be rolled back', async () => {
    const { path, original } = await setUp();
    const now = clock('2026-02-02T00:00:00.000Z');
    const cloned = clone(fixture(primaryName), original).xml;
    await applyRecorderConfig({ path, xml: cloned, expectedSha256: sha256Hex(original), now });
    const first = await rollbackRecorderConfig({ path, now });
    assert.ok((await readFile(path)).equals(original));
    assert.equal(first.restoredFrom, 'RecorderConfig.xml.twinrec-20260202T000001.000Z.bak');
    assert.ok((await readFile(first.backup as string, 'utf8')) === cloned);
    await rollbackRecorderConfig({ path, now });
    assert.equal(await readFile(path, 'utf8'), cloned);
  });

  test('restores a named backup', async () => {
    const { path, original } = await setUp();
    const now = clock('2026-03-03T00:00:00.000Z');
    let current = await readConfigFile(path);
    for (const value of ['111', '222']) {
      await applyRecorderConfig({ path, xml: current.bytes.toString().replace(/<maxframesinqueue>\d+</, `<maxframesinqueue>${value}<`), expectedSha256: current.sha256, now });
      current = await readConfigFile(path);
    }
    const oldest = (await listBackups(path)).at(-1)?.name as string;
    const result = await rollbackRecorderConfig({ path, backup: oldest, now });
    assert.equal(result.restoredFrom, oldest);
    assert.ok((await readFile(path)).equals(original));
  });

  test('restores when the file is missing or broken', async () => {
    const { path, original } = await setUp();
    await applyRecorderConfig({ path, xml: clone(fixture(primaryName), original).xml, expectedSha256: sha256Hex(original) });
    await writeFile(path, '<recorderconfig><rec');
    await rollbackRecorderConfig({ path });
    assert.ok((await readFile(path)).equals(original));
    await rm(path);
    const result = await rollbackRecorderConfig({ path, backup: (await listBackups(path)).at(-1)?.name as string });
    assert.equal(result.sha256Before, null);
    assert.equal(result.backup, null);
    await readConfigFile(path);
  });

  test('refuses when there is no backup, no such backup, or the backup is not valid', async () => {
    const { dir, path } = await setUp();
    const snapshot = await folderSnapshot(dir);
    await assert.rejects(rollbackRecorderConfig({ path }), isCode('no-backup', /no twinrec backup of RecorderConfig\.xml/));
    await assert.rejects(rollbackRecorderConfig({ path, backup: 'RecorderConfig.xml.twinrec-20000101T000000.000Z.bak' }), isCode('no-backup', /no backup named/));
    await assert.rejects(rollbackRecorderConfig({ path, backup: '../elsewhere/RecorderConfig.xml.twinrec-20000101T000000.000Z.bak' }), isCode('no-backup', /must be in the folder/));
    assert.deepEqual(await folderSnapshot(dir), snapshot);
    await writeFile(join(dir, 'RecorderConfig.xml.twinrec-20000101T000000.000Z.bak'), '<recorderconfig/>');
    const withBad = await folderSnapshot(dir);
    await assert.rejects(rollbackRecorderConfig({ path }), isCode('missing-recorder-id', /backup RecorderConfig\.xml\.twinrec-20000101T000000\.000Z\.bak is not a valid RecorderConfig\.xml/));
    assert.deepEqual(await folderSnapshot(dir), withBad);
  });

  test('only files named like its backups count as backups', async () => {
    const { dir, path } = await setUp();
    for (const name of ['RecorderConfig.xml.bak', 'Other.xml.twinrec-20260101T000000.000Z.bak', 'RecorderConfig.xml.twinrec-2026.bak', 'RecorderConfig.xml.twinrec-tmp-1-ab']) {
      await writeFile(join(dir, name), 'x');
    }
    assert.deepEqual(await listBackups(path), []);
  });
});

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pino from 'pino';
import { isRolledFile, logFileSchema, openLogFile, rolledLogFiles, sweepOldLogFiles } from './log-file.js';

const root = mkdtempSync(join(tmpdir(), 'twinrec-log-file-'));
after(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const folder = (): string => join(root, `f${(folders += 1)}`);

describe('log files', () => {
  test('a rolled file is base.N.ext or base.date.N.ext, nothing else', () => {
    assert.ok(isRolledFile('agent.1.log', 'agent', '.log'));
    assert.ok(isRolledFile('agent.2026-12-06.12.log', 'agent', '.log'));
    for (const other of ['agent.log', 'agent.x.log', 'agent.1.log.gz', 'agent-old.1.log', 'controller.1.log', 'agent.1.txt']) assert.ok(!isRolledFile(other, 'agent', '.log'), other);
  });

  test('rotates at the configured size and keeps at most filesMax files besides the current one', async () => {
    const dir = folder();
    const settings = logFileSchema.parse({ path: join(dir, 'agent.log'), sizeMaxMb: 0.01, filesMax: 3 });
    const file = await openLogFile(settings);
    const log = pino({ base: null }, file.stream);
    const line = 'x'.repeat(200);
    // About 20 KB per round: more than one file's worth each time.
    for (let round = 0; round < 6; round += 1) {
      for (let i = 0; i < 100; i += 1) log.info({ round, i }, line);
      // Let the writes and the roll they cause land before the next round.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    log.flush();
    await file.close();
    await new Promise((resolve) => setTimeout(resolve, 200)); // the last roll's clean-up runs after the roll
    const files = readdirSync(dir).filter((name) => isRolledFile(name, 'agent', '.log'));
    assert.ok(files.length >= 2, `rotated: ${files.join(', ')}`);
    assert.ok(files.length <= settings.filesMax + 1, `kept ${files.length}: ${files.join(', ')}`);
    const sizeMaxBytes = Math.round(settings.sizeMaxMb * 1024) * 1024;
    for (const name of files) {
      const stat = statSync(join(dir, name));
      // A file is rolled once a write takes it to the size: at most one buffered write beyond it.
      assert.ok(stat.size <= sizeMaxBytes + 64 * 1024, `${name}: ${stat.size} bytes`);
      assert.equal(stat.mode & 0o777, 0o600, name);
    }
    // The newest file with lines (a roll may just have opened an empty one).
    const newest = files.filter((name) => statSync(join(dir, name)).size > 0).sort((a, b) => Number(b.split('.').at(-2)) - Number(a.split('.').at(-2)))[0] as string;
    const last = readFileSync(join(dir, newest), 'utf8').trim().split('\n').at(-1) as string;
    assert.equal((JSON.parse(last) as { round: number }).round, 5, 'the newest file holds the newest lines');
    const listed = rolledLogFiles(settings.path);
    assert.deepEqual(listed.map((f) => f.path).sort(), files.map((name) => join(dir, name)).sort());
    const numbers = listed.map((f) => Number(f.path.split('.').at(-2)));
    assert.deepEqual(numbers, [...numbers].sort((a, b) => b - a), 'newest first');
  });

  test('files older than ageMaxDays are removed; younger ones are kept and made 0600', () => {
    const dir = folder();
    const path = join(dir, 'controller.log');
    mkdirSync(dir);
    const nowMs = Date.parse('2026-12-06T12:00:00Z');
    const day = 24 * 60 * 60 * 1000;
    for (const [name, ageDays] of [['controller.1.log', 40], ['controller.2.log', 31], ['controller.3.log', 29], ['controller.4.log', 0], ['other.1.log', 90], ['controller.notes', 90]] as const) {
      writeFileSync(join(dir, name), 'x', { mode: 0o644 });
      const at = new Date(nowMs - ageDays * day);
      utimesSync(join(dir, name), at, at);
    }
    assert.equal(sweepOldLogFiles(path, 30, nowMs), 2);
    assert.deepEqual(readdirSync(dir).sort(), ['controller.3.log', 'controller.4.log', 'controller.notes', 'other.1.log']);
    assert.equal(statSync(join(dir, 'controller.3.log')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'other.1.log')).mode & 0o777, 0o644, "another log's files are not touched");
  });

  test('bad settings are refused with the field named', () => {
    for (const bad of [{}, { path: '' }, { path: 'a.log', sizeMaxMb: 0 }, { path: 'a.log', filesMax: 0 }, { path: 'a.log', ageMaxDays: 1.5 }, { path: 'a.log', extra: 1 }]) {
      assert.equal(logFileSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});

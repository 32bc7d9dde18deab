import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempFolder } from './fixtures/support.js';
import { readConfigFile, readConfigFileIfExists, sha256Hex } from './config-file.js';
import { RecorderConfigError } from './errors.js';

let folder: { dir: string; remove: () => Promise<void> };
before(async () => { folder = await tempFolder(); });
after(async () => { await folder.remove(); });

const isCode = (code: RecorderConfigError['code'], message: RegExp) => (err: unknown): boolean =>
  err instanceof RecorderConfigError && err.code === code && message.test(err.message);

describe('readConfigFile', () => {
  test('returns the bytes and their SHA-256', async () => {
    const path = join(folder.dir, 'a.xml');
    await writeFile(path, '<recorderconfig/>');
    const snapshot = await readConfigFile(path);
    assert.equal(snapshot.bytes.toString(), '<recorderconfig/>');
    assert.equal(snapshot.sha256, createHash('sha256').update('<recorderconfig/>').digest('hex'));
    assert.equal(sha256Hex(Buffer.alloc(0)), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  test('reads a file of exactly maxBytes and refuses one byte more, naming the file', async () => {
    const path = join(folder.dir, 'b.xml');
    await writeFile(path, Buffer.alloc(100_000, 0x41));
    assert.equal((await readConfigFile(path, { maxBytes: 100_000 })).bytes.length, 100_000);
    await assert.rejects(readConfigFile(path, { maxBytes: 99_999 }), isCode('too-large', new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: file is too large \\(100000 bytes`)));
  });

  test('a file that stat calls empty but keeps giving bytes is cut off past maxBytes', async () => {
    await assert.rejects(readConfigFile('/dev/zero', { maxBytes: 200_000 }), isCode('too-large', /file is too large \(more; the limit .* is 200000 bytes\)/));
  });

  test('a missing file, a folder', async () => {
    const missing = join(folder.dir, 'missing.xml');
    await assert.rejects(readConfigFile(missing), isCode('not-found', /missing\.xml: file not found$/));
    assert.equal(await readConfigFileIfExists(missing), null);
    await assert.rejects(readConfigFile(folder.dir), isCode('io', /is a folder, not a file/));
  });
});

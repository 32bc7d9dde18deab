// Every bad input the issue lists, end to end through `twinrec config clone`: a clear one-line
// error naming the problem and the file, exit code 2, and the target folder byte for byte as
// it was (no backup, no temp file).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { chmod, chown, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  badFixture, fixture, fixturesDir, folderSnapshot, primaryName, repoRoot, runConfigCli, secondaryName, tempFolder,
} from './fixtures/support.js';
import { RecorderConfigError } from './errors.js';
import { parseRecorderConfig } from './validate.js';
import { maxConfigBytes } from './xml-document.js';

let folder: { dir: string; remove: () => Promise<void> };
let n = 0;
// Something an external entity or DTD could try to fetch: it must never be asked for anything.
let server: Server;
let fetchUrl = '';
let fetches = 0;

before(async () => {
  folder = await tempFolder();
  server = createServer((_req, res) => {
    fetches++;
    res.end('<!ENTITY leak "fetched">');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  fetchUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/evil.dtd`;
});
after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await folder.remove();
});

const utf16 = (text: string, bigEndian: boolean): Buffer => {
  const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
  return bigEndian ? le.swap16() : le;
};

interface BadInput {
  readonly what: string;
  readonly content: () => Buffer;
  readonly code: RecorderConfigError['code'];
  readonly message: RegExp;
}

const primaryText = fixture(primaryName).toString('utf8');
const badInputs: BadInput[] = [
  { what: 'malformed XML', content: () => badFixture('malformed-mismatched-tags.xml'), code: 'malformed', message: /malformed XML at line 5, column 3: end tag <\/recoder> does not match <recorder>/ },
  { what: 'an unescaped ampersand', content: () => badFixture('malformed-unescaped-ampersand.xml'), code: 'malformed', message: /line 5, column 19: '&' must start a reference/ },
  { what: 'a truncated file', content: () => fixture(primaryName).subarray(0, 2012), code: 'truncated', message: /at line 47, column 7: the file ends inside the start tag <CheckInte> \(the file looks truncated\)/ },
  { what: 'an empty file', content: () => Buffer.alloc(0), code: 'empty', message: /file is empty \(0 bytes\)/ },
  { what: 'a different root element', content: () => badFixture('wrong-root.xml'), code: 'not-recorder-config', message: /the root element is <servicesconfig>, not <recorderconfig>/ },
  { what: 'a missing recorder/id', content: () => badFixture('missing-recorder-id.xml'), code: 'missing-recorder-id', message: /recorder\/id is missing/ },
  { what: 'UTF-16 LE with a BOM', content: () => utf16(primaryText, false), code: 'encoding', message: /encoded as UTF-16 \(little-endian byte order mark FF FE\); only UTF-8 is supported/ },
  { what: 'UTF-16 BE with a BOM', content: () => utf16(primaryText, true), code: 'encoding', message: /UTF-16 \(big-endian byte order mark FE FF\)/ },
  { what: 'a DOCTYPE with billion laughs', content: () => badFixture('billion-laughs.xml'), code: 'doctype', message: /line 2, column 1: a DOCTYPE declaration is not allowed.*billion laughs.*nothing was expanded or fetched/ },
  {
    what: 'a DOCTYPE with external entities (XXE)',
    content: () => Buffer.from(badFixture('xxe-external-entity.xml').toString('utf8').replace('http://127.0.0.1:1/evil.dtd', fetchUrl)),
    code: 'doctype', message: /DOCTYPE declaration is not allowed/,
  },
  {
    what: 'an external DTD with a parameter entity',
    content: () => Buffer.from(badFixture('xxe-parameter-entity.xml').toString('utf8').replaceAll('http://127.0.0.1:1/evil.dtd', fetchUrl).replace('http://127.0.0.1:1/recorderconfig.dtd', fetchUrl)),
    code: 'doctype', message: /DOCTYPE declaration is not allowed/,
  },
  { what: 'an entity reference without a DTD', content: () => badFixture('undefined-entity.xml'), code: 'entity', message: /undefined entity &company;.*nothing was expanded/ },
];

async function caseFolder(): Promise<string> {
  const dir = join(folder.dir, `case-${++n}`);
  await mkdir(dir);
  return dir;
}

function assertOneLineError(stderr: string, file: string, message: RegExp): void {
  assert.equal(stderr.split('\n').length, 2, `expected one line on stderr, got:\n${stderr}`);
  assert.ok(stderr.startsWith('twinrec config clone: '), stderr);
  assert.ok(stderr.includes(file), `the message should name ${file}: ${stderr}`);
  assert.match(stderr, message);
}

describe('the parser refuses each bad input with its code', () => {
  for (const bad of badInputs) {
    test(bad.what, () => {
      assert.throws(() => parseRecorderConfig(bad.content()), (err: unknown) => err instanceof RecorderConfigError && err.code === bad.code && bad.message.test(err.message));
    });
  }
});

describe('twinrec config clone refuses each bad input and leaves the target untouched', () => {
  for (const bad of badInputs) {
    test(`${bad.what}, as the target and as the primary`, async () => {
      const dir = await caseFolder();
      const good = join(dir, 'good.xml');
      const badFile = join(dir, 'RecorderConfig.xml');
      await writeFile(good, fixture(secondaryName));
      await writeFile(badFile, bad.content());
      const snapshot = await folderSnapshot(dir);
      const [asTarget, asPrimary] = await Promise.all([
        runConfigCli(['clone', '--from', join(fixturesDir, primaryName), '--to', badFile]),
        runConfigCli(['clone', '--from', badFile, '--to', good]),
      ]);
      assert.equal(asTarget.code, 2, asTarget.stderr);
      assertOneLineError(asTarget.stderr, badFile, bad.message);
      assert.equal(asPrimary.code, 2, asPrimary.stderr);
      assertOneLineError(asPrimary.stderr, badFile, bad.message);
      assert.deepEqual(await folderSnapshot(dir), snapshot);
    });
  }

  test('nothing was ever fetched for an external entity or DTD', () => {
    assert.equal(fetches, 0);
  });

  test('a 50 MB file is refused by its size, and the target is untouched', async () => {
    const dir = await caseFolder();
    const big = join(dir, 'RecorderConfig.xml');
    // Well-formed, so that only its size can refuse it.
    const head = `<?xml version="1.0" encoding="utf-8"?>\n<recorderconfig><recorder><id>4b1c2f3e-8d7a-4c55-9e21-0a6b3c9d7e11</id></recorder><!-- `;
    const tail = ' --></recorderconfig>\n';
    await writeFile(big, Buffer.concat([Buffer.from(head), Buffer.alloc(50 * 1024 * 1024 - head.length - tail.length, 0x78), Buffer.from(tail)]));
    const snapshot = await folderSnapshot(dir);
    const run = await runConfigCli(['clone', '--from', join(fixturesDir, primaryName), '--to', big]);
    assert.equal(run.code, 2);
    assertOneLineError(run.stderr, big, new RegExp(`file is too large \\(52428800 bytes; the limit for a RecorderConfig.xml is ${maxConfigBytes} bytes\\)`));
    assert.deepEqual(await folderSnapshot(dir), snapshot);
  });
});

describe('bounded memory', () => {
  /** Peak RSS growth of a fresh process reading `path` with readConfigFile. */
  function measure(path: string): Promise<{ code: string; message: string; peakGrowthBytes: number }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(fixturesDir, 'read-memory-child.ts'), path], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      const guard = setTimeout(() => { if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL'); }, 60_000);
      child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
      child.on('error', reject);
      child.on('close', () => {
        clearTimeout(guard);
        try {
          resolve(JSON.parse(out) as { code: string; message: string; peakGrowthBytes: number });
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
  }

  test('a 50 MB file is refused before it is read: peak memory grows by far less than the file', async (t) => {
    const dir = await caseFolder();
    const big = join(dir, 'big.xml');
    await writeFile(big, Buffer.alloc(50 * 1024 * 1024, 0x20));
    const result = await measure(big);
    assert.equal(result.code, 'too-large', result.message);
    t.diagnostic(`peak RSS growth: ${result.peakGrowthBytes} bytes`);
    assert.ok(result.peakGrowthBytes < 8 * 1024 * 1024, `peak RSS grew by ${result.peakGrowthBytes} bytes`);
  });

  test('a source with no size that never ends (/dev/zero) is cut off at the cap', async (t) => {
    const result = await measure('/dev/zero');
    assert.equal(result.code, 'too-large', result.message);
    t.diagnostic(`peak RSS growth: ${result.peakGrowthBytes} bytes`);
    assert.ok(result.peakGrowthBytes < 25 * 1024 * 1024, `peak RSS grew by ${result.peakGrowthBytes} bytes`);
  });
});

describe('a read-only target folder', () => {
  test('gives a clear error and leaves the target untouched', async (t) => {
    const dir = await caseFolder();
    const target = join(dir, 'RecorderConfig.xml');
    await writeFile(target, fixture(secondaryName));
    const snapshot = await folderSnapshot(dir);
    // root ignores permission bits, so as root the CLI runs as the unprivileged user "nobody".
    const asRoot = process.getuid?.() === 0;
    const nobody = 65534;
    await chmod(folder.dir, 0o755);
    await chmod(dir, 0o555);
    if (asRoot) await chown(dir, 0, 0);
    t.after(() => chmod(dir, 0o755));
    const run = await runConfigCli(['clone', '--from', join(fixturesDir, primaryName), '--to', target], asRoot ? { uid: nobody, gid: nobody } : {});
    assert.equal(run.code, 2, run.stderr);
    assertOneLineError(run.stderr, dir, /cannot write \(EACCES: the folder is read-only or not writable by this user\); the target was left unchanged/);
    assert.deepEqual(await folderSnapshot(dir), snapshot);
  });
});

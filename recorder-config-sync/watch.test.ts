// The watcher is tested by the order of events, never by waiting a fixed time and asserting
// that nothing happened: a touch followed by a real change must yield exactly one event, for the
// real change.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fixture, primaryName, tempFolder } from './fixtures/support.js';
import { sha256Hex } from './config-file.js';
import { watchConfigFile, type ConfigFileChange } from './watch.js';

/** Upper bound on waiting for one event. */
const eventTimeoutMs = 10_000;

let folder: { dir: string; remove: () => Promise<void> };
let n = 0;
before(async () => { folder = await tempFolder(); });
after(async () => { await folder.remove(); });

const base = fixture(primaryName).toString('utf8');
const version = (v: number): string => base.replace(/<maxframesinqueue>\d+</, `<maxframesinqueue>${v}<`);

/** Waits (bounded) until `predicate` holds; fails the test if it never does. */
async function waitFor(predicate: () => boolean, what: string): Promise<void> {
  for (let waitedMs = 0; !predicate(); waitedMs += 10) {
    if (waitedMs >= eventTimeoutMs) assert.fail(`${what}: not within ${eventTimeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A watcher whose events can be awaited one by one. */
async function watched(options: { pollIntervalMs?: number; initial?: string | null; fsWatch?: boolean; path?: string } = {}) {
  let path = options.path;
  if (path === undefined) {
    const dir = join(folder.dir, `w${++n}`);
    await mkdir(dir);
    path = join(dir, 'RecorderConfig.xml');
    if (options.initial !== null) await writeFile(path, options.initial ?? version(1));
  }
  const events: ConfigFileChange[] = [];
  const errors: Error[] = [];
  const watcher = watchConfigFile(path, {
    debounceMs: 50,
    pollIntervalMs: options.pollIntervalMs ?? 500,
    fsWatch: options.fsWatch,
    onChange: (c) => { events.push(c); },
    onError: (e) => { errors.push(e); },
  });
  await watcher.ready;
  const nextEvent = async (count: number): Promise<ConfigFileChange> => {
    await waitFor(() => events.length >= count, `change event ${count}`);
    return events[count - 1] as ConfigFileChange;
  };
  /** Waits until the watcher has read the file once more than it had when called. */
  const settle = async (change: () => Promise<void>): Promise<void> => {
    const readsBefore = watcher.reads;
    await change();
    await waitFor(() => watcher.reads > readsBefore, 'the watcher reading the file');
  };
  return { dir: dirname(path), path, watcher, events, errors, nextEvent, settle };
}

describe('watchConfigFile', () => {
  test('reports a change of content with the old and new hashes', async () => {
    const w = await watched();
    try {
      await writeFile(w.path, version(2));
      const event = await w.nextEvent(1);
      assert.equal(event.sha256, sha256Hex(Buffer.from(version(2))));
      assert.equal(event.previousSha256, sha256Hex(Buffer.from(version(1))));
      assert.equal(event.bytes.toString('utf8'), version(2));
    } finally {
      await w.watcher.close();
    }
  });

  test('a touch or a rewrite of identical bytes reports nothing: the next event is the real change', async () => {
    const w = await watched();
    try {
      const later = new Date(Date.now() + 60_000);
      await w.settle(() => utimes(w.path, later, later));
      await w.settle(() => writeFile(w.path, version(1)));
      assert.equal(w.events.length, 0);
      await writeFile(w.path, version(3));
      const event = await w.nextEvent(1);
      assert.equal(event.bytes.toString('utf8'), version(3));
      await writeFile(w.path, version(4));
      await w.nextEvent(2);
      assert.deepEqual(w.events.map((e) => e.bytes.toString('utf8')), [version(3), version(4)]);
    } finally {
      await w.watcher.close();
    }
  });

  test('survives an editor that writes a new file and renames it over the old one, again and again', async () => {
    const w = await watched();
    try {
      for (let i = 0; i < 3; i++) {
        const temp = join(w.dir, `.RecorderConfig.xml.swp${i}`);
        await writeFile(temp, version(10 + i));
        await rename(temp, w.path);
        const event = await w.nextEvent(i + 1);
        assert.equal(event.bytes.toString('utf8'), version(10 + i));
      }
    } finally {
      await w.watcher.close();
    }
  });

  test('a burst of writes is debounced into one event for the final content', async () => {
    const w = await watched();
    try {
      for (let v = 20; v < 30; v++) writeFileSync(w.path, version(v)); // one burst, no turn of the event loop
      await w.nextEvent(1);
      await writeFile(w.path, version(99));
      await w.nextEvent(2);
      assert.deepEqual(w.events.map((e) => e.bytes.toString('utf8')), [version(29), version(99)]);
    } finally {
      await w.watcher.close();
    }
  });

  test('a file deleted and recreated with new content is reported once it is back', async () => {
    const w = await watched();
    try {
      await rm(w.path);
      await writeFile(w.path, version(5));
      const event = await w.nextEvent(1);
      assert.equal(event.bytes.toString('utf8'), version(5));
    } finally {
      await w.watcher.close();
    }
  });

  test('a file that does not exist yet is reported when it appears', async () => {
    const w = await watched({ initial: null });
    try {
      await writeFile(w.path, version(6));
      const event = await w.nextEvent(1);
      assert.equal(event.previousSha256, null);
    } finally {
      await w.watcher.close();
    }
  });

  test('with fs.watch off, the stat poll alone sees changes and ignores touches', async () => {
    const w = await watched({ pollIntervalMs: 100, fsWatch: false });
    try {
      const later = new Date(Date.now() + 60_000);
      await w.settle(() => utimes(w.path, later, later));
      assert.equal(w.events.length, 0);
      await writeFile(w.path, version(7));
      assert.equal((await w.nextEvent(1)).bytes.toString('utf8'), version(7));
    } finally {
      await w.watcher.close();
    }
  });

  test('through a symbolic link, fs.watch sees a write to the real file in its own folder (the poll is too slow to)', async () => {
    const dir = join(folder.dir, `w${++n}`);
    await mkdir(join(dir, 'deploy'), { recursive: true });
    const real = join(dir, 'deploy', 'RecorderConfig.xml');
    await writeFile(real, version(1));
    await symlink(real, join(dir, 'RecorderConfig.xml'));
    const w = await watched({ path: join(dir, 'RecorderConfig.xml'), pollIntervalMs: 600_000 });
    try {
      await writeFile(real, version(8));
      assert.equal((await w.nextEvent(1)).bytes.toString('utf8'), version(8));
    } finally {
      await w.watcher.close();
    }
  });

  test('too large a file is reported as an error, and watching goes on', async () => {
    const w = await watched();
    try {
      await writeFile(w.path, Buffer.alloc(9 * 1024 * 1024, 0x20));
      await waitFor(() => w.errors.length > 0, 'an error');
      assert.match(w.errors[0]?.message ?? '', /too large/);
      assert.equal(w.events.length, 0);
      await writeFile(w.path, version(8));
      const event = await w.nextEvent(1);
      assert.equal(event.bytes.toString('utf8'), version(8));
    } finally {
      await w.watcher.close();
    }
  });

  test('close() stops events, and is idempotent', async () => {
    const closed = await watched();
    const open = await watched({ path: closed.path });
    await closed.watcher.close();
    await closed.watcher.close();
    try {
      await writeFile(closed.path, version(9));
      await open.nextEvent(1); // the change was seen by the watcher still open…
      assert.equal(closed.events.length, 0); // …and not by the closed one.
      assert.equal(closed.errors.length, 0);
    } finally {
      await open.watcher.close();
    }
    // A timer, watcher or interval left running would keep this process alive, and the runner
    // would time the file out.
  });
});

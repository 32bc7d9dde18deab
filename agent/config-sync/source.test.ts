// The source against a scripted peer on 127.0.0.1: what it sends, when it retries, when it
// stops retrying, and which events it emits. (The source → target path over HTTP is tested
// end to end in target.test.ts.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { sha256Hex } from '../../recorder-config-sync/index.js';
import { fixture, primaryName, tempFolder } from '../../recorder-config-sync/fixtures/support.js';
import { recorderConfigPushSchema, type RecorderConfigPush } from '../../contracts/agent-api-v1.js';
import type { ConfigSyncEvent } from './events.js';
import { startConfigSource, type ConfigSource, type ConfigSourceOptions } from './source.js';

const waitTimeoutMs = 15_000;
const secret = 'scripted-peer-secret-4b2e';
const primary = fixture(primaryName);
const version = (v: number): Buffer => Buffer.from(primary.toString('utf8').replace('<maxframesinqueue>300<', `<maxframesinqueue>${v}<`));

let folder: { dir: string; remove: () => Promise<void> };
let n = 0;
before(async () => { folder = await tempFolder('twinrec-config-source-'); });
after(async () => { await folder.remove(); });

async function waitFor(predicate: () => boolean, what: string): Promise<void> {
  for (let waitedMs = 0; !predicate(); waitedMs += 10) {
    if (waitedMs >= waitTimeoutMs) assert.fail(`${what}: not within ${waitTimeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Received {
  readonly authorization: string | undefined;
  readonly push: RecorderConfigPush;
}

/** A peer whose answers the test scripts: `answer(push)` gives [status, body], or null to never answer. */
async function scriptedPeer(answer: (push: RecorderConfigPush) => [number, unknown] | null, port = 0): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      assert.equal(req.method, 'PUT');
      assert.equal(req.url, '/prefix/api/v1/recorder-config');
      const push = recorderConfigPushSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      received.push({ authorization: req.headers.authorization, push });
      const reply = answer(push);
      if (reply === null) return; // hangs until the client gives up
      res.writeHead(reply[0], { 'content-type': 'application/json' }).end(JSON.stringify(reply[1]));
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/prefix/`,
    received,
    close: async () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

const ok = (outcome: 'applied' | 'in-sync' | 'pending') => (push: RecorderConfigPush): [number, unknown] => [200, { outcome, changes: 0, sha256: push.sha256 }];

interface Primary {
  readonly path: string;
  readonly events: ConfigSyncEvent[];
  readonly logLines: string[];
  readonly source: ConfigSource;
  write(bytes: Buffer): Promise<void>;
  kinds(): string[];
}

async function primaryNode(peerUrl: string, options: Partial<ConfigSourceOptions> = {}, initial: Buffer = version(1)): Promise<Primary> {
  const dir = join(folder.dir, `p${++n}`);
  await mkdir(dir);
  const path = join(dir, 'RecorderConfig.xml');
  await writeFile(path, initial);
  const events: ConfigSyncEvent[] = [];
  const logLines: string[] = [];
  const source = startConfigSource({
    configPath: path, peerAgentUrl: peerUrl, secret, nodeId: 'rec-a',
    log: pino({ level: 'trace' }, { write: (line: string) => { logLines.push(line); } }),
    emit: (e) => events.push(e),
    watch: { debounceMs: 30, pollIntervalMs: 100 },
    retry: { baseMs: 20, maxMs: 200 },
    ...options,
  });
  return {
    path, events, logLines, source,
    kinds: () => events.map((e) => e.kind),
    write: async (bytes) => {
      await writeFile(`${path}.tmp`, bytes);
      await rename(`${path}.tmp`, path);
    },
  };
}

test('on start it PUTs the exact bytes, their hash and its node id, with the secret as a Bearer token', async () => {
  const peer = await scriptedPeer(ok('applied'));
  const p = await primaryNode(peer.url);
  try {
    await waitFor(() => p.events.length > 0, 'the first push');
    assert.equal(peer.received.length, 1);
    const [first] = peer.received;
    assert.equal(first?.authorization, `Bearer ${secret}`);
    assert.deepEqual(Buffer.from(first?.push.xml ?? '', 'base64'), await readFile(p.path));
    assert.equal(first?.push.sha256, sha256Hex(version(1)));
    assert.equal(first?.push.from, 'rec-a');
    assert.deepEqual(p.events, [{
      kind: 'config-sync.pushed', severity: 'info', message: 'pushed the RecorderConfig.xml to the peer: applied (0 shared change(s))',
      data: { peer: `${peer.url}api/v1/recorder-config`, sha256: sha256Hex(version(1)), outcome: 'applied', changes: 0 },
    }]);
    assert.ok(!p.logLines.some((l) => l.includes(secret)), 'the secret is never logged');
  } finally {
    await p.source.close();
    await peer.close();
  }
});

test('every change is pushed; resends of an unchanged file give no new event', async () => {
  const peer = await scriptedPeer(ok('in-sync'));
  const p = await primaryNode(peer.url, { resendEveryMs: 150 });
  try {
    await waitFor(() => peer.received.length >= 4, 'resends');
    assert.deepEqual(p.kinds(), ['config-sync.pushed'], 'one event for the first push, none for the resends');
    await p.write(version(2));
    await waitFor(() => peer.received.some((r) => r.push.sha256 === sha256Hex(version(2))), 'the change being pushed');
    await waitFor(() => p.events.length === 2, 'the event for the change');
    assert.equal(p.events[1]?.data['sha256'], sha256Hex(version(2)));
  } finally {
    await p.source.close();
    await peer.close();
  }
});

test('a peer that is down is retried with backoff until it comes up; one push-failed event per streak and cause', async () => {
  const probe = await scriptedPeer(ok('applied'));
  const port = Number(new URL(probe.url).port);
  await probe.close(); // the port is free now: connections are refused
  const p = await primaryNode(probe.url);
  try {
    await waitFor(() => p.logLines.filter((l) => l.includes('(again)')).length >= 3, 'several failed retries');
    assert.deepEqual(p.kinds(), ['config-sync.push-failed']);
    assert.equal(p.events[0]?.severity, 'warning');
    assert.equal(p.events[0]?.data['cause'], 'unreachable');
    assert.match(p.events[0]?.message ?? '', /ECONNREFUSED/);

    // The peer's agent comes up on that port, busy for its first three answers.
    let calls = 0;
    const peer = await scriptedPeer((push) => (++calls <= 3 ? [503, { title: 'starting' }] : ok('applied')(push)), port);
    try {
      await waitFor(() => p.kinds().includes('config-sync.pushed'), 'the push after the peer came up');
      assert.deepEqual(p.kinds(), ['config-sync.push-failed', 'config-sync.push-failed', 'config-sync.pushed']);
      assert.equal(p.events[1]?.data['cause'], 'refused');
      assert.equal(peer.received.length, 4, 'three refused attempts, then the one that worked');
    } finally {
      await peer.close();
    }
  } finally {
    await p.source.close();
  }
});

test('a push the peer refuses as bad (4xx) is not retried, not even by the resend, until the file changes', async () => {
  const peer = await scriptedPeer((push) => (push.sha256 === sha256Hex(version(1)) ? [400, { detail: 'the pushed RecorderConfig.xml is not valid' }] : ok('applied')(push)));
  const p = await primaryNode(peer.url, { resendEveryMs: 100 });
  try {
    await waitFor(() => p.events.length > 0, 'the refusal');
    await sleep(500); // several resend periods and backoff delays
    assert.equal(peer.received.length, 1);
    assert.deepEqual(p.kinds(), ['config-sync.push-failed']);
    assert.equal(p.events[0]?.severity, 'error');
    assert.equal(p.events[0]?.data['status'], 400);
    assert.match(p.events[0]?.message ?? '', /not valid/);

    await p.write(version(2));
    await waitFor(() => p.kinds().includes('config-sync.pushed'), 'the new file being pushed');
    assert.equal(peer.received[1]?.push.sha256, sha256Hex(version(2)));

    // Back to the refused bytes: still not sent; pushNow sends them anyway (an operator's explicit retry).
    const pushesOfVersion1 = (): number => peer.received.filter((r) => r.push.sha256 === sha256Hex(version(1))).length;
    const skipped = (): number => p.logLines.filter((l) => l.includes('not pushing bytes the peer refused before')).length;
    await p.write(version(1));
    await waitFor(() => skipped() >= 3, 'the revert being read, and skipped by the resends');
    assert.equal(pushesOfVersion1(), 1);
    await p.source.pushNow();
    assert.equal(pushesOfVersion1(), 2);
  } finally {
    await p.source.close();
    await peer.close();
  }
});

test('a newer file supersedes one being retried: it is pushed at once, without waiting out the backoff', async () => {
  const peer = await scriptedPeer((push) => (push.sha256 === sha256Hex(version(1)) ? [503, { title: 'busy' }] : ok('applied')(push)));
  const p = await primaryNode(peer.url, { retry: { baseMs: 60_000, maxMs: 60_000 } });
  try {
    await waitFor(() => p.kinds().includes('config-sync.push-failed'), 'the first failure');
    const changedAt = Date.now();
    await p.write(version(2));
    await waitFor(() => p.kinds().includes('config-sync.pushed'), 'the newer file being pushed');
    assert.ok(Date.now() - changedAt < 10_000, 'long before the 30–60 s backoff');
    assert.deepEqual(peer.received.map((r) => r.push.sha256), [sha256Hex(version(1)), sha256Hex(version(2))]);
  } finally {
    await p.source.close();
    await peer.close();
  }
});

test('pushNow resolves when its attempt ends; requests are bounded by requestTimeoutMs; close aborts one in flight', async () => {
  let hang = true;
  const peer = await scriptedPeer((push) => (hang ? null : ok('pending')(push)));
  const p = await primaryNode(peer.url, { requestTimeoutMs: 300, retry: { baseMs: 60_000, maxMs: 60_000 } });
  try {
    await waitFor(() => p.kinds().includes('config-sync.push-failed'), 'the timeout');
    assert.match(p.events[0]?.message ?? '', /no answer within 300 ms/);
    hang = false;
    await p.source.pushNow();
    assert.deepEqual(p.kinds(), ['config-sync.push-failed', 'config-sync.pushed']);
    assert.equal(p.events[1]?.data['outcome'], 'pending');
  } finally {
    await p.source.close();
  }
  hang = true;
  const q = await primaryNode(peer.url, { requestTimeoutMs: 60_000 });
  try {
    await waitFor(() => peer.received.length >= 3, 'a push in flight');
  } finally {
    const closingAt = Date.now();
    await q.source.close();
    assert.ok(Date.now() - closingAt < 2_000, 'close does not wait for the request timeout');
    assert.deepEqual(q.events, [], 'no failure reported for a push aborted by close');
    await peer.close();
  }
});

test('a RecorderConfig.xml that cannot be pushed is reported once and not sent', async () => {
  const peer = await scriptedPeer(ok('applied'));
  const p = await primaryNode(peer.url, { resendEveryMs: 100 }, Buffer.from('<recorderconfig><recorder>'));
  try {
    await waitFor(() => p.events.length > 0, 'the report');
    await sleep(400);
    assert.deepEqual(p.kinds(), ['config-sync.push-failed']);
    assert.equal(p.events[0]?.data['cause'], 'local-config');
    assert.equal(p.events[0]?.data['code'], 'truncated');
    assert.equal(peer.received.length, 0);
    await p.write(version(3));
    await waitFor(() => p.kinds().includes('config-sync.pushed'), 'the fixed file being pushed');
  } finally {
    await p.source.close();
    await peer.close();
  }
});

test('the peer URL is checked: http(s) only, no credentials in it', () => {
  const base = { configPath: '/nonexistent', secret, nodeId: 'a', log: pino({ level: 'silent' }), emit: () => undefined };
  assert.throws(() => startConfigSource({ ...base, peerAgentUrl: 'ftp://127.0.0.1/' }), RangeError);
  assert.throws(() => startConfigSource({ ...base, peerAgentUrl: 'http://user:pw@127.0.0.1/' }), RangeError);
  assert.throws(() => startConfigSource({ ...base, peerAgentUrl: 'not a url' }), TypeError);
});

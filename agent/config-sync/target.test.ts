// The target against real files and a real "recorder": a child process, started and stopped by
// PID, that hashes its RecorderConfig.xml every few milliseconds while it runs and says on
// SIGTERM whether the file ever changed under it. So "written only while the recorder is
// stopped" is checked by the recorder itself, not inferred from call order alone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { diff, parseRecorderConfig, sha256Hex } from '../../recorder-config-sync/index.js';
import { fixture, folderSnapshot, fixturesDir, primaryName, secondaryName, tempFolder } from '../../recorder-config-sync/fixtures/support.js';
import { bearerToken, secretsEqual } from '../../shared/secret.js';
import { recorderConfigPushSchema, type RecorderConfigPush } from '../../contracts/agent-api-v1.js';
import type { RecorderService, ServiceStatus } from '../shell/ports.js';
import { ConfigSyncError, type ConfigSyncErrorCode } from './errors.js';
import type { ConfigSyncEvent } from './events.js';
import { startConfigSource } from './source.js';
import { createConfigTarget, type ConfigTarget, type ConfigTargetOptions } from './target.js';

/** Bound on any wait in these tests. */
const waitTimeoutMs = 15_000;

const primary = fixture(primaryName);
const secondary = fixture(secondaryName);
const secondaryCloned = await readFile(join(fixturesDir, 'expected', '02-cloned-from-01.xml'));
const primarySecret = 'c2VjcmV0LXByaW1hcnk='; // the primary's socket_communication passphrase: local, never copied

let folder: { dir: string; remove: () => Promise<void> };
let n = 0;
before(async () => { folder = await tempFolder('twinrec-config-sync-'); });
after(async () => { await folder.remove(); });

async function waitFor(predicate: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let waitedMs = 0; !(await predicate()); waitedMs += 20) {
    if (waitedMs >= waitTimeoutMs) assert.fail(`${what}: not within ${waitTimeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// ---- the "recorder": a real child process --------------------------------------------------

const recorderScript = `
const { readFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
const path = process.argv[1];
const hash = () => { try { return createHash('sha256').update(readFileSync(path)).digest('hex'); } catch { return 'missing'; } };
const first = hash();
let changed = false;
const timer = setInterval(() => { if (hash() !== first) changed = true; }, 5);
process.on('SIGTERM', () => {
  clearInterval(timer);
  if (hash() !== first) changed = true;
  process.stdout.write((changed ? 'changed' : 'same') + '\\n', () => process.exit(0));
});
process.stdout.write('ready ' + first + '\\n');
`;

/** One life of the recorder process. */
interface RecorderRun {
  readonly pid: number;
  /** SHA-256 of the config file when the process started. */
  readonly startedWith: string;
  /** 'same' / 'changed': whether its file changed while it ran; null while it runs. */
  saw: 'same' | 'changed' | null;
}

/** A RecorderService whose recorder is a child process, stopped by PID; every call is recorded in order. */
class ProcessRecorderService implements RecorderService {
  readonly kind = 'lab' as const;
  readonly calls: string[] = [];
  readonly runs: RecorderRun[] = [];
  stopBehaviour: 'ok' | 'throw' | 'hang' = 'ok';
  stopDelayMs = 0;
  /** Runs after the recorder exited, before stop() resolves (a recorder that rewrites its file on shutdown). */
  afterStop: (() => Promise<void>) | null = null;
  private child: ChildProcess | null = null;
  private output = '';

  constructor(private readonly configPath: string) {}

  async start(): Promise<void> {
    this.calls.push('start');
    if (this.child !== null) return;
    const child = spawn(process.execPath, ['-e', recorderScript, this.configPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.output = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => { this.output += text; });
    await waitFor(() => this.output.includes('\n') || child.exitCode !== null, 'the recorder process starting');
    const match = /^ready ([0-9a-f]{64}|missing)\n/.exec(this.output);
    assert.ok(match?.[1] !== undefined && child.pid !== undefined, `the recorder process started: ${this.output}`);
    this.child = child;
    this.runs.push({ pid: child.pid, startedWith: match[1], saw: null });
  }

  async stop(): Promise<void> {
    this.calls.push('stop');
    if (this.stopBehaviour === 'throw') throw new Error('the service manager refused to stop the service');
    if (this.stopBehaviour === 'hang') return new Promise<void>(() => undefined);
    if (this.stopDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.stopDelayMs));
    const child = this.child;
    if (child !== null && child.pid !== undefined) {
      const exited = once(child, 'exit');
      process.kill(child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((_resolve, reject) => setTimeout(() => reject(new Error('recorder process did not exit')), 10_000))]);
      const run = this.runs[this.runs.length - 1];
      assert.ok(run !== undefined && run.pid === child.pid);
      run.saw = this.output.includes('\nchanged\n') ? 'changed' : this.output.includes('\nsame\n') ? 'same' : null;
      this.child = null;
    }
    this.calls.push('stopped');
    await this.afterStop?.();
  }

  async status(): Promise<ServiceStatus> {
    this.calls.push('status');
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null ? 'running' : 'stopped';
  }

  /** Stops the process at the end of a test (by PID). */
  async dispose(): Promise<void> {
    this.stopBehaviour = 'ok';
    this.afterStop = null;
    this.stopDelayMs = 0;
    await this.stop();
  }

  /** Calls after the initial start: what the sync did to the recorder. */
  syncCalls(): string[] {
    return this.calls.slice(1).filter((c) => c !== 'status');
  }
}

// ---- a node with a target ----------------------------------------------------------------

interface Node {
  readonly dir: string;
  readonly path: string;
  readonly service: ProcessRecorderService;
  /** Every event but `config-sync.unclassified`, which goes to `unclassified`: the fixture pair holds one unclassified element. */
  readonly events: ConfigSyncEvent[];
  readonly unclassified: ConfigSyncEvent[];
  readonly target: ConfigTarget;
  serving: boolean;
  now: number;
  kinds(): string[];
  dispose(): Promise<void>;
}

async function node(initial: Buffer, options: Partial<ConfigTargetOptions> = {}): Promise<Node> {
  const dir = join(folder.dir, `node${++n}`);
  await mkdir(dir);
  const path = join(dir, 'RecorderConfig.xml');
  await writeFile(path, initial);
  const service = new ProcessRecorderService(path);
  await service.start();
  const events: ConfigSyncEvent[] = [];
  const unclassified: ConfigSyncEvent[] = [];
  const state = {
    dir, path, service, events, unclassified, serving: false, now: 1_000_000,
    kinds: () => events.map((e) => e.kind),
    dispose: () => service.dispose(),
  } as Omit<Node, 'target'>;
  const target = createConfigTarget({
    configPath: path, nodeId: 'rec-b', service, isServing: () => state.serving, emit: (e) => (e.kind === 'config-sync.unclassified' ? unclassified : events).push(e), log: silent,
    nowMs: () => state.now, ...options,
  });
  return Object.assign(state, { target });
}

const silent: Logger = pino({ level: 'silent' });

function pushOf(bytes: Buffer, overrides: Partial<RecorderConfigPush> = {}): RecorderConfigPush {
  return { xml: bytes.toString('base64'), sha256: sha256Hex(bytes), from: 'rec-a', ...overrides };
}

/** The node's file is a clone of `reference`: no shared difference left. */
async function isCloneOf(path: string, reference: Buffer): Promise<boolean> {
  return diff(reference, await readFile(path)).every((c) => c.kind !== 'shared');
}

function text(bytes: Buffer, element: string): string | undefined {
  return new RegExp(`<${element}>([^<]*)</${element}>`).exec(bytes.toString('utf8'))?.[1];
}

/** Every life of the recorder saw an unchanged file, and the last one started with the file as it is now. */
async function assertRecorderNeverSawAWrite(service: ProcessRecorderService, path: string): Promise<void> {
  for (const run of service.runs.filter((r) => r.saw !== null)) assert.equal(run.saw, 'same', `recorder pid ${run.pid} saw its file change while it ran`);
  assert.equal(service.runs[service.runs.length - 1]?.startedWith, sha256Hex(await readFile(path)), 'the recorder runs with the file as it is now');
}

async function assertSyncError(promise: Promise<unknown>, code: ConfigSyncErrorCode, httpStatus: number): Promise<ConfigSyncError> {
  let caught: unknown = null;
  await promise.catch((err: unknown) => { caught = err; });
  assert.ok(caught instanceof ConfigSyncError, `expected ConfigSyncError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.httpStatus, httpStatus);
  return caught;
}

// ---- tests ---------------------------------------------------------------------------------

describe('config sync target', () => {
  test('a push the node is already in sync with does nothing: no stop, no start, no write, no sync event', async () => {
    const b = await node(secondaryCloned);
    try {
      const before = await folderSnapshot(b.dir);
      const result = await b.target.receive(pushOf(primary));
      assert.deepEqual(result, { outcome: 'in-sync', changes: 0, sha256: sha256Hex(primary) });
      assert.deepEqual(b.service.syncCalls(), []);
      assert.deepEqual(await folderSnapshot(b.dir), before);
      assert.deepEqual(b.events, []);
      assert.deepEqual(b.unclassified.map((e) => e.data['paths']), [[{ path: 'SiteNotes', in: 'node' }]], 'only the hand-added note, which no rule covers');
      assert.equal(b.target.pending(), null);
    } finally {
      await b.dispose();
    }
  });

  test('an out-of-sync push on a standby node is applied while the recorder is stopped, keeping local values', async () => {
    const b = await node(secondary);
    try {
      const result = await b.target.receive(pushOf(primary));
      assert.equal(result.outcome, 'applied');
      assert.equal(result.changes, 10);
      const after = await readFile(b.path);
      assert.ok(await isCloneOf(b.path, primary), 'the file is a clone of the primary');
      assert.deepEqual(after, secondaryCloned, 'byte for byte the library clone');
      assert.equal(parseRecorderConfig(after).info.recorderId, '4b1c2f3e-8d7a-4c55-9e21-0a6b3c9d7e11');
      assert.equal(text(after, 'host'), 'rec-b.lab.local', 'webserver/host is local');
      assert.equal(text(after, 'publicUri'), 'rec-b.lab.local:9001', 'webapi/publicUri is local');
      assert.equal(text(after, 'passphrase'), 'c2VjcmV0LXNlY29uZGFyeQ==', 'the database passphrase is local');
      assert.equal(text(after, 'path'), 'D:\\MediaDatabase', 'the storage path stays without a map');
      assert.match(after.toString('utf8'), /<SiteNotes owner="ops">rack 4, slot 2<\/SiteNotes>/, 'unknown elements are kept');

      assert.deepEqual(b.service.syncCalls(), ['stop', 'stopped', 'start']);
      await assertRecorderNeverSawAWrite(b.service, b.path);
      assert.equal(b.service.runs.length, 2);
      assert.deepEqual(b.kinds(), ['config-sync.started', 'config-sync.applied']);
      const applied = b.events[1];
      assert.equal(applied?.data['changes'], 10);
      assert.ok((applied?.data['paths'] as string[]).includes('server/address'));
      assert.equal(typeof applied?.data['backup'], 'string');
      assert.ok(!JSON.stringify(b.events).includes(primarySecret), 'no secret in events');
      const backups = (await readdir(b.dir)).filter((f) => f.endsWith('.bak'));
      assert.equal(backups.length, 1);
      assert.deepEqual(await readFile(join(b.dir, backups[0] ?? '')), secondary, 'the backup is the previous file');

      // The resend a minute later: in sync now, and that is not news.
      assert.equal((await b.target.receive(pushOf(primary))).outcome, 'in-sync');
      assert.deepEqual(b.service.syncCalls(), ['stop', 'stopped', 'start']);
      assert.equal(b.events.length, 2);
    } finally {
      await b.dispose();
    }
  });

  test('a recorder that is stopped stays stopped: the file is written without starting it', async () => {
    const b = await node(secondary);
    try {
      await b.service.stop();
      const callsBefore = b.service.calls.length;
      assert.equal((await b.target.receive(pushOf(primary))).outcome, 'applied');
      assert.deepEqual(b.service.calls.slice(callsBefore).filter((c) => c !== 'status'), []);
      assert.ok(await isCloneOf(b.path, primary));
      assert.equal(b.events[1]?.data['recorderRestarted'], false);
    } finally {
      await b.dispose();
    }
  });

  test('while serving a push waits for a switch; onServingChanged(false) applies it', async () => {
    const b = await node(secondary);
    try {
      b.serving = true;
      const first = await b.target.receive(pushOf(primary));
      assert.deepEqual(first, { outcome: 'pending', changes: 10, sha256: sha256Hex(primary) });
      assert.deepEqual(b.target.pending(), { sha256: sha256Hex(primary), from: 'rec-a', receivedAt: new Date(b.now).toISOString() });
      assert.equal((await b.target.receive(pushOf(primary))).outcome, 'pending', 'the resend');
      assert.deepEqual(b.kinds(), ['config-sync.pending'], 'one pending event for the resends of one file');
      assert.equal(b.events[0]?.severity, 'warning');
      assert.match(b.events[0]?.message ?? '', /waiting for a switch; use config-sync-force to apply now/);
      assert.deepEqual(b.service.syncCalls(), []);
      assert.deepEqual(await readFile(b.path), secondary);

      await b.target.onServingChanged(true);
      assert.deepEqual(b.service.syncCalls(), [], 'becoming (or staying) Serving applies nothing');

      b.serving = false;
      await b.target.onServingChanged(false);
      assert.equal(b.target.pending(), null);
      assert.ok(await isCloneOf(b.path, primary));
      assert.deepEqual(b.service.syncCalls(), ['stop', 'stopped', 'start']);
      await assertRecorderNeverSawAWrite(b.service, b.path);
      assert.deepEqual(b.kinds(), ['config-sync.pending', 'config-sync.started', 'config-sync.applied']);
    } finally {
      await b.dispose();
    }
  });

  test('the newest push wins: a pending sync is replaced, or dropped when a newer push is already in sync', async () => {
    const b = await node(secondary);
    try {
      b.serving = true;
      await b.target.receive(pushOf(primary));
      const newer = Buffer.from(primary.toString('utf8').replace('<maxframesinqueue>300<', '<maxframesinqueue>777<'));
      assert.equal((await b.target.receive(pushOf(newer))).outcome, 'pending');
      assert.equal(b.target.pending()?.sha256, sha256Hex(newer));
      assert.deepEqual(b.kinds(), ['config-sync.pending', 'config-sync.pending']);
      // The primary went back to what this node has: nothing to wait for any more.
      assert.deepEqual(await b.target.receive(pushOf(secondary)), { outcome: 'in-sync', changes: 0, sha256: sha256Hex(secondary) });
      assert.equal(b.target.pending(), null);
      assert.equal(b.events[2]?.kind, 'config-sync.in-sync', 'back in sync after being out of sync');
      assert.deepEqual(b.service.syncCalls(), []);
    } finally {
      await b.dispose();
    }
  });

  test('force applies the pending sync while serving, with a warning; with nothing pending it is refused', async () => {
    const b = await node(secondary);
    try {
      await assertSyncError(b.target.force(), 'sync-not-pending', 409);
      b.serving = true;
      await b.target.receive(pushOf(primary));
      const result = await b.target.force();
      assert.deepEqual(result, { outcome: 'applied', changes: 10, sha256: sha256Hex(primary) });
      assert.ok(await isCloneOf(b.path, primary));
      assert.deepEqual(b.service.syncCalls(), ['stop', 'stopped', 'start']);
      await assertRecorderNeverSawAWrite(b.service, b.path);
      assert.deepEqual(b.kinds(), ['config-sync.pending', 'config-sync.forced', 'config-sync.started', 'config-sync.applied']);
      assert.equal(b.events[1]?.severity, 'warning');
      assert.equal(b.events[1]?.data['serving'], true);
      assert.equal(b.target.pending(), null);
      await assertSyncError(b.target.force(), 'sync-not-pending', 409);
    } finally {
      await b.dispose();
    }
  });

  test('corrupt base64, a hash mismatch, unparseable XML and a push from itself are refused as 400: nothing written, recorder untouched', async () => {
    const b = await node(secondary);
    try {
      const before = await folderSnapshot(b.dir);
      const base64 = primary.toString('base64');
      const garbage = Buffer.from('<recorderconfig><recorder><id>4b1c2f3e-8d7a-4c55-9e21-0a6b3c9d7e11</id></recorder>');
      const bad: Array<[RecorderConfigPush, ConfigSyncErrorCode]> = [
        [pushOf(primary, { xml: `${base64.slice(0, 100)}*${base64.slice(101)}` }), 'bad-base64'],
        [pushOf(primary, { sha256: sha256Hex(secondary) }), 'sha-mismatch'],
        [pushOf(garbage), 'bad-config'],
        [pushOf(Buffer.from('<?xml version="1.0"?><config/>')), 'bad-config'],
        [pushOf(primary, { from: 'rec-b' }), 'from-self'],
      ];
      for (const [push, code] of bad) await assertSyncError(b.target.receive(push), code, 400);
      b.serving = true;
      await assertSyncError(b.target.receive(pushOf(garbage)), 'bad-config', 400);
      assert.deepEqual(await folderSnapshot(b.dir), before);
      assert.deepEqual(b.service.calls, ['start'], 'the recorder was never stopped, not even asked');
      assert.deepEqual(b.events, []);
      assert.equal(b.target.pending(), null);
    } finally {
      await b.dispose();
    }
  });

  test('a failed apply still starts the recorder again, after the failure; the same push is then held off', async () => {
    const b = await node(secondary);
    try {
      b.service.stopBehaviour = 'throw';
      const error = await assertSyncError(b.target.receive(pushOf(primary)), 'apply-failed', 500);
      assert.equal(error.causeCode, 'stop-failed');
      assert.deepEqual(b.service.syncCalls(), ['stop', 'start']);
      assert.deepEqual(await readFile(b.path), secondary, 'nothing written');
      assert.deepEqual(b.kinds(), ['config-sync.started', 'config-sync.failed']);
      assert.equal(b.events[1]?.severity, 'error');
      assert.equal(b.events[1]?.data['code'], 'stop-failed');

      // The source retries within seconds: answered at once, the recorder left alone, no new event.
      await assertSyncError(b.target.receive(pushOf(primary)), 'apply-failed', 500);
      assert.deepEqual(b.service.syncCalls(), ['stop', 'start']);
      assert.equal(b.events.length, 2);

      // After the hold-off it is tried again.
      b.service.stopBehaviour = 'ok';
      b.now += 300_000;
      assert.equal((await b.target.receive(pushOf(primary))).outcome, 'applied');
      assert.deepEqual(b.service.syncCalls(), ['stop', 'start', 'stop', 'stopped', 'start']);
      await assertRecorderNeverSawAWrite(b.service, b.path);
    } finally {
      await b.dispose();
    }
  });

  test('a recorder that leaves a broken file on shutdown: the apply fails after the stop, and the recorder is started after that', async () => {
    const b = await node(secondary);
    try {
      const broken = Buffer.from('<recorderconfig><recorder>');
      b.service.afterStop = async () => {
        b.service.calls.push('(recorder wrote a broken file)');
        await writeFile(b.path, broken);
      };
      const error = await assertSyncError(b.target.receive(pushOf(primary)), 'apply-failed', 500);
      assert.equal(error.causeCode, 'truncated');
      assert.deepEqual(b.service.syncCalls(), ['stop', 'stopped', '(recorder wrote a broken file)', 'start']);
      assert.deepEqual(await readFile(b.path), broken, 'the sync wrote nothing over it');
      assert.deepEqual((await readdir(b.dir)).filter((f) => f.includes('twinrec')), [], 'no backup, no temp file');
      assert.deepEqual(b.kinds(), ['config-sync.started', 'config-sync.failed']);
      assert.equal(b.service.runs.length, 2, 'the recorder runs again');
    } finally {
      await b.dispose();
    }
  });

  test('a stop that hangs is bounded by stopTimeoutMs; the file is not written and the recorder is started', async () => {
    const b = await node(secondary, { stopTimeoutMs: 200 });
    try {
      b.service.stopBehaviour = 'hang';
      const error = await assertSyncError(b.target.receive(pushOf(primary)), 'apply-failed', 500);
      assert.equal(error.causeCode, 'stop-timeout');
      assert.deepEqual(b.service.syncCalls(), ['stop', 'start']);
      assert.deepEqual(await readFile(b.path), secondary);
    } finally {
      await b.dispose();
    }
  });

  test('one apply at a time: a push during an apply becomes pending and is applied right after; force is busy meanwhile', async () => {
    const b = await node(secondary);
    try {
      b.service.stopDelayMs = 300;
      const first = b.target.receive(pushOf(primary));
      await waitFor(() => b.service.calls.includes('stop'), 'the first apply stopping the recorder');
      const newer = Buffer.from(primary.toString('utf8').replace('<maxframesinqueue>300<', '<maxframesinqueue>777<'));
      const second = await b.target.receive(pushOf(newer));
      assert.equal(second.outcome, 'pending');
      assert.equal(b.target.pending()?.sha256, sha256Hex(newer));
      await assertSyncError(b.target.force(), 'busy', 409);
      assert.equal((await first).outcome, 'applied');
      assert.equal(b.target.pending(), null);
      assert.ok(await isCloneOf(b.path, newer), 'the newer push was applied after the first');
      assert.equal(text(await readFile(b.path), 'maxframesinqueue'), '777');
      assert.deepEqual(b.service.syncCalls(), ['stop', 'stopped', 'start', 'stop', 'stopped', 'start']);
      await assertRecorderNeverSawAWrite(b.service, b.path);
      assert.deepEqual(b.kinds(), ['config-sync.started', 'config-sync.applied', 'config-sync.started', 'config-sync.applied']);
    } finally {
      await b.dispose();
    }
  });

  test('paths no clone rule classifies are reported at sync time with where they are, once per set of paths, and never synchronized', async () => {
    const b = await node(secondary);
    try {
      await b.target.receive(pushOf(primary));
      assert.equal(b.unclassified.length, 1);
      const [first] = b.unclassified;
      assert.equal(first?.severity, 'warning');
      assert.deepEqual(first?.data['paths'], [{ path: 'SiteNotes', in: 'node' }]);
      assert.deepEqual([first?.data['count'], first?.data['pathsOmitted'], first?.data['from']], [1, 0, 'rec-a']);
      assert.match(first?.message ?? '', /1 path\(s\) no clone rule classifies \(SiteNotes\): each node keeps its own, they are not synchronized/);

      // The resend of the same file, and a new file with the same unclassified paths: not news.
      await b.target.receive(pushOf(primary));
      const renamed = Buffer.from(primary.toString('utf8').replace('Recording Server 01', 'Recording Server 01a'));
      await b.target.receive(pushOf(renamed));
      assert.equal(b.unclassified.length, 1);

      // The primary gains an element no rule classifies: reported, and not copied by the sync.
      const withVendor = Buffer.from(renamed.toString('utf8').replace('</recorderconfig>', '  <VendorX enabled="true">1</VendorX>\r\n</recorderconfig>'));
      const result = await b.target.receive(pushOf(withVendor));
      assert.equal(result.outcome, 'in-sync', 'an unclassified difference alone is nothing to apply');
      assert.equal(b.unclassified.length, 2);
      assert.deepEqual(b.unclassified[1]?.data['paths'], [{ path: 'VendorX', in: 'primary' }, { path: 'SiteNotes', in: 'node' }]);
      assert.doesNotMatch((await readFile(b.path)).toString('utf8'), /VendorX/);
    } finally {
      await b.dispose();
    }
  });

  test('keepBackups is checked when the target is created', async () => {
    const b = await node(secondary);
    try {
      for (const keepBackups of [0, 1001, 1.5]) {
        assert.throws(() => createConfigTarget({ configPath: b.path, nodeId: 'x', service: b.service, isServing: () => false, emit: () => undefined, log: silent, keepBackups }), RangeError);
      }
    } finally {
      await b.dispose();
    }
  });
});

// ---- end to end: source → HTTP → target ----------------------------------------------------

/** A minimal stand-in for the agent's HTTP layer: Bearer check, body bound, schema, receive, status from the error. */
async function serveTarget(target: ConfigTarget, secret: string): Promise<{ url: string; server: Server; requests: number }> {
  const state = { requests: 0 };
  const server = createServer((req, res) => {
    state.requests += 1;
    const answer = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const token = bearerToken(req.headers.authorization);
    if (req.method !== 'PUT' || req.url !== '/api/v1/recorder-config') return answer(404, { title: 'not found' });
    if (token === null || !secretsEqual(token, secret)) return answer(401, { title: 'unauthorized' });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 12 * 1024 * 1024) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return answer(400, { title: 'malformed JSON' });
      }
      const parsed = recorderConfigPushSchema.safeParse(body);
      if (!parsed.success) return answer(400, { title: 'invalid push' });
      target.receive(parsed.data).then(
        (result) => answer(200, result),
        (err: unknown) => answer(err instanceof ConfigSyncError ? err.httpStatus : 500, { code: err instanceof ConfigSyncError ? err.code : 'internal', detail: String(err) }),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, { url: `http://127.0.0.1:${port}`, server });
}

test('end to end: the source pushes over HTTP and the target turns its file into a clone, again after each change', async () => {
  const b = await node(secondary);
  const secret = 'end-to-end-cluster-secret-9f1c';
  const http = await serveTarget(b.target, secret);
  const primaryDir = join(folder.dir, `primary${++n}`);
  await mkdir(primaryDir);
  const primaryPath = join(primaryDir, 'RecorderConfig.xml');
  await writeFile(primaryPath, primary);
  const sourceEvents: ConfigSyncEvent[] = [];
  const logLines: string[] = [];
  const log = pino({ level: 'trace' }, { write: (line: string) => { logLines.push(line); } });
  const source = startConfigSource({
    configPath: primaryPath, peerAgentUrl: http.url, secret, nodeId: 'rec-a', log, emit: (e) => sourceEvents.push(e),
    watch: { debounceMs: 50, pollIntervalMs: 200 }, retry: { baseMs: 50, maxMs: 500 },
  });
  try {
    await waitFor(() => isCloneOf(b.path, primary), 'the secondary becoming a clone of the primary');
    await waitFor(() => sourceEvents.some((e) => e.kind === 'config-sync.pushed'), 'the pushed event');

    // The operator changes a shared value on the primary (an editor writes a new file and renames it over).
    const changed = Buffer.from(primary.toString('utf8').replace('<maxframesinqueue>300<', '<maxframesinqueue>777<').replace('<address>lab-xpco<', '<address>new-ms<'));
    await writeFile(`${primaryPath}.tmp`, changed);
    await rename(`${primaryPath}.tmp`, primaryPath);
    await waitFor(async () => text(await readFile(b.path), 'maxframesinqueue') === '777', 'the change reaching the secondary');
    await waitFor(() => sourceEvents.filter((e) => e.kind === 'config-sync.pushed').length >= 2, 'the second pushed event');

    const after = await readFile(b.path);
    assert.ok(await isCloneOf(b.path, changed));
    assert.equal(text(after, 'address'), 'new-ms');
    assert.equal(text(after, 'host'), 'rec-b.lab.local', 'local values stay');
    assert.deepEqual(sourceEvents.map((e) => [e.kind, e.data['outcome']]), [['config-sync.pushed', 'applied'], ['config-sync.pushed', 'applied']]);
    assert.deepEqual(b.kinds(), ['config-sync.started', 'config-sync.applied', 'config-sync.started', 'config-sync.applied']);
    assert.deepEqual(b.service.syncCalls(), ['stop', 'stopped', 'start', 'stop', 'stopped', 'start']);
    await assertRecorderNeverSawAWrite(b.service, b.path);
    assert.ok(logLines.length > 0);
    assert.ok(!logLines.some((l) => l.includes(secret)), 'the secret is never logged');
    assert.ok(!JSON.stringify(sourceEvents).includes(secret), 'nor put in an event');
  } finally {
    await source.close();
    http.server.close();
    http.server.closeAllConnections();
    await b.dispose();
  }
});

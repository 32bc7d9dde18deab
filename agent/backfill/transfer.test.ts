// The backfill transfer end to end over real HTTP on 127.0.0.1: the source's routes behind the
// cluster secret guard, over a lab-format storage folder written here with the media-store
// codec, and the target's client. Misbehaving sources (oversize, lying headers, broken
// answers, silence) are small real servers too.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import pino from 'pino';
import { blockHeader, decodeBlock, encodeFrameRecord, encodeIndexRecord, sha256Hex, decodeIndex, type IndexRecord } from '../../media-store/format.js';
import { CameraIndex, type IndexEntry } from '../../media-store/camera-index.js';
import { blockPath, blocksDir, camerasDir, indexPath, isCameraDirName, STORAGE_FORMAT, STORAGE_MARKER } from '../../media-store/layout.js';
import { requireBearerSecret } from '../../shared/secret.js';
import { createSelfSignedCertificate } from '../../shared/tls/certificate.js';
import { pinnedFetch } from '../../shared/tls/pinned-fetch.js';
import { problemOf, writeProblem } from '../../shared/problem.js';
import { closedPort } from '../../shared/testing/ports.js';
import { entriesPageMax, blockHeaderNames, frameTimeMsMax } from '../../contracts/backfill-v1.js';
import { BlockCorruptError, BlockNotFoundError, type CheckedBlock, type ReadBlockOptions } from '../storage/storage-adapter.js';
import { backfillSourceRouter, sourceBlockReadsMax, type BackfillSourceStorage } from './source-routes.js';
import {
  BackfillPeerClient,
  PeerAnswerError,
  PeerBlockCorruptError,
  PeerBlockMissingError,
  PeerUnauthorizedError,
  PeerUnavailableError,
  TransferChecksumError,
  TransferInvalidError,
} from './peer-client.js';

const SECRET = 'backfill-test-cluster-secret';
const CAM1 = '1e100000-0000-4000-8000-000000000001';
const CAM2 = '1e100000-0000-4000-8000-000000000002';
const CAM_BIG = '1e100000-0000-4000-8000-0000000000b1';
const BASE = 1_700_000_000_000;
const silent = pino({ level: 'silent' });

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

// ---------------------------------------------------------------- a lab-format storage folder

async function newStorage(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'twinrec-backfill-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  await writeFile(join(root, STORAGE_MARKER), `${JSON.stringify(STORAGE_FORMAT)}\n`);
  return root;
}

/** A payload that differs per camera and frame, like a JPEG would. */
const payloadOf = (cameraId: string, timeMs: number): Buffer => Buffer.from(`jpeg ${cameraId} ${timeMs} `.repeat(1 + (timeMs % 7)));

/** Block file bytes of `frames` frames at 10 fps from `startMs`. */
function blockBytes(cameraId: string, startMs: number, frames: number): Buffer {
  const times = Array.from({ length: frames }, (_, k) => startMs + k * 100);
  return Buffer.concat([blockHeader(10), ...times.map((t) => encodeFrameRecord(t, payloadOf(cameraId, t)))]);
}

/** Writes a block file and returns its index record (not yet appended). */
async function writeBlock(root: string, cameraId: string, startMs: number, frames = 10, op: 'block' | 'fill' = 'block'): Promise<IndexRecord> {
  await mkdir(blocksDir(root, cameraId), { recursive: true });
  const bytes = blockBytes(cameraId, startMs, frames);
  await writeFile(blockPath(root, cameraId, startMs), bytes);
  return { op, startMs, endMs: startMs + (frames - 1) * 100, fps: 10, frameCount: frames, bytes: bytes.length, sha256: sha256Hex(bytes) };
}

async function appendRecords(root: string, cameraId: string, records: readonly IndexRecord[]): Promise<void> {
  await mkdir(blocksDir(root, cameraId), { recursive: true });
  await appendFile(indexPath(root, cameraId), records.map(encodeIndexRecord).join(''));
}

/**
 * The source's storage port over a lab-format folder, the way the agent's adapter reads it;
 * `holdReads` keeps block reads waiting (to fill the source's read slots).
 */
class FolderStorage implements BackfillSourceStorage {
  private held: Promise<void> | null = null;
  private release: (() => void) | null = null;
  readsWaiting = 0;
  /** Block reads whose buffer the source gave back (once their answer was sent). */
  readsReleased = 0;

  constructor(readonly root: string) {}

  async listCameras(max: number): Promise<{ cameraIds: string[]; truncated: boolean }> {
    const names = (await readdir(camerasDir(this.root))).filter(isCameraDirName).sort();
    return { cameraIds: names.slice(0, max), truncated: names.length > max };
  }

  async readEntries(cameraId: string): Promise<readonly IndexEntry[]> {
    const index = new CameraIndex();
    for (const record of decodeIndex(await readFile(indexPath(this.root, cameraId))).records) index.apply(record);
    return index.entries;
  }

  async readBlock(cameraId: string, startMs: number, options: ReadBlockOptions = {}): Promise<CheckedBlock> {
    if (this.held !== null) {
      this.readsWaiting += 1;
      await this.held;
      this.readsWaiting -= 1;
    }
    const entry = (await this.readEntries(cameraId)).find((e) => e.startMs === startMs && e.state !== 'placeholder');
    if (entry === undefined) throw new BlockNotFoundError(`no block ${startMs}`);
    const bytes = await readFile(blockPath(this.root, cameraId, startMs));
    if (bytes.length !== entry.bytes || (options.hashed !== false && sha256Hex(bytes) !== entry.sha256)) throw new BlockCorruptError(`block ${startMs} does not match its index`);
    return { bytes, entry, release: () => void (this.readsReleased += 1) };
  }

  holdReads(): void {
    this.held = new Promise((resolve) => (this.release = resolve));
  }

  releaseReads(): void {
    this.release?.();
    this.held = null;
  }
}

// ---------------------------------------------------------------- servers on 127.0.0.1

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => stop(server));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

async function stop(server: Server): Promise<void> {
  if (!server.listening) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** The source agent's API as local-api.ts builds it: the Bearer guard, then the backfill routes. */
async function startSource(storage: BackfillSourceStorage, faultInjection = true): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(requireBearerSecret(SECRET, 'twinrec-agent'));
  app.use(backfillSourceRouter({ storage, nodeId: 'rs-a', faultInjection, log: silent }));
  app.use((_req, res) => writeProblem(res, problemOf(404, 'not-found', 'Not found', 'no such endpoint')));
  const server = createHttpServer(app);
  return { url: await listen(server), server };
}

/** A source that answers every request with `handler` (a misbehaving peer). */
async function startRawSource(handler: RequestListener): Promise<string> {
  return listen(createHttpServer(handler));
}

const client = (url: string, options: { secret?: string; timeoutMs?: number; blockBytesMax?: number } = {}): BackfillPeerClient =>
  new BackfillPeerClient({ baseUrl: url, secret: options.secret ?? SECRET, timeoutMs: options.timeoutMs ?? 10_000, blockBytesMax: options.blockBytesMax });

const get = (url: string, path: string, secret = SECRET): Promise<Response> => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${secret}` } });

async function rejectsWith<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const err = await promise.then(
    () => assert.fail(`expected ${type.name}, it resolved`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof type, `expected ${type.name}, got ${String(err)}`);
  return err;
}

// ---------------------------------------------------------------- the tests

describe('backfill transfer (source routes ↔ peer client, real HTTP)', () => {
  let root: string;
  let storage: FolderStorage;
  let source: { url: string; server: Server };
  /** CAM1's content entries (recorded and filled) as written, oldest first. */
  const cam1Content: IndexRecord[] = [];

  before(async () => {
    root = await newStorage();
    storage = new FolderStorage(root);
    // CAM1: 25 recorded blocks of 1 s, a filled placeholder and a pending one in between.
    for (let k = 0; k < 25; k += 1) cam1Content.push(await writeBlock(root, CAM1, BASE + k * 10_000));
    const filled = await writeBlock(root, CAM1, BASE + 255_000, 10, 'fill');
    await appendRecords(root, CAM1, [
      ...cam1Content,
      { op: 'placeholder', startMs: BASE + 255_000, endMs: BASE + 255_900, fps: 10 },
      filled,
      { op: 'placeholder', startMs: BASE + 265_000, endMs: BASE + 265_900, fps: 10 },
    ]);
    cam1Content.push(filled);
    await appendRecords(root, CAM2, [await writeBlock(root, CAM2, BASE)]);
    source = await startSource(storage);
  });

  it('lists the cameras and pages a camera’s recorded and filled blocks, leaving placeholders out', async () => {
    const peer = client(source.url);
    assert.deepEqual(await peer.listCameras(), { v: 1, node: 'rs-a', cameraIds: [CAM1, CAM2], truncated: false });

    const pages: number[][] = [];
    let afterMs = -1;
    for (let guard = 0; guard < 10; guard += 1) {
      const page = await peer.entries(CAM1, afterMs, 10);
      pages.push(page.entries.map((e) => e.startMs));
      assert.equal(page.sealedEndMs, BASE + 255_900, 'the newest content, not the pending placeholder after it');
      if (page.next === null) break;
      afterMs = page.next;
    }
    assert.deepEqual(pages.map((p) => p.length), [10, 10, 6]);
    const expected = cam1Content.map((r) => r.startMs);
    assert.deepEqual(pages.flat(), expected);

    const all = await peer.allEntries(CAM1, 1000);
    assert.equal(all.truncated, false);
    assert.deepEqual(all.entries, cam1Content.map((r) => (r.op === 'block' || r.op === 'fill' ? { startMs: r.startMs, endMs: r.endMs, fps: r.fps, frameCount: r.frameCount, bytes: r.bytes, sha256: r.sha256 } : assert.fail())));
    const bounded = await peer.allEntries(CAM1, 12);
    assert.deepEqual(bounded.entries.map((e) => e.startMs), expected.slice(0, 12));
    assert.equal(bounded.truncated, true);

    const last = await peer.entries(CAM1, BASE + 255_000, 10);
    assert.deepEqual(last.entries, []);
    assert.equal(last.next, null);
    // A camera this node has no folder for holds nothing.
    assert.deepEqual(await peer.entries('1e100000-0000-4000-8000-0000000000ff', -1, 10), { v: 1, cameraId: '1e100000-0000-4000-8000-0000000000ff', entries: [], next: null, sealedEndMs: null });
  });

  it('pages past the page maximum, each page starting after the last', async () => {
    // An index with more blocks than one page holds (only the index is read for entries).
    const count = entriesPageMax + 5;
    const records: IndexRecord[] = Array.from({ length: count }, (_, k) => ({ op: 'block', startMs: BASE + k * 1_000, endMs: BASE + k * 1_000 + 900, fps: 10, frameCount: 10, bytes: 100, sha256: 'a'.repeat(64) }));
    await appendRecords(root, CAM_BIG, records);
    const all = await client(source.url).allEntries(CAM_BIG, 1_000_000);
    assert.equal(all.entries.length, count);
    assert.equal(all.truncated, false);
    assert.equal(all.entries.at(-1)?.startMs, BASE + (count - 1) * 1_000);
    assert.ok(all.entries.every((e, i) => i === 0 || e.startMs > (all.entries[i - 1] as { startMs: number }).startMs));
    await rm(join(camerasDir(root), CAM_BIG), { recursive: true });
  });

  it('sends a whole block byte-identical, with the SHA-256 of its index entry', async () => {
    const record = cam1Content[3] as IndexRecord & { op: 'block' };
    const block = await client(source.url).fetchBlock({ cameraId: CAM1, peerBlockStartMs: record.startMs, fromMs: 0, toMs: frameTimeMsMax });
    assert.ok(block.bytes.equals(await readFile(blockPath(root, CAM1, record.startMs))));
    assert.equal(block.sha256, record.sha256);
    assert.deepEqual([block.firstFrameMs, block.lastFrameMs, block.frameCount, block.fps], [record.startMs, record.endMs, 10, 10]);

    const filled = cam1Content.at(-1) as IndexRecord & { op: 'fill' };
    const fill = await client(source.url).fetchBlock({ cameraId: CAM1, peerBlockStartMs: filled.startMs, fromMs: filled.startMs, toMs: filled.endMs });
    assert.equal(fill.sha256, filled.sha256, 'a filled block is served like a recorded one');
  });

  it('receives megabyte blocks into a buffer used again once released, and the source takes its read buffer back once sent', async () => {
    // Frames of 100 kB: a block large enough to be pooled on both sides.
    const big = (startMs: number): Buffer => Buffer.concat([blockHeader(10), ...Array.from({ length: 10 }, (_, k) => encodeFrameRecord(startMs + k * 100, Buffer.alloc(100_000, (startMs / 1_000 + k) % 251)))]);
    const blocks = [BASE, BASE + 1_000, BASE + 2_000].map((startMs) => ({ startMs, bytes: big(startMs) }));
    await mkdir(blocksDir(root, CAM_BIG), { recursive: true });
    for (const block of blocks) await writeFile(blockPath(root, CAM_BIG, block.startMs), block.bytes);
    await appendRecords(root, CAM_BIG, blocks.map((b) => ({ op: 'block', startMs: b.startMs, endMs: b.startMs + 900, fps: 10, frameCount: 10, bytes: b.bytes.length, sha256: sha256Hex(b.bytes) })));
    const peer = client(source.url);
    const ask = (startMs: number): ReturnType<BackfillPeerClient['fetchBlock']> => peer.fetchBlock({ cameraId: CAM_BIG, peerBlockStartMs: startMs, fromMs: 0, toMs: frameTimeMsMax });
    const released = storage.readsReleased;
    const first = await ask(BASE);
    assert.ok(first.bytes.equals(blocks[0]?.bytes as Buffer));
    const memory = first.bytes.buffer;
    first.release();
    first.release();
    const second = await ask(BASE + 1_000);
    assert.equal(second.bytes.buffer, memory, 'the released buffer received the next block');
    assert.ok(second.bytes.equals(blocks[1]?.bytes as Buffer));
    const third = await ask(BASE + 2_000);
    assert.notEqual(third.bytes.buffer, memory, 'a block not released is never overwritten');
    assert.ok(third.bytes.equals(blocks[2]?.bytes as Buffer) && second.bytes.equals(blocks[1]?.bytes as Buffer));
    for (let waited = 0; storage.readsReleased < released + 3 && waited < 100; waited += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(storage.readsReleased, released + 3, 'each answer, once sent, gave its read buffer back');
    // A block refused by its checksum gives its buffer back too: the next one is received into it.
    third.release();
    second.release();
    const set = await fetch(`${source.url}/api/v1/testing/backfill`, { method: 'POST', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' }, body: JSON.stringify({ corruptBlocks: 1 }) });
    assert.equal(set.status, 200);
    await rejectsWith(ask(BASE), TransferChecksumError);
    const again = await ask(BASE);
    assert.ok(again.bytes.equals(blocks[0]?.bytes as Buffer));
    assert.ok([memory, third.bytes.buffer].includes(again.bytes.buffer), 'received into a buffer given back');
    await rm(join(camerasDir(root), CAM_BIG), { recursive: true });
  });

  it('fetches blocks from an https peer through the pinned dispatcher, with the same checks and reused buffers', async () => {
    const pair = await createSelfSignedCertificate({ commonName: 'twinrec-agent test', altNames: ['127.0.0.1'] });
    const app = express();
    app.use(requireBearerSecret(SECRET, 'twinrec-agent'));
    app.use(backfillSourceRouter({ storage, nodeId: 'rs-a', faultInjection: true, log: silent }));
    const server = createHttpsServer({ cert: pair.certPem, key: pair.keyPem }, app);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
    // Another fingerprint first: nothing is sent; then the peer's own, which replaces the pin.
    let pinned = Array.from({ length: 32 }, () => 'AB').join(':');
    const peer = new BackfillPeerClient({ baseUrl: url, secret: SECRET, timeoutMs: 10_000, peerFingerprint: () => pinned });
    const refused = await rejectsWith(peer.listCameras(), PeerUnavailableError);
    assert.match(refused.message, /not the pinned one: nothing was sent/);
    pinned = pair.fingerprint256;
    const big = Buffer.concat([blockHeader(10), ...Array.from({ length: 10 }, (_, k) => encodeFrameRecord(BASE + k * 100, Buffer.alloc(100_000, k + 1)))]);
    await mkdir(blocksDir(root, CAM_BIG), { recursive: true });
    await writeFile(blockPath(root, CAM_BIG, BASE), big);
    await appendRecords(root, CAM_BIG, [{ op: 'block', startMs: BASE, endMs: BASE + 900, fps: 10, frameCount: 10, bytes: big.length, sha256: sha256Hex(big) }]);
    const ask = (): ReturnType<BackfillPeerClient['fetchBlock']> => peer.fetchBlock({ cameraId: CAM_BIG, peerBlockStartMs: BASE, fromMs: 0, toMs: frameTimeMsMax });
    const first = await ask();
    assert.ok(first.bytes.equals(big));
    assert.equal(first.sha256, sha256Hex(big));
    first.release();
    const second = await ask();
    assert.equal(second.bytes.buffer, first.bytes.buffer, 'received into the released buffer');
    assert.ok(second.bytes.equals(big));
    const setTls = await pinnedFetch(`${url}/api/v1/testing/backfill`, pair.fingerprint256, { method: 'POST', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' }, body: JSON.stringify({ corruptBlocks: 1 }) });
    assert.equal(setTls.status, 200);
    await rejectsWith(ask(), TransferChecksumError);
    await rejectsWith(peer.fetchBlock({ cameraId: CAM_BIG, peerBlockStartMs: BASE + 1, fromMs: 0, toMs: frameTimeMsMax }), PeerBlockMissingError);
    assert.ok((await ask()).bytes.equals(big));
    await rm(join(camerasDir(root), CAM_BIG), { recursive: true });
  });

  it('sends a slice holding exactly the frames in range, re-encoded identically', async () => {
    const startMs = BASE + 50_000;
    const block = await client(source.url).fetchBlock({ cameraId: CAM1, peerBlockStartMs: startMs, fromMs: startMs + 250, toMs: startMs + 600 });
    const decoded = decodeBlock(block.bytes);
    assert.ok(decoded.clean);
    assert.deepEqual(decoded.frames.map((f) => f.timeMs - startMs), [300, 400, 500, 600]);
    for (const f of decoded.frames) assert.ok(block.bytes.subarray(f.offset, f.offset + f.length).equals(payloadOf(CAM1, f.timeMs)));
    assert.deepEqual([block.firstFrameMs, block.lastFrameMs, block.frameCount], [startMs + 300, startMs + 600, 4]);
    assert.equal(block.sha256, sha256Hex(block.bytes));
    // The slice is what a block of those frames would be: a target writing it gets a valid block file.
    assert.ok(block.bytes.equals(Buffer.concat([blockHeader(10), ...[300, 400, 500, 600].map((d) => encodeFrameRecord(startMs + d, payloadOf(CAM1, startMs + d)))])));
  });

  it('answers 404 for a placeholder or an unknown block and 416 for a range without frames', async () => {
    const peer = client(source.url);
    const pending = await rejectsWith(peer.fetchBlock({ cameraId: CAM1, peerBlockStartMs: BASE + 265_000, fromMs: 0, toMs: frameTimeMsMax }), PeerBlockMissingError);
    assert.equal(pending.status, 404);
    await rejectsWith(peer.fetchBlock({ cameraId: CAM1, peerBlockStartMs: BASE + 1, fromMs: 0, toMs: frameTimeMsMax }), PeerBlockMissingError);
    const outside = await rejectsWith(peer.fetchBlock({ cameraId: CAM1, peerBlockStartMs: BASE, fromMs: BASE + 950, toMs: BASE + 5_000 }), PeerBlockMissingError);
    assert.equal(outside.status, 416);
    // Within the block's span but between two frames.
    const between = await rejectsWith(peer.fetchBlock({ cameraId: CAM1, peerBlockStartMs: BASE, fromMs: BASE + 101, toMs: BASE + 199 }), PeerBlockMissingError);
    assert.equal(between.status, 416);
  });

  it('refuses bad ids and queries with a 400 bad-request problem', async () => {
    for (const path of [
      `/api/backfill/v1/cameras/${CAM1.toUpperCase()}/entries`,
      `/api/backfill/v1/cameras/not-a-camera/entries`,
      `/api/backfill/v1/cameras/${CAM1}/entries?limit=0`,
      `/api/backfill/v1/cameras/${CAM1}/entries?limit=${entriesPageMax + 1}`,
      `/api/backfill/v1/cameras/${CAM1}/entries?afterMs=-2`,
      `/api/backfill/v1/cameras/${CAM1}/entries?afterMs=1&afterMs=2`,
      `/api/backfill/v1/cameras/${CAM1}/entries?after=1`,
      `/api/backfill/v1/cameras/${CAM1}/blocks/x`,
      `/api/backfill/v1/cameras/${CAM1}/blocks/${BASE}?fromMs=5&toMs=4`,
      `/api/backfill/v1/cameras/${CAM1}/blocks/${BASE}?fromMs=1.5`,
    ]) {
      const res = await get(source.url, path);
      assert.equal(res.status, 400, path);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      const body = (await res.json()) as { type: string; detail: string };
      assert.equal(body.type, 'urn:twinrec:problem:bad-request', path);
      assert.ok(body.detail.length > 0);
    }
    await assert.rejects(client(source.url).entries('NOT-A-GUID', -1, 10), RangeError);
    await assert.rejects(client(source.url).entries(CAM1, -1, entriesPageMax + 1), RangeError);
  });

  it('refuses a wrong secret with 401, and the client says so without repeating any secret', async () => {
    const res = await get(source.url, '/api/backfill/v1/cameras', 'not-the-secret-at-all');
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { type: string }).type, 'urn:twinrec:problem:unauthorized');
    const noAuth = await fetch(`${source.url}/api/backfill/v1/cameras/${CAM1}/blocks/${BASE}`);
    assert.equal(noAuth.status, 401);
    const err = await rejectsWith(client(source.url, { secret: 'not-the-secret-at-all' }).fetchBlock({ cameraId: CAM1, peerBlockStartMs: BASE, fromMs: 0, toMs: frameTimeMsMax }), PeerUnauthorizedError);
    assert.equal(err.status, 401);
    assert.ok(!err.message.includes('not-the-secret-at-all') && !err.message.includes(SECRET));
  });

  it('corrupts the next N blocks in transit on request: the client rejects them by checksum, then fetches fine', async () => {
    const peer = client(source.url);
    const record = cam1Content[5] as IndexRecord & { op: 'block' };
    const ask = (): Promise<unknown> => peer.fetchBlock({ cameraId: CAM1, peerBlockStartMs: record.startMs, fromMs: 0, toMs: frameTimeMsMax });
    const set = await fetch(`${source.url}/api/v1/testing/backfill`, { method: 'POST', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' }, body: JSON.stringify({ corruptBlocks: 2 }) });
    assert.equal(set.status, 200);
    assert.deepEqual(await set.json(), { corruptBlocks: 2 });
    for (let n = 0; n < 2; n += 1) {
      const err = await rejectsWith(ask(), TransferChecksumError);
      assert.equal(err.expectedSha256, record.sha256, 'the header carries the sha of what should have arrived');
      assert.notEqual(err.actualSha256, record.sha256);
    }
    const block = (await ask()) as { sha256: string };
    assert.equal(block.sha256, record.sha256);

    const bad = await fetch(`${source.url}/api/v1/testing/backfill`, { method: 'POST', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' }, body: JSON.stringify({ corruptBlocks: 1001 }) });
    assert.equal(bad.status, 400);
  });

  it('serves the fault switch only with fault injection on', async () => {
    const quiet = await startSource(storage, false);
    const res = await fetch(`${quiet.url}/api/v1/testing/backfill`, { method: 'POST', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' }, body: JSON.stringify({ corruptBlocks: 1 }) });
    assert.equal(res.status, 404);
    const block = await client(quiet.url).fetchBlock({ cameraId: CAM2, peerBlockStartMs: BASE, fromMs: 0, toMs: frameTimeMsMax });
    assert.equal(block.frameCount, 10);
  });

  it('sends a whole block with its index entry’s frames, unchecked by decoding: the target refuses one the entry misdescribes', async () => {
    const own = await newStorage();
    const good = (await writeBlock(own, CAM1, BASE)) as IndexRecord & { op: 'block' };
    const misdescribed = (await writeBlock(own, CAM1, BASE + 10_000)) as IndexRecord & { op: 'block' };
    // The file matches the entry's SHA-256, but the entry says 9 frames ending at 0.8 s: the source no longer decodes a whole block to find out.
    await appendRecords(own, CAM1, [good, { ...misdescribed, frameCount: 9, endMs: BASE + 10_800 }]);
    const misled = await startSource(new FolderStorage(own));
    const peer = client(misled.url);
    const res = await get(misled.url, `/api/backfill/v1/cameras/${CAM1}/blocks/${BASE + 10_000}`);
    assert.equal(res.status, 200);
    assert.deepEqual([res.headers.get(blockHeaderNames.frameCount), res.headers.get(blockHeaderNames.lastFrameMs), res.headers.get(blockHeaderNames.sha256)], ['9', String(BASE + 10_800), misdescribed.sha256]);
    await res.arrayBuffer();
    const refused = await rejectsWith(peer.fetchBlock({ cameraId: CAM1, peerBlockStartMs: BASE + 10_000, fromMs: 0, toMs: frameTimeMsMax }), TransferInvalidError);
    assert.match(refused.message, /10 frames, the headers say 9/);
    // A slice of it is cut and decoded on the source, so its headers say what it holds.
    const slice = await peer.fetchBlock({ cameraId: CAM1, peerBlockStartMs: BASE + 10_000, fromMs: BASE + 10_500, toMs: BASE + 10_850 });
    assert.deepEqual([slice.firstFrameMs, slice.lastFrameMs, slice.frameCount], [BASE + 10_500, BASE + 10_800, 4]);
    assert.equal((await peer.fetchBlock({ cameraId: CAM1, peerBlockStartMs: BASE, fromMs: 0, toMs: frameTimeMsMax })).sha256, good.sha256);
  });

  it('sends a whole block with its index digest unhashed, which the target checks; asked for again, a block whose file no longer matches the index is 500 block-corrupt', async () => {
    const own = await newStorage();
    const records = [await writeBlock(own, CAM1, BASE), await writeBlock(own, CAM1, BASE + 10_000)];
    await appendRecords(own, CAM1, records);
    const path = blockPath(own, CAM1, BASE);
    const bytes = await readFile(path);
    // Bit rot on the source's disk, in a frame's payload and its CRC alike (so the frames still decode).
    const rotten = Buffer.concat([blockHeader(10), ...Array.from({ length: 10 }, (_, k) => encodeFrameRecord(BASE + k * 100, Buffer.from(payloadOf(CAM1, BASE + k * 100).toString('latin1').replace('jpeg', 'jpEg'), 'latin1')))]);
    assert.equal(rotten.length, bytes.length);
    await writeFile(path, rotten);
    const corrupt = await startSource(new FolderStorage(own));
    const peer = client(corrupt.url);
    const whole = { cameraId: CAM1, peerBlockStartMs: BASE, fromMs: BASE, toMs: BASE + 900 };
    // First: the bytes as read, with the digest the index holds: the target's hash tells them apart…
    const first = await rejectsWith(peer.fetchBlock(whole), TransferChecksumError);
    assert.equal(first.expectedSha256, (records[0] as { sha256: string }).sha256);
    // …and a target leaving the hash to its storage gets that digest, which the bytes do not have.
    const unhashed = await rejectsWith(client(corrupt.url).fetchBlock({ ...whole, hashOnArrival: false }), PeerBlockCorruptError);
    assert.equal(unhashed.status, 500, 'asked for again: this time the source hashes its copy and owns up');
    const again = await rejectsWith(peer.fetchBlock(whole), PeerBlockCorruptError);
    assert.equal(again.status, 500);
    // A slice is checked against the index before it is cut, the first time already.
    const slice = await startSource(new FolderStorage(own));
    await rejectsWith(client(slice.url).fetchBlock({ ...whole, fromMs: BASE + 200 }), PeerBlockCorruptError);
    const fine = await peer.fetchBlock({ cameraId: CAM1, peerBlockStartMs: BASE + 10_000, fromMs: 0, toMs: frameTimeMsMax });
    assert.equal(fine.sha256, (records[1] as { sha256: string }).sha256);
    const unchecked = await client(slice.url).fetchBlock({ cameraId: CAM1, peerBlockStartMs: BASE, fromMs: 0, toMs: frameTimeMsMax, hashOnArrival: false });
    assert.equal(unchecked.sha256, (records[0] as { sha256: string }).sha256, 'not hashed on arrival: the digest is the index’s, for the caller to check');
    assert.notEqual(sha256Hex(unchecked.bytes), unchecked.sha256);
  });

  it(`reads at most ${sourceBlockReadsMax} blocks at once: one more is 503 busy with Retry-After`, async () => {
    const peer = client(source.url);
    storage.holdReads();
    const ask = (k: number): Promise<{ sha256: string }> => peer.fetchBlock({ cameraId: CAM1, peerBlockStartMs: (cam1Content[k] as IndexRecord).startMs, fromMs: 0, toMs: frameTimeMsMax });
    const held = Array.from({ length: sourceBlockReadsMax }, (_, k) => ask(k));
    try {
      for (let wait = 0; storage.readsWaiting < sourceBlockReadsMax; wait += 1) {
        assert.ok(wait < 500, 'the held reads never arrived');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const err = await rejectsWith(ask(sourceBlockReadsMax), PeerUnavailableError);
      assert.equal(err.status, 503);
      assert.equal(err.retryAfterMs, 1000);
    } finally {
      storage.releaseReads();
    }
    const done = await Promise.all(held);
    assert.deepEqual(done.map((b) => b.sha256), cam1Content.slice(0, sourceBlockReadsMax).map((r) => (r as { sha256: string }).sha256));
    // The slots are free again.
    assert.equal((await ask(sourceBlockReadsMax)).sha256, (cam1Content[sourceBlockReadsMax] as { sha256: string }).sha256);
  });

  it('reports a source that went away, or never answers, as unavailable', async () => {
    const gone = await startSource(storage);
    await client(gone.url).listCameras();
    await stop(gone.server);
    const err = await rejectsWith(client(gone.url).fetchBlock({ cameraId: CAM1, peerBlockStartMs: BASE, fromMs: 0, toMs: frameTimeMsMax }), PeerUnavailableError);
    assert.equal(err.status, null);
    assert.match(err.message, /connection refused/);
    await rejectsWith(client(`http://127.0.0.1:${await closedPort()}`).listCameras(), PeerUnavailableError);

    // Accepts the connection, never answers.
    const sockets: Socket[] = [];
    const mute = createTcpServer((socket) => void sockets.push(socket));
    mute.listen(0, '127.0.0.1');
    await once(mute, 'listening');
    cleanups.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => mute.close(() => resolve()));
    });
    const startedMs = performance.now();
    const timeout = await rejectsWith(client(`http://127.0.0.1:${(mute.address() as { port: number }).port}`, { timeoutMs: 300 }).entries(CAM1, -1, 10), PeerUnavailableError);
    assert.match(timeout.message, /timed out after 300 ms/);
    assert.ok(performance.now() - startedMs < 5_000);
  });

  it('keeps the connection between requests, and a finished request’s timeout never cuts it', async () => {
    const connections: Socket[] = [];
    const counted = await startSource(storage);
    counted.server.on('connection', (socket: Socket) => void connections.push(socket));
    const peer = client(counted.url, { timeoutMs: 200 });
    const record = cam1Content[2] as IndexRecord & { op: 'block' };
    // undici (JSON; blocks from an https peer) hands a kept connection to the next request one
    // event-loop turn after an answer ended (client-h1.js: "to make sure that non-spec compliant
    // servers are not closing the connection"); a request sent sooner gets another connection,
    // up to the client's bound.
    const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    const ask = async (): Promise<{ sha256: string }> => {
      await turn();
      return peer.fetchBlock({ cameraId: CAM1, peerBlockStartMs: record.startMs, fromMs: 0, toMs: frameTimeMsMax });
    };
    assert.equal((await ask()).sha256, record.sha256);
    await new Promise((resolve) => setTimeout(resolve, 300)); // past the first request's timeout
    assert.equal((await ask()).sha256, record.sha256);
    await turn();
    await rejectsWith(peer.fetchBlock({ cameraId: CAM1, peerBlockStartMs: BASE + 1, fromMs: 0, toMs: frameTimeMsMax }), PeerBlockMissingError);
    assert.equal((await ask()).sha256, record.sha256, 'a problem answer leaves the connection usable');
    assert.equal(connections.length, 1, 'one connection served every block request');
    // Blocks from an http peer go through raw-http.ts, JSON through undici: a connection each.
    await turn();
    assert.equal((await peer.listCameras()).cameraIds.length, 2);
    await turn();
    assert.equal((await peer.listCameras()).cameraIds.length, 2);
    assert.equal((await ask()).sha256, record.sha256);
    assert.equal(connections.length, 2, 'one kept connection for the blocks, one for the JSON requests');
  });

  it('enforces the block size limit, and refuses a block answer without a content-length before reading it', async () => {
    const record = cam1Content[0] as IndexRecord & { op: 'block' };
    const ask = { cameraId: CAM1, peerBlockStartMs: record.startMs, fromMs: 0, toMs: frameTimeMsMax };
    const declared = await rejectsWith(client(source.url, { blockBytesMax: record.bytes - 1 }).fetchBlock(ask), TransferInvalidError);
    assert.match(declared.message, /over the limit/);
    assert.equal((await client(source.url, { blockBytesMax: record.bytes }).fetchBlock(ask)).sha256, record.sha256, 'exactly the limit is accepted');

    // A source that streams without content-length (the contract requires one) and does not stop.
    let written = 0;
    const endless = await startRawSource((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', [blockHeaderNames.sha256]: 'a'.repeat(64), [blockHeaderNames.firstFrameMs]: '1', [blockHeaderNames.lastFrameMs]: '1', [blockHeaderNames.frameCount]: '1' });
      const chunk = Buffer.alloc(64 * 1024, 7);
      const pump = (): void => {
        while (written < 64 * 1024 * 1024 && res.write(chunk)) written += chunk.length;
        if (written < 64 * 1024 * 1024) res.once('drain', pump);
        else res.end();
      };
      pump();
    });
    const streamed = await rejectsWith(client(endless, { blockBytesMax: 1024 * 1024 }).fetchBlock(ask), TransferInvalidError);
    assert.match(streamed.message, /without a content-length/);
    assert.ok(written < 16 * 1024 * 1024, `the client stopped reading early (the source wrote ${written} bytes)`);
  });

  it('takes exactly content-length bytes: a body cut short is a broken connection, bytes past it fail the checksum', async () => {
    const startMs = BASE + 80_000;
    const bytes = blockBytes(CAM1, startMs, 10);
    const whole = { cameraId: CAM1, peerBlockStartMs: startMs, fromMs: 0, toMs: frameTimeMsMax };
    /** A source written by hand on a raw socket: declares `declaredBytes`, sends `sentBytes` of the block, then closes or not. */
    const handWritten = (declaredBytes: number, sentBytes: number, close: boolean): Promise<string> => {
      const sockets: Socket[] = [];
      const server = createTcpServer((socket) => {
        sockets.push(socket);
        socket.on('error', () => undefined);
        socket.once('data', () => {
          const head = [`HTTP/1.1 200 OK`, 'content-type: application/octet-stream', `content-length: ${declaredBytes}`, `${blockHeaderNames.sha256}: ${sha256Hex(bytes)}`, `${blockHeaderNames.firstFrameMs}: ${startMs}`, `${blockHeaderNames.lastFrameMs}: ${startMs + 900}`, `${blockHeaderNames.frameCount}: 10`];
          socket.write(`${head.join('\r\n')}\r\n\r\n`);
          socket.write(bytes.subarray(0, sentBytes));
          if (close) socket.end();
        });
      });
      server.listen(0, '127.0.0.1');
      cleanups.push(async () => {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      });
      return once(server, 'listening').then(() => `http://127.0.0.1:${(server.address() as { port: number }).port}`);
    };
    const short = await rejectsWith(client(await handWritten(bytes.length, bytes.length - 100, true)).fetchBlock(whole), PeerUnavailableError);
    assert.match(short.message, new RegExp(`broke off after ${bytes.length - 100} of ${bytes.length} bytes`));
    const stalled = await rejectsWith(client(await handWritten(bytes.length, bytes.length - 100, false), { timeoutMs: 300 }).fetchBlock(whole), PeerUnavailableError);
    assert.match(stalled.message, /timed out after 300 ms/);
    const long = await rejectsWith(client(await handWritten(bytes.length - 100, bytes.length, true)).fetchBlock(whole), TransferChecksumError);
    assert.equal(long.expectedSha256, sha256Hex(bytes));
    assert.equal(long.actualSha256, sha256Hex(bytes.subarray(0, bytes.length - 100)), 'only content-length bytes were taken');
    const honest = await client(await handWritten(bytes.length, bytes.length, false)).fetchBlock(whole);
    assert.ok(honest.bytes.equals(bytes));

    // The caller's signal stops a block mid-body, with the signal's reason.
    const stop = new AbortController();
    const pending = client(await handWritten(bytes.length, bytes.length - 100, false)).fetchBlock({ ...whole, signal: stop.signal });
    setTimeout(() => stop.abort(new Error('the job paused')), 50);
    await assert.rejects(pending, /the job paused/);
  });

  it('refuses a block that does not match its headers or the range asked for', async () => {
    const startMs = BASE + 70_000;
    const bytes = blockBytes(CAM1, startMs, 10);
    const lying = (headers: Record<string, string>, body: Buffer = bytes): Promise<string> =>
      startRawSource((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length), [blockHeaderNames.sha256]: sha256Hex(body), [blockHeaderNames.firstFrameMs]: String(startMs), [blockHeaderNames.lastFrameMs]: String(startMs + 900), [blockHeaderNames.frameCount]: '10', ...headers });
        res.end(body);
      });
    const whole = { cameraId: CAM1, peerBlockStartMs: startMs, fromMs: 0, toMs: frameTimeMsMax };
    await rejectsWith(client(await lying({ [blockHeaderNames.frameCount]: '9' })).fetchBlock(whole), TransferInvalidError);
    await rejectsWith(client(await lying({ [blockHeaderNames.lastFrameMs]: String(startMs + 800) })).fetchBlock(whole), TransferInvalidError);
    await rejectsWith(client(await lying({})).fetchBlock({ ...whole, fromMs: startMs + 100 }), TransferInvalidError);
    await rejectsWith(client(await lying({})).fetchBlock({ ...whole, toMs: startMs + 800 }), TransferInvalidError);
    await rejectsWith(client(await lying({ [blockHeaderNames.sha256]: 'zz' })).fetchBlock(whole), TransferInvalidError);
    const torn = bytes.subarray(0, bytes.length - 5);
    await rejectsWith(client(await lying({}, torn)).fetchBlock(whole), TransferInvalidError);
    const honest = await client(await lying({})).fetchBlock(whole);
    assert.ok(honest.bytes.equals(bytes));
    // Not hashed on arrival, the frame records are still walked and matched with the headers and the range.
    const unhashed = { ...whole, hashOnArrival: false } as const;
    await rejectsWith(client(await lying({}, torn)).fetchBlock(unhashed), TransferInvalidError);
    await rejectsWith(client(await lying({ [blockHeaderNames.frameCount]: '9' })).fetchBlock(unhashed), TransferInvalidError);
    await rejectsWith(client(await lying({})).fetchBlock({ ...unhashed, toMs: startMs + 800 }), TransferInvalidError);
    // A payload damaged on the way passes (its CRC is not computed); its digest is left to the caller, and no longer matches.
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 1] = (damaged.at(-1) as number) ^ 1;
    const left = await client(await lying({ [blockHeaderNames.sha256]: sha256Hex(bytes) }, damaged)).fetchBlock(unhashed);
    assert.equal(left.sha256, sha256Hex(bytes));
    assert.notEqual(sha256Hex(left.bytes), left.sha256);
    await rejectsWith(client(await lying({ [blockHeaderNames.sha256]: sha256Hex(bytes) }, damaged)).fetchBlock(whole), TransferChecksumError);
  });

  it('refuses JSON answers that break the contract', async () => {
    const answering = (body: unknown, status = 200): Promise<string> =>
      startRawSource((_req, res) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
        res.end(text);
      });
    const entry = (startMs: number): object => ({ startMs, endMs: startMs + 900, fps: 10, frameCount: 10, bytes: 500, sha256: 'b'.repeat(64) });
    const unsorted = await answering({ v: 1, cameraId: CAM1, entries: [entry(BASE + 1_000), entry(BASE)], next: null, sealedEndMs: BASE + 1_900 });
    await rejectsWith(client(unsorted).entries(CAM1, -1, 10), PeerAnswerError);
    const otherCamera = await answering({ v: 1, cameraId: CAM2, entries: [], next: null, sealedEndMs: null });
    await rejectsWith(client(otherCamera).entries(CAM1, -1, 10), PeerAnswerError);
    const tooMany = await answering({ v: 1, cameraId: CAM1, entries: [entry(BASE), entry(BASE + 1_000)], next: null, sealedEndMs: BASE + 1_900 });
    await rejectsWith(client(tooMany).entries(CAM1, -1, 1), PeerAnswerError);
    const notAfter = await answering({ v: 1, cameraId: CAM1, entries: [entry(BASE)], next: null, sealedEndMs: BASE + 900 });
    await rejectsWith(client(notAfter).entries(CAM1, BASE, 10), PeerAnswerError);
    const notJson = await startRawSource((_req, res) => res.end('<html>'));
    await rejectsWith(client(notJson).listCameras(), PeerAnswerError);
    const teapot = await answering({ type: 'urn:twinrec:problem:x', title: 'x', status: 418 }, 418);
    assert.equal((await rejectsWith(client(teapot).listCameras(), PeerAnswerError)).status, 418);
    // 404 from an agent without the backfill routes is not a missing block.
    const noRoutes = await answering({ type: 'urn:twinrec:problem:not-found', title: 'Not found', status: 404 }, 404);
    await rejectsWith(client(noRoutes).fetchBlock({ cameraId: CAM1, peerBlockStartMs: BASE, fromMs: 0, toMs: 1 }), PeerAnswerError);
  });

  it('refuses a bad peer URL and bad limits before sending anything', () => {
    assert.throws(() => new BackfillPeerClient({ baseUrl: 'ftp://127.0.0.1:1', secret: SECRET }), RangeError);
    assert.throws(() => new BackfillPeerClient({ baseUrl: `http://user:${SECRET}@127.0.0.1:1`, secret: SECRET }), RangeError);
    assert.throws(() => new BackfillPeerClient({ baseUrl: 'http://127.0.0.1:1', secret: SECRET, blockBytesMax: 64 * 1024 * 1024 + 1 }), RangeError);
    assert.throws(() => new BackfillPeerClient({ baseUrl: 'http://127.0.0.1:1', secret: '' }), RangeError);
  });
});

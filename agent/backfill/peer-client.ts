// The target side of the backfill transfer (contracts/backfill-v1.ts): lists the peer's cameras
// and blocks and fetches a block, trusting nothing it receives. Every JSON answer is checked
// against the contract; every block is bounded in size, received into one buffer of its declared
// length while it is hashed, compared with the source's SHA-256, then decoded (every frame's
// CRC-32) and compared with what the headers and the request say. The backfill job leaves the
// SHA-256 to the storage's read-back (`hashOnArrival: false`), which checks the same digest over
// the file as written: once on the target, not twice.
// Failures are typed, so the backfill job can tell "retry later" from "skip this block".
//
// It speaks undici's dispatcher API (the handler's onData sees each piece of the body as the
// HTTP parser cut it from the socket's read) rather than fetch: a block is megabytes, and fetch's
// web streams, chunk arrays and the concatenation after them cost the target agent's one JS
// thread more than the hashing. Each piece is hashed and copied once into a pooled buffer of the
// block's length (buffer-pool.ts), which goes back to the pool with FetchedBlock.release. https
// peers go through shared/tls/pinned-fetch.ts's dispatcher: nothing is written to a peer that
// shows another certificate than the pinned one.
// Blocks from an http peer (loopback, labs) go through raw-http.ts instead: the kernel reads the
// body straight into the pooled buffer. Through undici every socket read lands in a fresh
// 64-KiB buffer that is then copied twice (into llhttp's memory, into the block's buffer); for
// 2 GB of blocks on a 2-core lab that was 3 to 5 CPU seconds on the target instead of 2.2, and
// 25 to 40 % less throughput (V8's collections of those buffers, the copies, the page faults).
import { createHash } from 'node:crypto';
import { Agent, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { decodeBlock } from '../../media-store/format.js';
import { blockFrameSpan as walkFrames, type FrameSpan } from '../storage/block-frames.js';
import { BufferPool } from '../storage/buffer-pool.js';
import { RawHttpClient, type AnswerHead as RawAnswerHead, type BodyPlan } from './raw-http.js';
import { policyLimits } from '../../contracts/cluster-policy-v1.js';
import { pinnedDispatcher } from '../../shared/tls/pinned-fetch.js';
import { problemTypeUri } from '../../shared/problem.js';
import { describeIssues } from '../shared/describe-issues.js';
import { RequestFailure, requestFailureReason } from '../shared/request-failure.js';
import {
  blockBytesMax as contractBlockBytesMax,
  entriesPageMax,
  jsonAnswerBytesMax,
  backfillPathPrefix,
  requestTimeoutMsSuggested,
  blockHeaderNames,
  blockHeadersSchema,
  cameraIdSchema,
  cameraListSchema,
  entriesPageSchema,
  frameTimeMsMax,
  type BlockEntry,
  type CameraList,
  type EntriesPage,
} from '../../contracts/backfill-v1.js';

/** Any failure of a backfill request; `status` is the peer's HTTP status, null if none arrived. */
export class BackfillPeerError extends Error {
  override readonly name: string = 'BackfillPeerError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

/** The peer could not be reached, did not answer in time, or is busy (503): retry later. */
export class PeerUnavailableError extends BackfillPeerError {
  override readonly name: string = 'PeerUnavailableError';
  constructor(
    message: string,
    status: number | null,
    /** From a 503's Retry-After; null when the peer did not say. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message, status);
  }
}

/** The peer refused the cluster secret (401): the two agents are configured with different secrets. */
export class PeerUnauthorizedError extends BackfillPeerError {
  override readonly name: string = 'PeerUnauthorizedError';
}

/** The peer no longer holds the block (404 `no-block`, retention), or none of its frames is in the range (416). */
export class PeerBlockMissingError extends BackfillPeerError {
  override readonly name: string = 'PeerBlockMissingError';
}

/** The peer's own copy of the block does not match its index (500 `block-corrupt`): skip it and report. */
export class PeerBlockCorruptError extends BackfillPeerError {
  override readonly name: string = 'PeerBlockCorruptError';
}

/** The peer answered something the contract does not allow (a status, a malformed or invalid document). */
export class PeerAnswerError extends BackfillPeerError {
  override readonly name: string = 'PeerAnswerError';
}

/** The block's bytes do not hash to the SHA-256 the peer sent: damaged in transit, fetch it again. */
export class TransferChecksumError extends BackfillPeerError {
  override readonly name: string = 'TransferChecksumError';
  constructor(
    readonly expectedSha256: string,
    readonly actualSha256: string,
  ) {
    super(`the block's SHA-256 is ${actualSha256}, the peer sent ${expectedSha256}`, 200);
  }
}

/** The block is not what was asked for: too large, not a clean block, or frames that differ from its headers or lie outside the range. */
export class TransferInvalidError extends BackfillPeerError {
  override readonly name: string = 'TransferInvalidError';
}

export interface BackfillPeerClientOptions {
  /** The peer agent's local API, e.g. `http://10.0.0.12:8741` (a path prefix is kept). */
  readonly baseUrl: string;
  /** The cluster secret, sent as a Bearer token; never logged nor put in an error. */
  readonly secret: string;
  /** Bound on one request, answer included. Default: the contract's suggestions (15 s for JSON, 120 s for a block). Connecting is bounded by the smaller of this and 10 s. */
  readonly timeoutMs?: number;
  /** Largest block accepted, at most the contract's 64 MiB (the default). */
  readonly blockBytesMax?: number;
  /**
   * The peer API certificate's SHA-256 fingerprint, asked for on each request to an https
   * baseUrl (agent.yaml's pin, else the peer's last heartbeat's); null: not known yet, the
   * request is not sent (PeerUnavailableError). A changed fingerprint drops the connections made
   * under the old one.
   */
  readonly peerFingerprint?: () => string | null;
}

/**
 * A block as it arrived and was checked: its frames as the headers say and in the range asked
 * for, and, unless the request said `hashOnArrival: false`, hashed as it arrived, equal to the
 * peer's SHA-256 and decoded cleanly with every frame's CRC-32 checked. Not hashed, only its
 * frame records are walked: the caller's SHA-256 check covers every byte, the CRCs included
 * (the storage's `fill(…, { checkFrameCrcs: false })`, storage-adapter.ts FillOptions).
 */
export interface FetchedBlock {
  /** A whole block file (header and frame records), ready to be written as is. */
  readonly bytes: Buffer;
  /**
   * The peer's SHA-256 of `bytes`. Checked against them as they arrived, unless the request
   * said `hashOnArrival: false`: then the caller checks it (the storage's fill hashes the file
   * it reads back after writing, which covers the transfer too).
   */
  readonly sha256: string;
  readonly fps: number;
  readonly firstFrameMs: number;
  readonly lastFrameMs: number;
  readonly frameCount: number;
  /**
   * Gives `bytes` back to the client for the next block (a block is megabytes; see
   * buffer-pool.ts), once nothing refers to them any more (written and read back). Idempotent;
   * a block never released is simply collected.
   */
  readonly release: () => void;
}

export interface FetchBlockRequest {
  readonly cameraId: string;
  /** The peer's block (its first frame time, as its entries list it). */
  readonly peerBlockStartMs: number;
  /** Only frames with fromMs <= time <= toMs are wanted. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Aborts the request (the job pauses or stops); the request then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /**
   * Hash the body as it arrives, match it with the peer's SHA-256 and check every frame's CRC-32
   * (default true). False for a caller that checks the digest itself over the same bytes later,
   * as the backfill job does through the storage's read-back: one SHA-256 pass on the target
   * instead of two, and no CRC pass (the digest covers those bytes too).
   */
  readonly hashOnArrival?: boolean;
}

/** A camera's whole list of blocks on the peer, read page by page. */
export interface PeerEntries {
  readonly entries: readonly BlockEntry[];
  /** Last frame time of the peer's newest block, as the last page read said. */
  readonly sealedEndMs: number | null;
  /** The peer holds more than `entriesMax` blocks: only the oldest `entriesMax` are listed. */
  readonly truncated: boolean;
}

/** Bound on a problem document read from the peer. */
const problemBytesMax = 64 * 1024;
const retryAfterMsMax = 60_000;
/** Bound on connecting to the peer (fetch's, undici's, default), within the request's own timeout. */
const connectTimeoutMsMax = 10_000;
/** Connections to the peer at once: as many block transfers as a policy allows, and the audit's JSON requests; more wait for one, within their timeout. */
const connectionsMax = policyLimits.backfillTransfersMax + 4;

/**
 * A client of the peer agent's backfill source.
 *
 * @example
 *   const peer = new BackfillPeerClient({ baseUrl: 'http://10.0.0.12:8741', secret });
 *   const { entries } = await peer.allEntries(cameraId, 100_000);
 *   const block = await peer.fetchBlock({ cameraId, peerBlockStartMs: entries[0].startMs, fromMs: 0, toMs: frameTimeMsMax });
 *   block.sha256 // verified: equal to what the peer sent, and the bytes decode cleanly
 */
export class BackfillPeerClient {
  private readonly baseUrl: URL;
  private readonly authorization: string;
  private readonly timeoutMs: { readonly json: number; readonly block: number };
  private readonly connectTimeoutMs: number;
  private readonly blockBytesMax: number;
  /** Buffers blocks are received into, reused once released. */
  private readonly buffers = new BufferPool();
  /** Keeps connections to the peer open between requests (idle ones never keep the process alive); for https, pinned to `pinned`. */
  private dispatcher: Dispatcher | null;
  private pinned: string | null = null;
  private readonly peerFingerprint: () => string | null;
  /** Blocks from an http peer: read by the kernel straight into a pooled buffer (raw-http.ts). */
  private readonly raw: RawHttpClient | null;

  constructor(options: BackfillPeerClientOptions) {
    this.baseUrl = peerBaseUrl(options.baseUrl);
    if (options.secret.length === 0) throw new RangeError('the cluster secret is empty');
    this.authorization = `Bearer ${options.secret}`;
    const timeoutMs = options.timeoutMs;
    if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= 3_600_000)) throw new RangeError('timeoutMs must be a whole number of ms from 1 to 3600000');
    this.timeoutMs = { json: timeoutMs ?? requestTimeoutMsSuggested.json, block: timeoutMs ?? requestTimeoutMsSuggested.block };
    this.connectTimeoutMs = Math.min(connectTimeoutMsMax, this.timeoutMs.json, this.timeoutMs.block);
    this.dispatcher = this.baseUrl.protocol === 'https:' ? null : new Agent({ connections: connectionsMax, connect: { timeout: this.connectTimeoutMs } });
    this.raw =
      this.baseUrl.protocol === 'https:'
        ? null
        : new RawHttpClient({ host: this.baseUrl.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(this.baseUrl.port || 80), hostHeader: this.baseUrl.host, connectTimeoutMs: this.connectTimeoutMs, idleConnectionsMax: connectionsMax, busyConnectionsMax: connectionsMax });
    this.peerFingerprint = options.peerFingerprint ?? (() => null);
    const blockBytesMax = options.blockBytesMax ?? contractBlockBytesMax;
    if (!(Number.isInteger(blockBytesMax) && blockBytesMax >= 1 && blockBytesMax <= contractBlockBytesMax)) throw new RangeError(`blockBytesMax must be a whole number from 1 to ${contractBlockBytesMax}`);
    this.blockBytesMax = blockBytesMax;
  }


  /** The peer's cameras (those with a folder in its storage), in id order. */
  async listCameras(signal?: AbortSignal): Promise<CameraList> {
    return this.getJson('/cameras', cameraListSchema, signal);
  }

  /** One page of the camera's blocks on the peer: those with startMs > afterMs (-1: from the oldest), at most `limit`. */
  async entries(cameraId: string, afterMs: number, limit: number, signal?: AbortSignal): Promise<EntriesPage> {
    checkCameraId(cameraId);
    if (!(Number.isSafeInteger(afterMs) && afterMs >= -1 && afterMs <= frameTimeMsMax)) throw new RangeError(`afterMs must be -1 or a frame time, not ${afterMs}`);
    if (!(Number.isInteger(limit) && limit >= 1 && limit <= entriesPageMax)) throw new RangeError(`limit must be from 1 to ${entriesPageMax}, not ${limit}`);
    const page = await this.getJson(`/cameras/${cameraId}/entries?afterMs=${afterMs}&limit=${limit}`, entriesPageSchema, signal);
    // The schema checks the page in itself; these check it answers this request.
    if (page.cameraId !== cameraId) throw new PeerAnswerError(`asked for camera ${cameraId}, the peer answered about ${page.cameraId}`, 200);
    if (page.entries.length > limit) throw new PeerAnswerError(`asked for at most ${limit} entries, the peer sent ${page.entries.length}`, 200);
    const first = page.entries[0];
    if (first !== undefined && first.startMs <= afterMs) throw new PeerAnswerError(`asked for entries after ${afterMs}, the peer sent one at ${first.startMs}`, 200);
    return page;
  }

  /**
   * Every block the peer holds for the camera, oldest first, at most `entriesMax` (then
   * `truncated`). Pages until the peer says there is no more; each page starts after the last,
   * so this makes at most `entriesMax` requests.
   */
  async allEntries(cameraId: string, entriesMax: number, signal?: AbortSignal): Promise<PeerEntries> {
    if (!(Number.isInteger(entriesMax) && entriesMax >= 1 && entriesMax <= 100_000_000)) throw new RangeError(`entriesMax must be from 1 to 100000000, not ${entriesMax}`);
    const entries: BlockEntry[] = [];
    let afterMs = -1;
    let sealedEndMs: number | null = null;
    for (;;) {
      const limit = Math.min(entriesPageMax, entriesMax - entries.length);
      const page = await this.entries(cameraId, afterMs, limit, signal);
      entries.push(...page.entries);
      sealedEndMs = page.sealedEndMs;
      if (page.next === null) return { entries, sealedEndMs, truncated: false };
      if (entries.length >= entriesMax) return { entries, sealedEndMs, truncated: true };
      afterMs = page.next; // > afterMs: the schema ties it to the last entry, which lies after afterMs
    }
  }

  /**
   * Fetches the frames of the peer's block `peerBlockStartMs` with fromMs <= time <= toMs, as a
   * block file, and verifies it. Throws `TransferChecksumError` (damaged in transit; only when
   * hashing on arrival),
   * `TransferInvalidError` (too large, not a clean block, or not what was asked for),
   * `PeerBlockMissingError`, `PeerBlockCorruptError`, `PeerUnavailableError`,
   * `PeerUnauthorizedError` or `PeerAnswerError`.
   */
  async fetchBlock(request: FetchBlockRequest): Promise<FetchedBlock> {
    const { cameraId, peerBlockStartMs, fromMs, toMs, signal } = request;
    const hashing = request.hashOnArrival ?? true;
    checkCameraId(cameraId);
    for (const [name, ms] of [['peerBlockStartMs', peerBlockStartMs], ['fromMs', fromMs], ['toMs', toMs]] as const) {
      if (!(Number.isSafeInteger(ms) && ms >= 0 && ms <= frameTimeMsMax)) throw new RangeError(`${name} must be a frame time, not ${ms}`);
    }
    if (fromMs > toMs) throw new RangeError(`fromMs ${fromMs} is after toMs ${toMs}`);
    const path = `/cameras/${cameraId}/blocks/${peerBlockStartMs}?fromMs=${fromMs}&toMs=${toMs}`;
    const arrived = this.raw !== null ? await this.requestBlockRaw(this.raw, path, signal, hashing) : await this.get(path, 'block', signal, (head) => this.blockReader(head, hashing));
    const { headers, bytes, sha256 } = arrived;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.buffers.give(bytes);
    };
    try {
      return { ...checkArrived(bytes, sha256, headers, request), release };
    } catch (err) {
      release();
      throw err;
    }
  }

  /**
   * `fetchBlock`'s GET to an http peer through raw-http.ts: the body read by the kernel into a
   * pooled buffer of its declared length and hashed piece by piece as it lands, with the same
   * checks, errors and bounds as the undici path (`get` and `blockReader`).
   */
  private async requestBlockRaw(raw: RawHttpClient, path: string, signal: AbortSignal | undefined, hashing: boolean): Promise<{ headers: BlockHeaders; bytes: Buffer; sha256: string | null }> {
    const timeoutMs = this.timeoutMs.block;
    const timeout = AbortSignal.timeout(timeoutMs);
    const aborts = signal === undefined ? timeout : AbortSignal.any([timeout, signal]);
    const hash = hashing ? createHash('sha256') : null;
    let body: { bytes: Buffer; headers: BlockHeaders } | null = null;
    let filled = 0;
    const plan = (head: RawAnswerHead): BodyPlan => {
      if (head.status !== 200) return { textBytesMax: problemBytesMax };
      const headers = blockAnswerHeaders((name) => head.headers.get(name));
      if (head.contentLength === null) throw new TransferInvalidError('a block answer without a content-length', 200);
      if (head.contentLength > this.blockBytesMax) throw new TransferInvalidError(`the block is ${head.contentLength} bytes, over the limit of ${this.blockBytesMax}`, 200);
      body = { bytes: this.buffers.take(head.contentLength), headers };
      return {
        into: body.bytes,
        onBytes: (bytes) => {
          hash?.update(bytes);
          filled += bytes.length;
        },
      };
    };
    const url = `${this.baseUrl.pathname.replace(/\/+$/, '')}${backfillPathPrefix}${path}`;
    try {
      const answer = await raw.get({ path: url, headers: { authorization: this.authorization, accept: 'application/octet-stream' }, signal: aborts, plan });
      if (answer.head.status !== 200) throw problemErrorOf(answer.head.status, (name) => answer.head.headers.get(name), answer.text);
      const received = body as { bytes: Buffer; headers: BlockHeaders } | null;
      if (received === null) throw new PeerAnswerError('a block answer without its body', 200);
      return { headers: received.headers, bytes: received.bytes, sha256: hash === null ? null : hash.digest('hex') };
    } catch (err) {
      const taken = body as { bytes: Buffer } | null;
      if (taken !== null) this.buffers.give(taken.bytes);
      if (signal?.aborted === true) throw signal.reason;
      if (err instanceof BackfillPeerError) throw err;
      if (timeout.aborted) throw new PeerUnavailableError(`the peer agent did not answer: timed out after ${timeoutMs} ms`, null);
      const reason = requestFailureReason(err instanceof RequestFailure ? err : { cause: err }, timeoutMs);
      if (taken !== null) throw new PeerUnavailableError(`the peer agent did not answer: the block's answer broke off after ${filled} of ${taken.bytes.length} bytes (${reason})`, null);
      throw new PeerUnavailableError(`the peer agent did not answer: ${reason}`, null);
    }
  }

  /**
   * Reads a block body into one pooled buffer of its declared length (content-length, which the
   * contract requires; at most `blockBytesMax`), hashing each piece as it arrives. The HTTP
   * parser ends the body at its content-length: bytes sent past it are not this body's (which
   * then fails its SHA-256), a body that ends short of it is a broken connection (retry later).
   * Not hashed unless `hashing` (sha256 null).
   */
  private blockReader(head: AnswerHead, hashing: boolean): BodyReader<{ headers: BlockHeaders; bytes: Buffer; sha256: string | null }> {
    const headers = blockAnswerHeaders(head.header);
    const declared = head.contentLength;
    if (declared === null) throw new TransferInvalidError('a block answer without a content-length', 200);
    if (declared > this.blockBytesMax) throw new TransferInvalidError(`the block is ${declared} bytes, over the limit of ${this.blockBytesMax}`, 200);
    const bytes = this.buffers.take(declared);
    const hash = hashing ? createHash('sha256') : null;
    let filled = 0;
    return {
      take: (chunk) => {
        // Never true (see above), checked all the same.
        if (chunk.length > declared - filled) throw new TransferInvalidError(`the block's body is longer than its content-length, ${declared} bytes`, 200);
        hash?.update(chunk);
        chunk.copy(bytes, filled);
        filled += chunk.length;
      },
      end: () => {
        if (filled !== declared) throw new RequestFailure(`the block's answer ended after ${filled} of ${declared} bytes`);
        return { headers, bytes, sha256: hash === null ? null : hash.digest('hex') };
      },
      failed: () => this.buffers.give(bytes),
      progress: () => `the block's answer broke off after ${filled} of ${declared} bytes`,
    };
  }

  private async getJson<S extends z.ZodType>(path: string, schema: S, signal: AbortSignal | undefined): Promise<z.infer<S>> {
    return this.get(path, 'json', signal, (head) => {
      const reader = textReader(head, jsonAnswerBytesMax, () => new PeerAnswerError(`an answer over ${jsonAnswerBytesMax} bytes`, 200));
      return {
        ...reader,
        end: () => {
          let body: unknown;
          try {
            body = JSON.parse(reader.end());
          } catch {
            throw new PeerAnswerError('an answer that is not JSON', 200);
          }
          const parsed = schema.safeParse(body);
          if (!parsed.success) throw new PeerAnswerError(`an answer that breaks the backfill contract: ${describeIssues(parsed.error.issues)}`, 200);
          return parsed.data as z.infer<S>;
        },
      };
    });
  }

  /**
   * One GET under the backfill prefix: a 200's body goes to the reader `read` makes of its head,
   * anything else becomes a typed error, and so does a failure to connect (within
   * `connectTimeoutMs`) or to answer in time (the whole request, answer read included, within the
   * kind's timeout). Redirects are not followed. An answer cut off (a reader's throw, a timeout,
   * the caller's signal) takes its connection with it, never left half read on a kept one.
   */
  private async get<T>(path: string, kind: 'json' | 'block', signal: AbortSignal | undefined, read: (head: AnswerHead) => BodyReader<T>): Promise<T> {
    const timeoutMs = this.timeoutMs[kind];
    const timeout = AbortSignal.timeout(timeoutMs);
    const aborts = signal === undefined ? timeout : AbortSignal.any([timeout, signal]);
    let answered: AnswerHead | null = null;
    let reader: BodyReader<T | BackfillPeerError> | null = null;
    try {
      const dispatcher = this.dispatcherFor();
      const request: Dispatcher.DispatchOptions = {
        origin: this.baseUrl.origin,
        path: `${this.baseUrl.pathname.replace(/\/+$/, '')}${backfillPathPrefix}${path}`,
        method: 'GET',
        headers: { authorization: this.authorization, accept: kind === 'json' ? 'application/json' : 'application/octet-stream' },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      };
      const answer = await dispatchGet(dispatcher, request, aborts, (head) => {
        answered = head;
        reader = head.status === 200 ? read(head) : problemReader(head);
        return reader;
      });
      if (answer instanceof BackfillPeerError) throw answer;
      return answer;
    } catch (err) {
      if (signal?.aborted === true) throw signal.reason;
      if (err instanceof BackfillPeerError) throw err;
      const head = answered as AnswerHead | null;
      // A problem answer whose document did not arrive: its status alone decides.
      if (head !== null && head.status !== 200) throw problemErrorOf(head.status, head.header, null);
      if (timeout.aborted) throw new PeerUnavailableError(`the peer agent did not answer: timed out after ${timeoutMs} ms`, null);
      const reason = requestFailureReason(err instanceof RequestFailure ? err : { cause: err }, timeoutMs);
      const progress = (reader as BodyReader<unknown> | null)?.progress?.();
      throw new PeerUnavailableError(`the peer agent did not answer: ${progress === undefined ? reason : `${progress} (${reason})`}`, null);
    }
  }

  /** The dispatcher for the peer: pinned to its fingerprint for https, or why there is none (nothing is sent then). */
  private dispatcherFor(): Dispatcher {
    if (this.baseUrl.protocol !== 'https:') return this.dispatcher as Dispatcher;
    const fingerprint = this.peerFingerprint();
    if (fingerprint === null) throw new PeerUnavailableError("the peer's API certificate is not known yet (agent.yaml peer.agentFingerprint, or a heartbeat from the peer that carries it); the cluster secret is not sent unpinned", null);
    if (this.dispatcher === null || this.pinned !== fingerprint) {
      // Connections made under the old fingerprint are dropped, requests on them fail.
      this.dispatcher?.destroy().catch(() => undefined);
      this.dispatcher = pinnedDispatcher(fingerprint, { connectTimeoutMs: this.connectTimeoutMs, connectionsMax });
      this.pinned = fingerprint;
    }
    return this.dispatcher;
  }
}

/** An answer's status and headers, as its body starts. */
interface AnswerHead {
  readonly status: number;
  /** A header by its lower-case name (repeated ones joined with ", "); undefined if absent. */
  readonly header: (name: string) => string | undefined;
  /** The declared body length; null when none is declared, or the body is chunked. */
  readonly contentLength: number | null;
}

/** Where an answer's body goes: each piece as it arrives, in order (a throw cuts the answer off), then `end` once it is whole. */
interface BodyReader<T> {
  readonly take: (chunk: Buffer) => void;
  readonly end: () => T;
  /** The answer failed after the reader was made (its buffer can go back). */
  readonly failed?: () => void;
  /** How far the body got, for the error of an answer that broke off. */
  readonly progress?: () => string;
}

/**
 * A GET through undici's dispatcher API: its handler hands each piece of the body to the reader
 * synchronously, as the HTTP parser cut it from the socket's read, without streams or queues in
 * between. Resolves with the reader's `end`; rejects with the first failure (connect, a reader's
 * throw, the connection breaking, `signal`), which aborts the request and its connection.
 */
function dispatchGet<T>(dispatcher: Dispatcher, request: Dispatcher.DispatchOptions, signal: AbortSignal, start: (head: AnswerHead) => BodyReader<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    let reader: BodyReader<T> | null = null;
    let abort: ((err: Error) => void) | null = null;
    let settled: Error | true | null = null;
    const settle = (err: Error | null, value?: T): void => {
      if (settled !== null) return;
      settled = err ?? true;
      signal.removeEventListener('abort', onAbort);
      if (err === null) return resolve(value as T);
      reader?.failed?.();
      reject(err);
    };
    /** Ends the request with `err`: undici drops the connection of an answer under way. */
    const cut = (err: Error): void => {
      settle(err);
      abort?.(err);
    };
    const onAbort = (): void => cut(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    dispatcher.dispatch(request, {
      onConnect: (abortRequest) => {
        abort = abortRequest;
        // Cut while it waited for a connection: never sent.
        if (settled instanceof Error) abortRequest(settled);
      },
      onHeaders: (status, rawHeaders) => {
        try {
          reader = start(answerHead(status, rawHeaders));
          return true;
        } catch (err) {
          cut(err as Error);
          return false;
        }
      },
      onData: (chunk) => {
        try {
          (reader as BodyReader<T>).take(chunk);
          return true;
        } catch (err) {
          cut(err as Error);
          return false;
        }
      },
      onComplete: () => {
        try {
          settle(null, (reader as BodyReader<T>).end());
        } catch (err) {
          settle(err as Error);
        }
      },
      onError: (err) => settle(err),
    });
  });
}

/** The head of an answer from undici's raw headers (name, value, name, value …). */
function answerHead(status: number, rawHeaders: Buffer[] | string[] | null): AnswerHead {
  const headers = new Map<string, string>();
  const raw = rawHeaders ?? [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = String(raw[i]).toLowerCase();
    const value = String(raw[i + 1]);
    const before = headers.get(name);
    headers.set(name, before === undefined ? value : `${before}, ${value}`);
  }
  const declared = headers.get('content-length');
  const chunked = (headers.get('transfer-encoding') ?? '') !== '';
  const contentLength = !chunked && declared !== undefined && /^[0-9]{1,15}$/.test(declared) ? Number(declared) : null;
  return { status, header: (name) => headers.get(name), contentLength };
}

/** The body as UTF-8 text of at most `bytesMax` bytes; a larger one is cut off with `tooLarge()`. */
function textReader(head: AnswerHead, bytesMax: number, tooLarge: () => Error): BodyReader<string> {
  if (head.contentLength !== null && head.contentLength > bytesMax) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  return {
    take: (chunk) => {
      total += chunk.length;
      if (total > bytesMax) throw tooLarge();
      // undici's pieces are views of the socket's read: copied, as they are kept past this call.
      chunks.push(Buffer.from(chunk));
    },
    end: () => Buffer.concat(chunks, total).toString('utf8'),
  };
}

/** A non-200 answer's typed error, from its status and problem document (the status alone when that is too large or not one). */
function problemReader(head: AnswerHead): BodyReader<BackfillPeerError> {
  const text = textReader(head, problemBytesMax, () => problemErrorOf(head.status, head.header, null));
  return { take: text.take, end: () => problemErrorOf(head.status, head.header, text.end()) };
}

type BlockHeaders = z.infer<typeof blockHeadersSchema>;

/** A 200 block answer's content type and block headers, checked; `header` reads one by its lower-case name. */
function blockAnswerHeaders(header: (name: string) => string | undefined): BlockHeaders {
  const contentType = header('content-type') ?? '';
  if (!contentType.startsWith('application/octet-stream')) throw new PeerAnswerError(`a block answer of type ${JSON.stringify(contentType.slice(0, 80))}`, 200);
  const headers = blockHeadersSchema.safeParse({
    sha256: header(blockHeaderNames.sha256),
    firstFrameMs: header(blockHeaderNames.firstFrameMs),
    lastFrameMs: header(blockHeaderNames.lastFrameMs),
    frameCount: header(blockHeaderNames.frameCount),
  });
  if (!headers.success) throw new TransferInvalidError(`the block's headers are not valid: ${describeIssues(headers.error.issues)}`, 200);
  return headers.data;
}

/**
 * What `fetchBlock` checks of a block as it arrived: its SHA-256 (computed as it arrived) equals
 * the peer's, it decodes cleanly with every frame's CRC-32, and its frames are what the headers
 * say and lie in the range asked for. Not hashed on arrival (`sha256` null), the caller checks
 * the peer's digest over these very bytes, CRCs included: then only the frame records are walked.
 */
function checkArrived(bytes: Buffer, sha256: string | null, headers: BlockHeaders, request: FetchBlockRequest): Omit<FetchedBlock, 'release'> {
  const { cameraId, peerBlockStartMs, fromMs, toMs } = request;
  if (sha256 !== null && sha256 !== headers.sha256) throw new TransferChecksumError(headers.sha256, sha256);
  const invalid = (why: string): TransferInvalidError => new TransferInvalidError(`block ${peerBlockStartMs} of camera ${cameraId}: ${why}`, 200);
  const span = sha256 === null ? walkedFrameSpan(bytes) : decodedFrameSpan(bytes);
  if (!('frameCount' in span)) throw invalid(`not a clean block file (${span.why})`);
  if (span.frameCount !== headers.frameCount) throw invalid(`${span.frameCount} frames, the headers say ${headers.frameCount}`);
  if (span.startMs !== headers.firstFrameMs || span.endMs !== headers.lastFrameMs) throw invalid(`frames ${span.startMs}..${span.endMs}, the headers say ${headers.firstFrameMs}..${headers.lastFrameMs}`);
  if (span.startMs < Math.max(fromMs, peerBlockStartMs) || span.endMs > toMs) throw invalid(`frames ${span.startMs}..${span.endMs} lie outside the range asked for, ${Math.max(fromMs, peerBlockStartMs)}..${toMs}`);
  return { bytes, sha256: headers.sha256, fps: span.fps, firstFrameMs: span.startMs, lastFrameMs: span.endMs, frameCount: span.frameCount };
}

/** The block's frames from their record headers alone (block-frames.ts); why not, unless they fill the bytes exactly. */
function walkedFrameSpan(bytes: Buffer): FrameSpan | { why: string } {
  return walkFrames(bytes) ?? { why: 'its frame records do not fill its bytes exactly, or it has no frame' };
}

/** The block's frames, every CRC-32 checked; why not, unless it decodes cleanly with at least one frame. */
function decodedFrameSpan(bytes: Buffer): FrameSpan | { why: string } {
  const block = decodeBlock(bytes);
  const first = block.frames[0];
  const last = block.frames.at(-1);
  if (!block.clean || first === undefined || last === undefined) return { why: `${block.validBytes} of ${bytes.length} bytes valid, ${block.frames.length} frames` };
  return { startMs: first.timeMs, endMs: last.timeMs, fps: block.fps, frameCount: block.frames.length };
}

/** The typed error of an answer with `status` (not 200), from its problem document's type (`text`, null if none was read). */
function problemErrorOf(status: number, header: (name: string) => string | undefined, text: string | null): BackfillPeerError {
  let type: unknown;
  let detail: unknown;
  try {
    ({ type, detail } = JSON.parse(text ?? '') as { type?: unknown; detail?: unknown });
  } catch {
    // not a problem document: the status alone decides
  }
  const why = `HTTP ${status}${typeof detail === 'string' ? `: ${detail.slice(0, 300)}` : ''}`;
  if (status === 503 || status === 502 || status === 504) return new PeerUnavailableError(`the peer agent is unavailable (${why})`, status, retryAfterMs(header('retry-after') ?? null));
  if (status === 401) return new PeerUnauthorizedError(`the peer agent refused the cluster secret (${why})`, status);
  if ((status === 404 && type === problemTypeUri('no-block')) || status === 416) return new PeerBlockMissingError(`the peer has no such block (${why})`, status);
  if (status === 500 && type === problemTypeUri('block-corrupt')) return new PeerBlockCorruptError(`the peer's copy of the block is corrupt (${why})`, status);
  return new PeerAnswerError(`the peer agent answered ${why}`, status);
}

/** Retry-After in seconds (we send no dates), bounded; null if absent or not a number. */
function retryAfterMs(header: string | null): number | null {
  if (header === null || !/^[0-9]{1,6}$/.test(header)) return null;
  return Math.min(Number(header) * 1000, retryAfterMsMax);
}

function checkCameraId(cameraId: string): void {
  if (!cameraIdSchema.safeParse(cameraId).success) throw new RangeError(`bad camera id ${JSON.stringify(cameraId.slice(0, 80))}`);
}

/** The peer's base URL: http(s), without credentials (the secret goes in a header). */
function peerBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new RangeError(`the peer agent URL is not a URL: ${JSON.stringify(baseUrl.slice(0, 200))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError(`the peer agent URL must be http or https, not ${url.protocol}`);
  if (url.username !== '' || url.password !== '') throw new RangeError('the peer agent URL must not carry credentials; the cluster secret is sent as a Bearer token');
  url.search = '';
  url.hash = '';
  return url;
}

// The target side of the backfill transfer (contracts/backfill-v1.ts): lists the peer's cameras
// and blocks and fetches a block, trusting nothing it receives. Every JSON answer is checked
// against the contract; every block is bounded in size, received into one buffer of its declared
// length while it is hashed, compared with the source's SHA-256, then decoded (every frame's
// CRC-32) and compared with what the headers and the request say.
// Failures are typed, so the backfill job can tell "retry later" from "skip this block".
//
// It speaks node:http rather than fetch: a block is megabytes, and fetch's web streams, chunk
// arrays and the concatenation after them cost the target agent's one JS thread more than the
// hashing (a profile of a 2-core lab: about a seventh of its CPU per block). Blocks from an http
// peer go further, through raw-http.ts: the kernel reads the body straight into a reused buffer,
// where node:http's fresh 64-KiB buffer per read made V8 collect garbage every few megabytes
// (2 GB of blocks: 7 CPU seconds on the target with node:http, 2 with raw-http.ts). Received
// buffers come from a pool and go back to it with FetchedBlock.release.
import { createHash } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { z } from 'zod';
import { decodeBlock } from '../../media-store/format.js';
import { BufferPool } from '../storage/buffer-pool.js';
import { RawHttpClient, type AnswerHead, type BodyPlan } from './raw-http.js';
import { policyLimits } from '../../contracts/cluster-policy-v1.js';
import { pinnedHttpsAgent } from '../../shared/tls/pinned-agent.js';
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
 * A block as it arrived and was verified: hashed as it arrived, equal to the peer's SHA-256, and
 * decoded cleanly with every frame's CRC-32 checked, which is what the storage's
 * `fill(…, { verifiedOnArrival: true })` relies on (storage-adapter.ts FillOptions).
 */
export interface FetchedBlock {
  /** A whole block file (header and frame records), ready to be written as is. */
  readonly bytes: Buffer;
  /** SHA-256 of `bytes`, computed over them as they arrived, and equal to the peer's. */
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
  private agent: HttpAgent | null;
  private pinned: string | null = null;
  private readonly agentOptions: { keepAlive: boolean; maxSockets: number; maxFreeSockets: number };
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
    this.agentOptions = { keepAlive: true, maxSockets: connectionsMax, maxFreeSockets: connectionsMax };
    this.agent = this.baseUrl.protocol === 'https:' ? null : new HttpAgent(this.agentOptions);
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
   * block file, and verifies it. Throws `TransferChecksumError` (damaged in transit),
   * `TransferInvalidError` (too large, not a clean block, or not what was asked for),
   * `PeerBlockMissingError`, `PeerBlockCorruptError`, `PeerUnavailableError`,
   * `PeerUnauthorizedError` or `PeerAnswerError`.
   */
  async fetchBlock(request: FetchBlockRequest): Promise<FetchedBlock> {
    const { cameraId, peerBlockStartMs, fromMs, toMs, signal } = request;
    checkCameraId(cameraId);
    for (const [name, ms] of [['peerBlockStartMs', peerBlockStartMs], ['fromMs', fromMs], ['toMs', toMs]] as const) {
      if (!(Number.isSafeInteger(ms) && ms >= 0 && ms <= frameTimeMsMax)) throw new RangeError(`${name} must be a frame time, not ${ms}`);
    }
    if (fromMs > toMs) throw new RangeError(`fromMs ${fromMs} is after toMs ${toMs}`);
    const path = `/cameras/${cameraId}/blocks/${peerBlockStartMs}?fromMs=${fromMs}&toMs=${toMs}`;
    const arrived = this.raw !== null ? await this.requestBlockRaw(this.raw, path, signal) : await this.request(path, 'block', signal, async (res) => {
      const headers = blockAnswerHeaders((name) => header(res, name));
      return { headers, ...(await this.readBlockBody(res)) };
    });
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
   * checks, errors and bounds as the node:http path (`request` and `readBlockBody`).
   */
  private async requestBlockRaw(raw: RawHttpClient, path: string, signal: AbortSignal | undefined): Promise<{ headers: BlockHeaders; bytes: Buffer; sha256: string }> {
    const timeoutMs = this.timeoutMs.block;
    const timeout = AbortSignal.timeout(timeoutMs);
    const aborts = signal === undefined ? timeout : AbortSignal.any([timeout, signal]);
    const hash = createHash('sha256');
    let body: { bytes: Buffer; headers: BlockHeaders } | null = null;
    let filled = 0;
    const plan = (head: AnswerHead): BodyPlan => {
      if (head.status !== 200) return { textBytesMax: problemBytesMax };
      const headers = blockAnswerHeaders((name) => head.headers.get(name));
      if (head.contentLength === null) throw new TransferInvalidError('a block answer without a content-length', 200);
      if (head.contentLength > this.blockBytesMax) throw new TransferInvalidError(`the block is ${head.contentLength} bytes, over the limit of ${this.blockBytesMax}`, 200);
      body = { bytes: this.buffers.take(head.contentLength), headers };
      return {
        into: body.bytes,
        onBytes: (bytes) => {
          hash.update(bytes);
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
      return { headers: received.headers, bytes: received.bytes, sha256: hash.digest('hex') };
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
   * Reads a block body into one buffer of its declared length (content-length, which the
   * contract requires; at most `blockBytesMax`), hashing each chunk as it arrives. A body that
   * ends short of that length is a broken connection (retry later); bytes sent past it are not
   * read as the body, which then fails its SHA-256.
   */
  private async readBlockBody(res: IncomingMessage): Promise<{ bytes: Buffer; sha256: string }> {
    const declared = contentLength(res);
    if (declared === null) throw new TransferInvalidError('a block answer without a content-length', 200);
    if (declared > this.blockBytesMax) throw new TransferInvalidError(`the block is ${declared} bytes, over the limit of ${this.blockBytesMax}`, 200);
    const bytes = this.buffers.take(declared);
    const hash = createHash('sha256');
    let filled = 0;
    try {
      await readChunks(res, (chunk) => {
        // The HTTP parser ends a body at its content-length (bytes after it are not this body's): never true, checked all the same.
        if (chunk.length > declared - filled) throw new TransferInvalidError(`the block's body is longer than its content-length, ${declared} bytes`, 200);
        chunk.copy(bytes, filled);
        hash.update(chunk);
        filled += chunk.length;
      });
    } catch (err) {
      this.buffers.give(bytes);
      if (err instanceof BackfillPeerError) throw err;
      throw new RequestFailure(`the block's answer broke off after ${filled} of ${declared} bytes (${requestFailureReason(err instanceof RequestFailure ? err : { cause: err }, 0)})`);
    }
    if (filled !== declared) {
      this.buffers.give(bytes);
      throw new RequestFailure(`the block's answer ended after ${filled} of ${declared} bytes`);
    }
    return { bytes, sha256: hash.digest('hex') };
  }

  private async getJson<S extends z.ZodType>(path: string, schema: S, signal: AbortSignal | undefined): Promise<z.infer<S>> {
    return this.request(path, 'json', signal, async (res) => {
      const text = await readTextBounded(res, jsonAnswerBytesMax);
      if (text === null) throw new PeerAnswerError(`an answer over ${jsonAnswerBytesMax} bytes`, 200);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new PeerAnswerError('an answer that is not JSON', 200);
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) throw new PeerAnswerError(`an answer that breaks the backfill contract: ${describeIssues(parsed.error.issues)}`, 200);
      return parsed.data as z.infer<S>;
    });
  }

  /**
   * One GET under the backfill prefix: a 200 goes to `read`, anything else becomes a typed
   * error, and so does a failure to connect (within `connectTimeoutMs`) or to answer in time
   * (the whole request, answer read included, within the kind's timeout). Redirects are not
   * followed. An answer `read` leaves unread is cut off, never left on a kept connection.
   */
  private async request<T>(path: string, kind: 'json' | 'block', signal: AbortSignal | undefined, read: (res: IncomingMessage) => Promise<T>): Promise<T> {
    const url = new URL(`${this.baseUrl.pathname.replace(/\/+$/, '')}${backfillPathPrefix}${path}`, this.baseUrl);
    const timeoutMs = this.timeoutMs[kind];
    const timeout = AbortSignal.timeout(timeoutMs);
    const aborts = signal === undefined ? timeout : AbortSignal.any([timeout, signal]);
    try {
      const res = await this.send(url, kind, aborts);
      try {
        if (res.statusCode !== 200) throw await problemError(res);
        return await read(res);
      } finally {
        if (!res.readableEnded) res.destroy();
      }
    } catch (err) {
      if (signal?.aborted === true) throw signal.reason;
      if (err instanceof BackfillPeerError) throw err;
      const reason = timeout.aborted ? `timed out after ${timeoutMs} ms` : requestFailureReason(err instanceof RequestFailure ? err : { cause: err }, timeoutMs);
      throw new PeerUnavailableError(`the peer agent did not answer: ${reason}`, null);
    }
  }

  /** The agent for `url`: pinned to the peer's fingerprint for https, or why there is none (nothing is sent then). */
  private agentFor(url: URL): HttpAgent | Error {
    if (url.protocol !== 'https:') return this.agent ?? new HttpAgent(this.agentOptions);
    const fingerprint = this.peerFingerprint();
    if (fingerprint === null) return new PeerUnavailableError("the peer's API certificate is not known yet (agent.yaml peer.agentFingerprint, or a heartbeat from the peer that carries it); the cluster secret is not sent unpinned", null);
    if (this.agent === null || this.pinned !== fingerprint) {
      this.agent?.destroy();
      this.agent = pinnedHttpsAgent(fingerprint, { ...this.agentOptions, connectTimeoutMs: this.connectTimeoutMs });
      this.pinned = fingerprint;
    }
    return this.agent;
  }

  /** Sends the GET; resolves with the answer's head, its body still to be read. */
  private send(url: URL, kind: 'json' | 'block', signal: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const headers = { authorization: this.authorization, accept: kind === 'json' ? 'application/json' : 'application/octet-stream' };
      const agent = this.agentFor(url);
      if (agent instanceof Error) return reject(agent);
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { agent, headers, signal });
      // Stays attached: an error after the answer arrived (an abort) must not go unhandled.
      req.on('error', reject);
      req.once('response', (res) => {
        res.on('error', () => undefined); // the body's reader handles errors; this keeps a late one from going unhandled
        resolve(res);
      });
      req.once('socket', (socket) => {
        if (!socket.connecting) return; // a kept connection
        const timer = setTimeout(() => req.destroy(Object.assign(new Error(`connect timed out after ${this.connectTimeoutMs} ms`), { code: 'ETIMEDOUT' })), this.connectTimeoutMs);
        const clear = (): void => clearTimeout(timer);
        socket.once('connect', clear);
        socket.once('close', clear);
      });
      req.end();
    });
  }
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
 * say and lie in the range asked for.
 */
function checkArrived(bytes: Buffer, sha256: string, headers: BlockHeaders, request: FetchBlockRequest): Omit<FetchedBlock, 'release'> {
  const { cameraId, peerBlockStartMs, fromMs, toMs } = request;
  if (sha256 !== headers.sha256) throw new TransferChecksumError(headers.sha256, sha256);
  const block = decodeBlock(bytes);
  const first = block.frames[0];
  const last = block.frames.at(-1);
  const invalid = (why: string): TransferInvalidError => new TransferInvalidError(`block ${peerBlockStartMs} of camera ${cameraId}: ${why}`, 200);
  if (!block.clean || first === undefined || last === undefined) throw invalid(`not a clean block file (${block.validBytes} of ${bytes.length} bytes valid, ${block.frames.length} frames)`);
  if (block.frames.length !== headers.frameCount) throw invalid(`${block.frames.length} frames, the headers say ${headers.frameCount}`);
  if (first.timeMs !== headers.firstFrameMs || last.timeMs !== headers.lastFrameMs) throw invalid(`frames ${first.timeMs}..${last.timeMs}, the headers say ${headers.firstFrameMs}..${headers.lastFrameMs}`);
  if (first.timeMs < Math.max(fromMs, peerBlockStartMs) || last.timeMs > toMs) throw invalid(`frames ${first.timeMs}..${last.timeMs} lie outside the range asked for, ${Math.max(fromMs, peerBlockStartMs)}..${toMs}`);
  return { bytes, sha256, fps: block.fps, firstFrameMs: first.timeMs, lastFrameMs: last.timeMs, frameCount: block.frames.length };
}

/** A header of the answer as one string (Node joins repeated ones); undefined if absent. */
function header(res: IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The declared body length; null if absent or not a plain decimal number. */
function contentLength(res: IncomingMessage): number | null {
  const value = header(res, 'content-length');
  return value !== undefined && /^[0-9]{1,15}$/.test(value) ? Number(value) : null;
}

/**
 * Reads `res` to its end, giving each chunk to `take` as it arrives. `take` throwing stops the
 * read (the answer is cut off) and rejects with its error; so does a connection that breaks or
 * closes before the end. Bounded by the request's timeout, which destroys the answer.
 */
function readChunks(res: IncomingMessage, take: (chunk: Buffer) => void): Promise<void> {
  if (res.readableEnded) return Promise.resolve();
  if (res.destroyed) return Promise.reject(new RequestFailure('the connection closed before the answer ended'));
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (err: unknown): void => {
      if (settled) return;
      settled = true;
      res.off('data', onData);
      res.off('end', onEnd);
      res.off('error', onError);
      res.off('close', onClose);
      if (err === null) return resolve();
      res.destroy();
      reject(err as Error);
    };
    const onData = (chunk: Buffer): void => {
      try {
        take(chunk);
      } catch (err) {
        settle(err);
      }
    };
    const onEnd = (): void => settle(null);
    const onError = (err: Error): void => settle(err);
    const onClose = (): void => settle(new RequestFailure('the connection closed before the answer ended'));
    res.on('data', onData);
    res.once('end', onEnd);
    res.once('error', onError);
    res.once('close', onClose);
  });
}

/** The body as UTF-8 text, or null when it is larger than maxBytes (it is then cut off). */
async function readTextBounded(res: IncomingMessage, maxBytes: number): Promise<string | null> {
  const declared = contentLength(res);
  if (declared !== null && declared > maxBytes) return null;
  const chunks: Buffer[] = [];
  let total = 0;
  const tooLarge = new Error('too large');
  try {
    await readChunks(res, (chunk) => {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge;
      chunks.push(chunk);
    });
  } catch (err) {
    if (err === tooLarge) return null;
    throw err;
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** The typed error of a non-200 answer, from its status and problem type. */
async function problemError(res: IncomingMessage): Promise<BackfillPeerError> {
  const text = await readTextBounded(res, problemBytesMax).catch(() => null);
  return problemErrorOf(res.statusCode ?? 0, (name) => header(res, name), text);
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

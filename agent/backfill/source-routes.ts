// The source side of the backfill transfer (contracts/backfill-v1.ts): the routes through which
// the peer's agent lists this node's cameras and blocks and copies the blocks it lacks. Only
// content on disk is served (recorded or filled blocks), and travels with the SHA-256 its bytes
// must have. A whole block (most of what a backfill copies) is sent as read, with its index
// entry's SHA-256 and frames, unhashed: the target checks that digest over what arrives (its
// storage hashes the file it writes), which catches a copy rotten on this disk as surely as one
// damaged on the way, and this node's SHA-256 pass would be the second over the same bytes. The
// same block asked for again (the target found it wrong, or lost it) is hashed here before it
// leaves, and answered 500 `block-corrupt` if this copy is the bad one: the target gives it up.
// A slice is checked against the index, cut, decoded and hashed here.
// Mounted in the local API behind its Bearer guard (shell/local-api.ts).
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { decodeBlock, sha256Hex, sliceBlock } from '../../media-store/format.js';
import type { CheckedBlock, ReadBlockOptions, StoredEntry } from '../storage/storage-adapter.js';
import { policyLimits } from '../../contracts/cluster-policy-v1.js';
import { bodyParserProblem, problemOf, writeProblem, zodValidationProblem } from '../../shared/problem.js';
import {
  cameraIdsMax,
  backfillFaultSchema,
  backfillPathPrefix,
  blockHeaderNames,
  blockParamsSchema,
  blockQuerySchema,
  cameraParamsSchema,
  entriesQuerySchema,
  type BackfillProblemSlug,
  type BlockEntry,
  type CameraList,
  type EntriesPage,
} from '../../contracts/backfill-v1.js';

/** What the source needs of its storage; the agent's backfill storage adapter (storage-adapter.ts BackfillStorage) satisfies it. */
export interface BackfillSourceStorage {
  listCameras(max: number): Promise<{ readonly cameraIds: readonly string[]; readonly truncated: boolean }>;
  /** Every entry of the camera's index, sorted by startMs. */
  readEntries(cameraId: string): Promise<readonly StoredEntry[]>;
  /**
   * A recorded or filled block's whole file and its index entry, the file checked against the
   * entry (its size; its SHA-256 too unless `options.hashed` is false): throws an Error named
   * `BlockCorruptError` if it does not match, `BlockNotFoundError` (or with code ENOENT) if no
   * recorded or filled block starts at `startMs`.
   */
  readBlock(cameraId: string, startMs: number, options?: ReadBlockOptions): Promise<CheckedBlock>;
}

export interface BackfillSourceOptions {
  readonly storage: BackfillSourceStorage;
  /** This node's id, named in the camera list. */
  readonly nodeId: string;
  /** Serves `POST /api/v1/testing/backfill` (testing.faultInjection). */
  readonly faultInjection: boolean;
  readonly log: Logger;
}

/**
 * Block answers being read or sent at once; more are refused (503 `busy`), which bounds memory
 * to this many blocks. As many as the policy lets a target ask for at once.
 */
export const sourceBlockReadsMax = policyLimits.backfillTransfersMax;
/** Entries and camera list requests being read at once (each may read a whole index). */
export const sourceIndexReadsMax = 4;
/** A block answer whose receiver takes no bytes for this long is cut off, freeing its slot. */
const sendIdleMsMax = 60_000;
/**
 * Whole blocks remembered as sent unhashed, to hash any of them asked for again: a target asks
 * for a block that failed its check again in its next pass, at most 512 blocks later
 * (backfill-service.ts tasksPerPassMax); a restart of this agent forgets them, and the second
 * ask after it is hashed.
 */
const sentUnhashedMax = 16_384;

/**
 * The backfill source's routes, to mount behind the cluster secret guard.
 *
 * @example
 *   app.use(requireBearerSecret(secret, 'twinrec-agent'));
 *   app.use(backfillSourceRouter({ storage, nodeId: 'rs-a', faultInjection: false, log }));
 *   // GET /api/backfill/v1/cameras → { v: 1, node: 'rs-a', cameraIds: [...], truncated: false }
 */
export function backfillSourceRouter(options: BackfillSourceOptions): Router {
  const { storage, nodeId, log } = options;
  const router = express.Router();
  const blockReads = new Slots(sourceBlockReadsMax);
  const indexReads = new Slots(sourceIndexReadsMax);
  const sentUnhashed = new RecentKeys(sentUnhashedMax);
  /** Block answers still to be corrupted in transit (test fault). */
  let corruptBlocksPending = 0;

  router.get(`${backfillPathPrefix}/cameras`, async (_req, res) => {
    if (!indexReads.take(res)) return busy(res);
    try {
      const listed = await storage.listCameras(cameraIdsMax);
      const answer: CameraList = { v: 1, node: nodeId, cameraIds: [...listed.cameraIds], truncated: listed.truncated };
      res.json(answer);
    } catch (err) {
      storageFailed(res, err, 'listing the cameras');
    }
  });

  router.get(`${backfillPathPrefix}/cameras/:cameraId/entries`, async (req, res) => {
    const params = cameraParamsSchema.safeParse(req.params);
    if (!params.success) return badRequest(res, params.error.issues);
    const query = entriesQuerySchema.safeParse(req.query);
    if (!query.success) return badRequest(res, query.error.issues);
    if (!indexReads.take(res)) return busy(res);
    const { cameraId } = params.data;
    try {
      res.json(entriesPage(cameraId, contentEntries(await readEntries(storage, cameraId)), query.data.afterMs, query.data.limit));
    } catch (err) {
      storageFailed(res, err, `reading the index of camera ${cameraId}`);
    }
  });

  router.get(`${backfillPathPrefix}/cameras/:cameraId/blocks/:startMs`, async (req, res) => {
    const params = blockParamsSchema.safeParse(req.params);
    if (!params.success) return badRequest(res, params.error.issues);
    const query = blockQuerySchema.safeParse(req.query);
    if (!query.success) return badRequest(res, query.error.issues);
    if (!blockReads.take(res)) return busy(res);
    res.setTimeout(sendIdleMsMax, () => res.destroy());
    const { cameraId, startMs } = params.data;
    const { fromMs, toMs } = query.data;
    const key = `${cameraId}/${startMs}`;
    // Read unhashed, unless asked for again; a slice is hashed below before it is cut.
    const askedAgain = sentUnhashed.has(key);
    let block: CheckedBlock;
    try {
      block = await storage.readBlock(cameraId, startMs, { hashed: askedAgain });
    } catch (err) {
      if (errorName(err) === 'BlockCorruptError') return blockCorrupt(res, cameraId, startMs, err);
      if (errorName(err) === 'BlockNotFoundError' || errorCode(err) === 'ENOENT') return problem(res, 404, 'no-block', 'No such block', `no recorded or filled block of camera ${cameraId} starts at ${startMs}`);
      return storageFailed(res, err, `reading block ${startMs} of camera ${cameraId}`);
    }
    // The read buffer goes back to the storage once the answer has been handed to the socket
    // whole ('finish'); an answer cut off (close without finish) leaves it to the collector, as
    // the socket may still refer to it.
    if (block.release !== undefined) res.once('finish', block.release);
    const whole = isWholeBlock(block.entry, fromMs, toMs);
    if (!whole && !askedAgain && sha256Hex(block.bytes) !== block.entry.sha256) return blockCorrupt(res, cameraId, startMs, new Error('the block file does not match its index record (SHA-256)'));
    const answer = (whole ? wholeAnswer(block) : null) ?? sliceAnswer(block.bytes, fromMs, toMs);
    if (whole && !askedAgain) sentUnhashed.add(key);
    if (answer === 'no-frames') return problem(res, 416, 'no-frames-in-range', 'No frames in range', `block ${startMs} of camera ${cameraId} has no frame in ${fromMs}..${toMs}`);
    if (answer === 'corrupt') return blockCorrupt(res, cameraId, startMs, new Error('the block file or its slice does not decode cleanly'));
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(answer.body.length),
      [blockHeaderNames.sha256]: answer.sha256,
      [blockHeaderNames.firstFrameMs]: String(answer.firstFrameMs),
      [blockHeaderNames.lastFrameMs]: String(answer.lastFrameMs),
      [blockHeaderNames.frameCount]: String(answer.frameCount),
    });
    res.end(corruptBlocksPending > 0 ? corruptInTransit(answer.body, cameraId, startMs) : answer.body);
  });

  router.post('/api/v1/testing/backfill', express.json({ limit: 1024 }), (req, res) => {
    if (!options.faultInjection) return problem(res, 404, 'not-found', 'Not found', 'fault injection is off (testing.faultInjection)');
    const parsed = backfillFaultSchema.safeParse(req.body);
    if (!parsed.success) return badRequest(res, parsed.error.issues);
    corruptBlocksPending = parsed.data.corruptBlocks;
    log.warn(parsed.data, 'test fault injection: backfill blocks to corrupt in transit');
    res.json({ corruptBlocks: corruptBlocksPending });
  });

  router.use((err: { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const parseProblem = bodyParserProblem(err);
    if (parseProblem !== null) return writeProblem(res, parseProblem);
    log.error({ err: String(err) }, 'backfill source request failed');
    problem(res, 500, 'internal-error', 'Internal error', 'the agent could not handle the backfill request');
  });

  return router;

  function corruptInTransit(body: Buffer, cameraId: string, startMs: number): Buffer {
    corruptBlocksPending -= 1;
    const copy = Buffer.from(body);
    const at = copy.length - 1;
    copy[at] = (copy[at] as number) ^ 0xff;
    log.warn({ cameraId, startMs, corruptBlocksPending }, 'test fault injection: corrupted a backfill block in transit');
    return copy;
  }

  function blockCorrupt(res: Response, cameraId: string, startMs: number, err: unknown): void {
    log.warn({ cameraId, startMs, err: errorText(err) }, 'backfill source: a block on disk does not match its index');
    problem(res, 500, 'block-corrupt', 'Block corrupt on the source', `block ${startMs} of camera ${cameraId} does not match this node's index: ${errorText(err)}`, { cameraId, startMs });
  }

  function storageFailed(res: Response, err: unknown, doing: string): void {
    log.error({ err: errorText(err) }, `backfill source: ${doing} failed`);
    problem(res, 500, 'storage-error', 'Storage error', `${doing} failed: ${errorText(err)}`);
  }
}

/** A block answer's body and what its headers say about it. */
interface BlockAnswer {
  readonly body: Buffer;
  /** SHA-256 of `body` (lower-case hex). */
  readonly sha256: string;
  readonly firstFrameMs: number;
  readonly lastFrameMs: number;
  readonly frameCount: number;
}

/** True if fromMs..toMs holds every frame of the block (its first and last frame are its entry's startMs and endMs). */
function isWholeBlock(entry: Pick<StoredEntry, 'startMs' | 'endMs'>, fromMs: number, toMs: number): boolean {
  return fromMs <= entry.startMs && entry.endMs <= toMs;
}

/**
 * The whole file as read, with its entry's digest and frames, neither hashed nor decoded here:
 * the target decodes it and rejects it should the entry's frames not match its content, and
 * checks the digest over the file it writes. Null for an entry without a SHA-256 (never one
 * readBlock returns).
 */
function wholeAnswer(block: CheckedBlock): BlockAnswer | null {
  const { entry, bytes } = block;
  if (entry.sha256 === null) return null;
  return { body: bytes, sha256: entry.sha256, firstFrameMs: entry.startMs, lastFrameMs: entry.endMs, frameCount: entry.frameCount };
}

/** The frames of the block in fromMs..toMs, checked as the target will check them: a clean block with at least one frame. */
function sliceAnswer(bytes: Buffer, fromMs: number, toMs: number): BlockAnswer | 'no-frames' | 'corrupt' {
  const body = sliceBlock(bytes, fromMs, toMs);
  if (body === null) return decodeBlock(bytes).clean ? 'no-frames' : 'corrupt';
  const sent = decodeBlock(body);
  const first = sent.frames[0];
  const last = sent.frames.at(-1);
  if (!sent.clean || first === undefined || last === undefined) return 'corrupt';
  return { body, sha256: sha256Hex(body), firstFrameMs: first.timeMs, lastFrameMs: last.timeMs, frameCount: sent.frames.length };
}

/** Content on disk only: a placeholder has nothing to copy yet. */
function contentEntries(all: readonly StoredEntry[]): BlockEntry[] {
  const content: BlockEntry[] = [];
  for (const e of all) {
    if (e.state === 'placeholder' || e.sha256 === null || e.frameCount < 1) continue;
    content.push({ startMs: e.startMs, endMs: e.endMs, fps: e.fps, frameCount: e.frameCount, bytes: e.bytes, sha256: e.sha256 });
  }
  return content;
}

/**
 * The page of `content` (sorted by startMs) after `afterMs`, at most `limit` entries.
 *
 * @example entriesPage(id, [a, b, c], -1, 2) // { entries: [a, b], next: b.startMs, sealedEndMs: c.endMs, … }
 */
export function entriesPage(cameraId: string, content: readonly BlockEntry[], afterMs: number, limit: number): EntriesPage {
  const from = firstAfter(content, afterMs);
  const entries = content.slice(from, from + limit);
  const more = from + limit < content.length;
  return {
    v: 1,
    cameraId,
    entries,
    next: more ? (entries.at(-1) as BlockEntry).startMs : null,
    sealedEndMs: content.reduce<number | null>((max, e) => (max === null || e.endMs > max ? e.endMs : max), null),
  };
}

/** Index of the first entry with startMs > timeMs (binary search over sorted entries). */
function firstAfter(sorted: readonly { readonly startMs: number }[], timeMs: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as { startMs: number }).startMs <= timeMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The camera's entries; none for a camera without a folder here. */
async function readEntries(storage: BackfillSourceStorage, cameraId: string): Promise<readonly StoredEntry[]> {
  try {
    return await storage.readEntries(cameraId);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return [];
    throw err;
  }
}

/** The last `max` keys added, oldest out first. */
class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly max: number) {}

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.max) this.keys.delete(this.keys.values().next().value as string);
  }
}

/** A fixed number of slots; a slot is held until its answer is closed (sent or cut off). */
class Slots {
  private used = 0;

  constructor(private readonly max: number) {}

  /** Takes a slot for `res`'s lifetime; false if none is free. */
  take(res: Response): boolean {
    if (this.used >= this.max) return false;
    this.used += 1;
    res.once('close', () => {
      this.used -= 1;
    });
    return true;
  }
}

function problem(res: Response, status: number, slug: BackfillProblemSlug, title: string, detail: string, extra: Record<string, unknown> = {}): void {
  writeProblem(res, problemOf(status, slug, title, detail, extra));
}

function badRequest(res: Response, issues: readonly { path: readonly PropertyKey[]; message: string }[]): void {
  const { detail, errors } = zodValidationProblem(issues);
  problem(res, 400, 'bad-request', 'Bad backfill request', detail ?? 'the request is not valid', { errors });
}

function busy(res: Response): void {
  writeProblem(res, problemOf(503, 'busy', 'Source busy', 'too many backfill reads in progress; retry shortly'), { 'retry-after': '1' });
}

function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// Version 1 of the backfill transfer: a returning node's agent (the target) pulls the blocks it
// lacks from its peer's agent (the source), over the source's local HTTP API with the cluster
// secret as a Bearer token. The source serves only content it holds on disk (recorded or filled
// blocks), and every block travels with its SHA-256 so the target can verify what arrived.
//
//   GET  /api/backfill/v1/cameras                                     CameraList
//   GET  /api/backfill/v1/cameras/{cameraId}/entries?afterMs&limit    EntriesPage
//   GET  /api/backfill/v1/cameras/{cameraId}/blocks/{startMs}?fromMs&toMs
//        200 application/octet-stream: a block file (lab/README.md "Storage (on-disk format)")
//        holding exactly the source block's frames with fromMs <= time <= toMs, described by
//        the `x-twinrec-*` headers below; 404 `no-block`, 416 `no-frames-in-range`,
//        500 `block-corrupt` (the source's file does not match its index), 503 `busy`
//   POST /api/v1/testing/backfill { corruptBlocks } (only with testing.faultInjection)
//
// Errors are problem+json (shared/problem.ts) with the types in `backfillProblemSlugs`.
import { z } from 'zod';

export const backfillPathPrefix = '/api/backfill/v1';

/** Most camera ids in one camera list (the agent's `storage.maxCameras` bound). */
export const cameraIdsMax = 4096;
/** Most entries in one page of a camera's entries. */
export const entriesPageMax = 20_000;
/** Largest block file the target accepts (a 10 s lab block is a few MB). */
export const blockBytesMax = 64 * 1024 * 1024;
/** Largest JSON answer a client needs to read: a full entries page is about 3 MB. */
export const jsonAnswerBytesMax = 8 * 1024 * 1024;
/**
 * Suggested bounds on one request, answer included: a JSON answer reads an index on the source;
 * a block of up to 64 MiB may crawl through the target's bandwidth budget.
 */
export const requestTimeoutMsSuggested = { json: 15_000, block: 120_000 } as const;

/** Frame times are milliseconds since the Unix epoch, stored in 48 bits. */
export const frameTimeMsMax = 2 ** 48 - 1;
const frameTimeMsSchema = z.number().int().min(0).max(frameTimeMsMax);

/** A camera id: its GUID in canonical lower-case form (media-store/layout.ts isCameraDirName). */
export const cameraIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a camera id is a lower-case GUID');
const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex SHA-256');

/** `GET /api/backfill/v1/cameras`: the cameras the source has a folder for, in id order. */
export const cameraListSchema = z
  .object({
    v: z.literal(1),
    /** The source's node id. */
    node: z.string().min(1).max(64),
    cameraIds: z.array(cameraIdSchema).max(cameraIdsMax),
    /** The source holds more cameras than it listed. */
    truncated: z.boolean(),
  })
  .strict();
export type CameraList = z.infer<typeof cameraListSchema>;

/** One block the source holds on disk: recorded by its recorder, or a placeholder it filled. */
export const blockEntrySchema = z
  .object({
    /** First frame time (also the block's name). */
    startMs: frameTimeMsSchema,
    /** Last frame time, inclusive. */
    endMs: frameTimeMsSchema,
    fps: z.number().int().min(1).max(1000),
    frameCount: z.number().int().min(1),
    /** Size of the whole block file. */
    bytes: z.number().int().min(1),
    /** SHA-256 of the whole block file. */
    sha256: sha256HexSchema,
  })
  .strict()
  .refine((e) => e.endMs >= e.startMs, { message: 'endMs is before startMs', path: ['endMs'] });
export type BlockEntry = z.infer<typeof blockEntrySchema>;

/** `GET /api/backfill/v1/cameras/{cameraId}/entries`: one page of a camera's blocks, oldest first. */
export const entriesPageSchema = z
  .object({
    v: z.literal(1),
    cameraId: cameraIdSchema,
    /** Blocks with startMs > afterMs, sorted by startMs, never overlapping; at most `limit`. */
    entries: z.array(blockEntrySchema).max(entriesPageMax),
    /** Pass as `afterMs` for the next page (the last entry's startMs); null: this was the last page. */
    next: frameTimeMsSchema.nullable(),
    /** Last frame time of the newest block the source holds for this camera (its whole index); null: none. */
    sealedEndMs: frameTimeMsSchema.nullable(),
  })
  .strict()
  .superRefine((page, ctx) => {
    for (let i = 1; i < page.entries.length; i += 1) {
      const before = page.entries[i - 1] as BlockEntry;
      const entry = page.entries[i] as BlockEntry;
      if (entry.startMs <= before.endMs) ctx.addIssue({ code: 'custom', message: 'entries must be sorted by startMs and not overlap', path: ['entries', i, 'startMs'] });
    }
    const last = page.entries.at(-1);
    if (page.next !== null && page.next !== last?.startMs) ctx.addIssue({ code: 'custom', message: "next must be the last entry's startMs", path: ['next'] });
    if (last !== undefined && (page.sealedEndMs === null || page.sealedEndMs < last.endMs)) ctx.addIssue({ code: 'custom', message: 'sealedEndMs must cover every listed entry', path: ['sealedEndMs'] });
  });
export type EntriesPage = z.infer<typeof entriesPageSchema>;

/** A non-negative integer in a query string or path, decimal without sign or leading zeros. */
const msParamSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,14})$/, 'a whole number of milliseconds')
  .transform(Number)
  .refine((ms) => ms <= frameTimeMsMax, `at most ${frameTimeMsMax}`);

/** The query of the entries request; `afterMs` -1 (the default) starts at the oldest block. */
export const entriesQuerySchema = z
  .object({
    afterMs: z
      .union([z.literal('-1').transform(() => -1), msParamSchema])
      .default(-1),
    limit: z
      .string()
      .regex(/^[1-9][0-9]{0,4}$/, `a whole number from 1 to ${entriesPageMax}`)
      .transform(Number)
      .refine((n) => n <= entriesPageMax, `at most ${entriesPageMax}`)
      .default(entriesPageMax),
  })
  .strict();
export type EntriesQuery = z.infer<typeof entriesQuerySchema>;

/** The path parameters of the entries and block requests. */
export const cameraParamsSchema = z.object({ cameraId: cameraIdSchema }).strict();
export const blockParamsSchema = z.object({ cameraId: cameraIdSchema, startMs: msParamSchema }).strict();

/** The query of the block request; without it, the whole block. */
export const blockQuerySchema = z
  .object({
    fromMs: msParamSchema.default(0),
    toMs: msParamSchema.default(frameTimeMsMax),
  })
  .strict()
  .refine((q) => q.fromMs <= q.toMs, { message: 'fromMs is after toMs', path: ['toMs'] });
export type BlockQuery = z.infer<typeof blockQuerySchema>;

/** The headers of a block answer (besides content-type application/octet-stream and content-length). */
export const blockHeaderNames = {
  /** Hex SHA-256 the body must have: a whole block's digest from the source's index (not hashed again for the answer), or a slice's own; the target checks the file it wrote against it. */
  sha256: 'x-twinrec-sha256',
  /** Time of the body's first frame. */
  firstFrameMs: 'x-twinrec-first-frame-ms',
  /** Time of the body's last frame. */
  lastFrameMs: 'x-twinrec-last-frame-ms',
  frameCount: 'x-twinrec-frame-count',
} as const;

const headerIntSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,14})$/, 'a whole number')
  .transform(Number);

/** What the `x-twinrec-*` headers of a block answer say, as read by the target. */
export const blockHeadersSchema = z
  .object({
    sha256: sha256HexSchema,
    firstFrameMs: headerIntSchema.refine((ms) => ms <= frameTimeMsMax, 'a frame time'),
    lastFrameMs: headerIntSchema.refine((ms) => ms <= frameTimeMsMax, 'a frame time'),
    frameCount: headerIntSchema.refine((n) => n >= 1, 'at least 1'),
  })
  .strict()
  .refine((h) => h.lastFrameMs >= h.firstFrameMs, { message: 'the last frame is before the first', path: ['lastFrameMs'] });
export type BlockHeaders = z.infer<typeof blockHeadersSchema>;

/** Problem types (`urn:twinrec:problem:<slug>`) of the backfill requests. */
export const backfillProblemSlugs = ['bad-request', 'unauthorized', 'not-found', 'no-block', 'no-frames-in-range', 'block-corrupt', 'busy', 'storage-error', 'internal-error'] as const;
export type BackfillProblemSlug = (typeof backfillProblemSlugs)[number];

/**
 * `POST /api/v1/testing/backfill` (tests only, 404 unless testing.faultInjection): the next
 * `corruptBlocks` block answers get one byte of their body flipped after the SHA-256 header was
 * computed, as corruption in transit would. The answer echoes the count now pending.
 */
export const backfillFaultSchema = z.object({ corruptBlocks: z.number().int().min(0).max(1000) }).strict();
export type BackfillFault = z.infer<typeof backfillFaultSchema>;

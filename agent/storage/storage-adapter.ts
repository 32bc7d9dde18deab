// The storage adapter ports (ARCHITECTURE.md, "Storage and backfill"): what the agent needs to
// know about, and do to, a recording storage without the recorder's help. `StorageAdapter`
// enumerates, per camera, the recorded time ranges and the placeholders (the spans it reports);
// `BackfillStorage` reads index entries and blocks (the source of a backfill) and creates and
// fills placeholders (its target). The lab's on-disk format is one adapter of each
// (lab-format-adapter.ts, lab-format-backfill.ts); XProtect's media database is another, future one.
import type { Pace } from '../../shared/pace.js';

/**
 * A time range of one camera: the first and the last frame time (ms since the Unix epoch, both
 * inclusive) and the frame rate, which says how long the last frame lasts.
 */
export interface MediaRange {
  readonly startMs: number;
  readonly endMs: number;
  readonly fps: number;
}

/** What a storage holds for one camera. */
export interface CameraRanges {
  readonly cameraId: string;
  /** Content on disk: recorded by this recorder, or placeholders filled since. Sorted, disjoint. */
  readonly recorded: readonly MediaRange[];
  /** Placeholders still pending: the content exists on the peer and backfill has not copied it yet. */
  readonly placeholders: readonly MediaRange[];
  /** True if the adapter stopped reading before the end of what the storage holds (a bound). */
  readonly truncated: boolean;
}

export interface StorageAdapter {
  readonly kind: 'lab-format';
  /** The storage folder the adapter reads. */
  readonly root: string;
  /** Ids of the cameras with a folder in this storage, sorted, at most `max` (`truncated` if there are more). */
  listCameras(max: number): Promise<{ readonly cameraIds: readonly string[]; readonly truncated: boolean }>;
  /**
   * One camera's ranges as the storage holds them now; a torn tail (a record being appended) is
   * left out. Long work goes in slices at `pace`, and stops (throws) once its signal aborts.
   */
  readCamera(cameraId: string, pace?: Pace): Promise<CameraRanges>;
}

/** One entry of a camera's index: a recorded block, a pending placeholder or a filled one. */
export interface StoredEntry {
  readonly state: 'recorded' | 'placeholder' | 'filled';
  /** First and last frame time (ms since the Unix epoch, inclusive); of a placeholder, the range it reserves. */
  readonly startMs: number;
  readonly endMs: number;
  readonly fps: number;
  /** 0 for a placeholder. */
  readonly frameCount: number;
  /** Size of the block file; 0 for a placeholder. */
  readonly bytes: number;
  /** SHA-256 of the whole block file (lower-case hex); null for a placeholder. */
  readonly sha256: string | null;
}

/** A block file as read by `BackfillStorage.readBlock`: its bytes hash to its index entry's sha256 (unless read with `hashed: false`). */
export interface CheckedBlock {
  readonly bytes: Buffer;
  /** The block's index entry (recorded or filled): its first and last frame, fps, frame count, size and SHA-256. */
  readonly entry: StoredEntry;
  /**
   * Gives `bytes` back to the storage for reuse (a block is megabytes; see buffer-pool.ts), once
   * nothing refers to them any more: the answer that sent them has finished. Idempotent;
   * optional to call (and to provide).
   */
  readonly release?: () => void;
}

export interface ReadBlockOptions {
  /**
   * False: the bytes are not hashed against the entry's sha256 here (their size still is). For a
   * caller that sends them on with that digest to a reader that checks it (the backfill target
   * hashes the file it writes against it, storage-adapter.ts FillOptions), and that hashes them
   * itself where that reader's check would not tell whose copy was bad (source-routes.ts).
   * Default true.
   */
  readonly hashed?: boolean;
}

export interface FillOptions {
  /**
   * Check every frame's CRC-32 before writing (default true). False reads only the frame
   * records' headers for the index record: for bytes whose `expectedSha256` is their source's
   * own digest of them (its index record, or a slice it decoded cleanly and hashed), so that the
   * SHA-256 check of the file read back, which `fill` always makes, covers the CRCs as well.
   * Either way bytes that differ from `expectedSha256` (damaged in transit, on the way to the
   * disk, or given wrongly) are never given a block's name nor indexed.
   */
  readonly checkFrameCrcs?: boolean;
}

/**
 * The storage side of backfill: what the source reads and the target writes. Writes follow the
 * storage's own rules (for the lab: lab/README.md, "Placeholders and backfill"), so the recorder
 * never meets a half-written block and recorded data is never overwritten.
 */
export interface BackfillStorage {
  /** The storage folder. */
  readonly root: string;
  /** Ids of the cameras with a folder in this storage, sorted, at most `max` (`truncated` if there are more). */
  listCameras(max: number): Promise<{ readonly cameraIds: readonly string[]; readonly truncated: boolean }>;
  /** Every index entry of a camera (recorded, filled, placeholder), sorted; a torn tail left out. */
  readEntries(cameraId: string, pace?: Pace): Promise<readonly StoredEntry[]>;
  /**
   * Block files on disk that the index does not list (the open block of a recorder that
   * crashed; the recorder indexes it on its next open): their valid frames' ranges.
   */
  unindexedRanges(cameraId: string): Promise<readonly MediaRange[]>;
  /**
   * A recorded or filled block's file with its index entry, the file checked against the entry's
   * sha256 (throws `BlockCorruptError` if it differs, `BlockNotFoundError` if there is no such
   * block): `bytes` hash to `entry.sha256`, so a caller sending the whole file need not hash it
   * again. With `options.hashed` false only the file's size is checked against the entry.
   */
  readBlock(cameraId: string, startMs: number, options?: ReadBlockOptions): Promise<CheckedBlock>;
  /** True while a live recorder process holds the storage (its recorder.lock names a live pid). */
  recorderHoldsStorage(): Promise<boolean>;
  /**
   * Appends placeholder records; refuses (throws `RecorderRunningError`) while the recorder
   * holds the storage, as the lab (and XProtect's media database) allow no changes under a
   * running recorder. Ranges already present are skipped; a range overlapping an entry or a
   * block file the index does not list yet throws (`PlaceholderConflictError`) before anything
   * is written. Camera folders are created if missing. Returns how many were appended.
   */
  createPlaceholders(cameraId: string, ranges: readonly MediaRange[]): Promise<number>;
  /**
   * Fills part of a pending placeholder with a block (the bytes of a block file whose frames lie
   * inside one placeholder), decoded with every frame's CRC-32 before it is written (unless
   * `options.checkFrameCrcs` is false) and checked against `expectedSha256` as it reads back from
   * the disk (one SHA-256 pass, over the file as written, which covers the bytes given too);
   * the block file appears whole or not at all, never replaces an existing file,
   * and is indexed by a `fill` record. A fill already applied returns 'duplicate'. Throws
   * `ChecksumMismatchError`, `InvalidBlockError`, `NotAPlaceholderError`, `BlockExistsError`,
   * `StorageFullError` (no space), or another error.
   */
  fill(cameraId: string, blockBytes: Buffer, expectedSha256: string, options?: FillOptions): Promise<'applied' | 'duplicate'>;
  /** Removes a pending placeholder (one that can never be filled); throws `NotAPlaceholderError` for recorded or filled data. Nothing there: nothing to do. */
  deletePlaceholder(cameraId: string, startMs: number): Promise<void>;
  /** Free bytes on the storage's file system, for this process. */
  freeBytes(): Promise<number>;
}

/** Errors of a BackfillStorage, by name too (`err.name`), for callers that only see the port. */
export class BackfillStorageError extends Error {
  override readonly name: string = 'BackfillStorageError';
}

/** A block file differs from its index record (or is gone): it is not sent, nor trusted. */
export class BlockCorruptError extends BackfillStorageError {
  override readonly name = 'BlockCorruptError';
}
/** No recorded or filled block starts there. */
export class BlockNotFoundError extends BackfillStorageError {
  override readonly name = 'BlockNotFoundError';
}
/** A live recorder holds the storage: placeholders wait until it is stopped. */
export class RecorderRunningError extends BackfillStorageError {
  override readonly name = 'RecorderRunningError';
}
/** The bytes do not have the SHA-256 they should (before writing, or as read back). */
export class ChecksumMismatchError extends BackfillStorageError {
  override readonly name = 'ChecksumMismatchError';
}
/** The bytes are not a whole block file (a torn or corrupt record, no frame). */
export class InvalidBlockError extends BackfillStorageError {
  override readonly name = 'InvalidBlockError';
}
/** The block's frames do not lie inside one pending placeholder (or that time is filled with other content). */
export class NotAPlaceholderError extends BackfillStorageError {
  override readonly name = 'NotAPlaceholderError';
}
/** A file already has the block's name; it is never replaced. */
export class BlockExistsError extends BackfillStorageError {
  override readonly name = 'BlockExistsError';
}
/** A placeholder would overlap an index entry or a block file not indexed yet. */
export class PlaceholderConflictError extends BackfillStorageError {
  override readonly name = 'PlaceholderConflictError';
}
/** No space left (ENOSPC) or over quota (EDQUOT): free space, then retry. */
export class StorageFullError extends BackfillStorageError {
  override readonly name = 'StorageFullError';
}

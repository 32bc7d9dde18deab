// Reusable block-sized buffers for backfill's reads and transfers. A block is megabytes; a fresh
// buffer for each one costs the kernel a page fault and a zeroed page per 4 KiB, and V8 a full
// garbage collection per 64 MiB allocated outside its heap. On a 2-core lab that was more CPU
// than the SHA-256 of the same bytes (measured with perf: page faults, clear_page, V8's
// concurrent marking). A buffer is lent by `take`, given back by `give` once nothing uses it;
// one never given back is simply collected.
// Every buffer lent starts on a page boundary, so that the lab storage can write and read blocks
// with O_DIRECT (lab-format-backfill.ts writeBlockFile) straight from and into it. Node has no
// aligned allocation, but V8 reserves a growable SharedArrayBuffer's (or a resizable
// ArrayBuffer's) memory from its page allocator (as it does a WebAssembly memory, without the
// latter's 10-GiB guard reservation), so its first byte is on a page: V8's way, not a promise of
// the language, so buffer-pool.test.ts checks it with O_DIRECT I/O, and the storage goes back to
// the page cache should a direct write be refused. `isPageAligned` tells such a buffer from any
// other. The memory is shared where the runtime makes growable SharedArrayBuffers (Node 20 does):
// a hashing thread reads a block where it lies, without a copy (hash-pool.ts).
import { constants } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface BufferPoolOptions {
  /** Free bytes kept for reuse, at most; a buffer given back beyond it is dropped. */
  readonly freeBytesMax?: number;
  /** Free buffers are dropped after this long without a `take` (an idle agent holds none). */
  readonly idleMsMax?: number;
}

const defaultFreeBytesMax = 256 * 1024 * 1024;
const defaultIdleMsMax = 10_000;
/** Buffers are made in whole MiB, so blocks of slightly different sizes share them. */
const capacityStepBytes = 1024 * 1024;
/** A buffer of this size or less is not pooled: small allocations are cheap. */
const pooledBytesMin = 256 * 1024;
/** The page size direct I/O's memory, offsets and lengths are aligned to (a multiple of every disk's logical block up to 4 KiB). */
export const pageBytes = 4096;
/** ES2024's ArrayBuffer and SharedArrayBuffer constructors (Node 20 has them; the TypeScript lib here is ES2023's). */
const ResizableArrayBuffer = ArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => ArrayBuffer & { readonly resizable?: boolean };
const GrowableSharedArrayBuffer = SharedArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => SharedArrayBuffer & { readonly growable?: boolean };
/** Memory whose first byte is on a page boundary, as `alignedBuffer` made it. */
const pageAlignedMemory = new WeakSet<ArrayBufferLike>();

/**
 * A buffer of `bytes` bytes that starts on a page boundary, zeroed, on shared memory where the
 * runtime makes growable SharedArrayBuffers (else on a resizable ArrayBuffer); an ordinary
 * buffer where it makes neither (`isPageAligned` then says false).
 *
 * @example isPageAligned(alignedBuffer(4096)) // true on Node 20
 */
export function alignedBuffer(bytes: number): Buffer {
  const maxByteLength = Math.max(1, bytes);
  const shared = new GrowableSharedArrayBuffer(bytes, { maxByteLength });
  if (shared.growable === true) {
    pageAlignedMemory.add(shared);
    return Buffer.from(shared, 0, bytes);
  }
  const memory = new ResizableArrayBuffer(bytes, { maxByteLength });
  if (memory.resizable === true) pageAlignedMemory.add(memory);
  return Buffer.from(memory, 0, bytes);
}

/** Whether this runtime makes resizable ArrayBuffers, the page-aligned memory above (Node 20 does): without them there is no direct I/O. */
export const pageAlignedMemoryMade: boolean = isPageAligned(alignedBuffer(pageBytes));

/**
 * Whether files in `dir` take direct I/O with this runtime's page-aligned memory: one page written
 * and read back through O_DIRECT (tmpfs, for one, refuses it). What a test expects of a storage
 * depends on it; the storage itself finds out at its first write and falls back to the page cache.
 */
export async function directIoWorksIn(dir: string): Promise<boolean> {
  if (!pageAlignedMemoryMade || constants.O_DIRECT === undefined) return false;
  const path = join(dir, `.twinrec-direct-io-probe-${process.pid}-${Date.now()}`);
  try {
    const file = await open(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_DIRECT, 0o600);
    try {
      const page = alignedBuffer(pageBytes);
      return (await file.write(page, 0, pageBytes, 0)).bytesWritten === pageBytes && (await file.read(page, 0, pageBytes, 0)).bytesRead === pageBytes;
    } finally {
      await file.close();
    }
  } catch {
    return false;
  } finally {
    await rm(path, { force: true });
  }
}

/** True if the buffer's first byte is on a page boundary of memory `alignedBuffer` made (a pooled buffer, or a page-aligned view into one). */
export function isPageAligned(buffer: Buffer): boolean {
  return pageAlignedMemory.has(buffer.buffer) && buffer.byteOffset % pageBytes === 0;
}

/**
 * @example
 *   const pool = new BufferPool();
 *   const bytes = pool.take(10_001_416); // bytes.length === 10_001_416, contents undefined
 *   // … read into it, send or write it, and once nothing refers to it any more:
 *   pool.give(bytes);
 */
export class BufferPool {
  private readonly free: Buffer[] = [];
  private freeBytes = 0;
  private readonly freeBytesMax: number;
  private readonly idleMsMax: number;
  private trimTimer: NodeJS.Timeout | null = null;

  constructor(options: BufferPoolOptions = {}) {
    this.freeBytesMax = Math.max(0, options.freeBytesMax ?? defaultFreeBytesMax);
    this.idleMsMax = Math.max(1, options.idleMsMax ?? defaultIdleMsMax);
  }

  /** Free bytes held now. */
  get heldBytes(): number {
    return this.freeBytes;
  }

  /**
   * A buffer of exactly `bytes` bytes, page-aligned (`isPageAligned`), not zeroed (its contents
   * are what it last held): a reused one if one fits, else a new one.
   */
  take(bytes: number): Buffer {
    if (!(Number.isSafeInteger(bytes) && bytes >= 0)) throw new RangeError(`a buffer of ${String(bytes)} bytes`);
    this.armTrim();
    if (bytes <= pooledBytesMin) return alignedBuffer(bytes);
    // The smallest free buffer that fits (a handful at most: bounded by freeBytesMax).
    let best = -1;
    for (let i = 0; i < this.free.length; i += 1) {
      const length = (this.free[i] as Buffer).length;
      if (length >= bytes && (best === -1 || length < (this.free[best] as Buffer).length)) best = i;
    }
    if (best === -1) return alignedBuffer(Math.ceil(bytes / capacityStepBytes) * capacityStepBytes).subarray(0, bytes);
    const [whole] = this.free.splice(best, 1) as [Buffer];
    this.freeBytes -= whole.length;
    return whole.subarray(0, bytes);
  }

  /**
   * Gives back a buffer `take` lent, for reuse: the caller and everything it handed the buffer to
   * must be done with it (a write or a send finished, not merely started). Giving back the same
   * buffer twice is ignored, and so is one the pool did not make.
   */
  give(buffer: Buffer): void {
    const whole = Buffer.from(buffer.buffer, 0, buffer.buffer.byteLength);
    if (buffer.byteOffset !== 0 || whole.length <= pooledBytesMin || whole.length % capacityStepBytes !== 0) return;
    if (this.free.some((b) => b.buffer === buffer.buffer)) return;
    if (this.freeBytes + whole.length > this.freeBytesMax) return;
    this.free.push(whole);
    this.freeBytes += whole.length;
  }

  /** Drops every free buffer. */
  clear(): void {
    this.free.length = 0;
    this.freeBytes = 0;
    if (this.trimTimer !== null) clearTimeout(this.trimTimer);
    this.trimTimer = null;
  }

  private armTrim(): void {
    if (this.trimTimer !== null) this.trimTimer.refresh();
    else this.trimTimer = setTimeout(() => this.clear(), this.idleMsMax).unref();
  }
}

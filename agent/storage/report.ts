// Puts the latest scan on the storage it belongs to, in the agent-to-controller wire shape. The
// recorder names its storages (GetRecordingStorageStatus: id, name, path); the agent's config
// names the folder its adapter reads. They are matched by path. Pure.
import { posix } from 'node:path';
import type { StorageSpansWire } from '../../contracts/controller-v1.js';
import type { StorageStatus } from '../shell/ports.js';
import type { DataSpan } from './spans.js';
import type { StorageScan } from './storage-scanner.js';

/**
 * Compares two storage locations as the same folder: `\` and `/` alike, no trailing separator,
 * `.` and `..` resolved, and case-insensitive for Windows paths (a drive letter or a UNC share).
 *
 * @example sameStoragePath('C:\\MediaDatabase\\', 'c:/mediadatabase') // true
 */
export function sameStoragePath(a: string, b: string): boolean {
  return normalizeStoragePath(a) === normalizeStoragePath(b);
}

function normalizeStoragePath(path: string): string {
  const slashed = path.trim().replace(/\\/g, '/');
  const windows = /^[A-Za-z]:(\/|$)/.test(slashed) || slashed.startsWith('//');
  const unc = slashed.startsWith('//');
  let normal = posix.normalize(slashed);
  if (unc && !normal.startsWith('//')) normal = `/${normal}`;
  if (normal.length > 1 && normal.endsWith('/') && !/^[A-Za-z]:\/$/.test(normal)) normal = normal.slice(0, -1);
  return windows ? normal.toLowerCase() : normal;
}

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
/** Seconds with millisecond precision. */
const secondsOf = (ms: number): number => Math.round(ms) / 1000;

function wireSpan(span: DataSpan): { oldestAt: string | null; newestAt: string | null; spanSeconds: number; coveredSeconds: number } {
  return { oldestAt: isoOrNull(span.oldestMs), newestAt: isoOrNull(span.newestMs), spanSeconds: secondsOf(span.spanMs), coveredSeconds: secondsOf(span.coveredMs) };
}

/** A scan in the wire shape (contracts/controller-v1.ts storageSpansSchema). */
export function spansWire(scan: StorageScan): StorageSpansWire {
  const { spans } = scan;
  return {
    scannedAt: new Date(scan.scannedAtMs).toISOString(),
    cameraCount: spans.cameraCount,
    truncated: spans.truncated,
    cameraData: { ...wireSpan(spans.cameraData), coveragePercent: spans.cameraData.coveragePercent },
    placeholderData: { ...wireSpan(spans.placeholderData), sharePercent: spans.placeholderData.sharePercent },
  };
}

/**
 * The recorder's storages, each with the spans of the scan of its folder, or `spans: null`
 * when no scan reads it.
 *
 * @example
 *   // scan.root is '/data/storage'
 *   withSpans([{ storageId: 's1', path: '/data/storage', … }], scan)
 *   // [{ storageId: 's1', path: '/data/storage', …, spans: { scannedAt, cameraData: {…}, placeholderData: {…}, … } }]
 */
export function withSpans(storages: readonly StorageStatus[], scan: StorageScan | null): Array<StorageStatus & { spans: StorageSpansWire | null }> {
  const wire = scan === null ? null : spansWire(scan);
  return storages.map((storage) => ({ ...storage, spans: wire !== null && scan !== null && sameStoragePath(storage.path, scan.root) ? wire : null }));
}

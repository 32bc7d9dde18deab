// Scans a storage through its adapter on a fixed interval (not per report: reports come every
// second, a scan reads every camera's index) and keeps the latest spans. One camera at a time,
// and each camera's reading and folding in slices of a few milliseconds with a turn of the event
// loop between them (pace.ts), so heartbeats and probes are not held up by a large storage;
// closing the scanner stops a scan at the next slice.
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { Pace } from '../../shared/pace.js';
import { defaultSpanLimits, emptyTotals, foldCamera, spansOf, type SpanLimits, type StorageSpans } from './spans.js';
import type { StorageAdapter } from './storage-adapter.js';
import { WakeableSleep } from '../shared/wakeable-sleep.js';

/** The result of one scan. */
export interface StorageScan {
  /** The adapter's storage folder. */
  readonly root: string;
  /** Wall-clock time the scan finished (ms since the Unix epoch). */
  readonly scannedAtMs: number;
  readonly durationMs: number;
  readonly spans: StorageSpans;
}

export interface ScanLimits extends SpanLimits {
  /** Most cameras read per scan; the rest are left out and the scan reports `truncated`. */
  readonly maxCameras: number;
}

/** Camera read failures logged per scan; the rest are only counted. */
const failuresLoggedPerScanMax = 3;

/**
 * One pass over the storage: every camera's ranges folded into the span totals, one camera at
 * a time, in slices (`pace`). A camera that cannot be read is left out (and the result marked
 * truncated); a storage that cannot be listed fails the scan, and so does `pace`'s signal
 * aborting (with its reason), between two slices.
 */
export async function scanStorage(adapter: StorageAdapter, limits: ScanLimits, log: Logger, pace: Pace = new Pace()): Promise<StorageSpans> {
  const { cameraIds, truncated } = await adapter.listCameras(limits.maxCameras);
  let totals = { ...emptyTotals, truncated };
  let failures = 0;
  for (const cameraId of cameraIds) {
    pace.signal?.throwIfAborted();
    let camera;
    try {
      camera = await adapter.readCamera(cameraId, pace);
    } catch (err) {
      if (pace.signal?.aborted === true) throw pace.signal.reason;
      failures += 1;
      totals = { ...totals, truncated: true };
      if (failures <= failuresLoggedPerScanMax) log.warn({ root: adapter.root, cameraId, err: (err as Error).message }, 'storage scan: cannot read a camera; left out');
      continue;
    }
    totals = await foldCamera(totals, camera, limits, pace);
    await pace.turn();
  }
  if (failures > failuresLoggedPerScanMax) log.warn({ root: adapter.root, failures }, 'storage scan: cameras left out');
  return spansOf(totals);
}

export interface StorageScannerOptions {
  readonly adapter: StorageAdapter;
  /** Time from the end of one scan to the start of the next. */
  readonly intervalMs: number;
  readonly maxCameras: number;
  readonly maxIntervals?: number;
  readonly log: Logger;
  /** Wall clock; injectable for tests. */
  readonly wallMs?: () => number;
}

export interface StorageScanner {
  /** The latest successful scan, or null before the first. */
  latest(): StorageScan | null;
  close(): Promise<void>;
}

/**
 * Scans now, then every `intervalMs` after the previous scan ended (scans never pile up).
 *
 * @example
 *   const scanner = startStorageScanner({ adapter: new LabFormatAdapter({ root }), intervalMs: 15_000, maxCameras: 4096, log });
 *   scanner.latest()?.spans.cameraData.coveragePercent
 */
export function startStorageScanner(o: StorageScannerOptions): StorageScanner {
  const wallMs = o.wallMs ?? Date.now;
  const limits: ScanLimits = { maxCameras: o.maxCameras, maxIntervals: o.maxIntervals ?? defaultSpanLimits.maxIntervals };
  let latest: StorageScan | null = null;
  let stopped = false;
  /** Aborted by close(): a scan under way stops at its next slice. */
  const closing = new AbortController();
  let failing = false;
  const sleeper = new WakeableSleep();
  const sleep = (ms: number): Promise<void> => sleeper.sleep(ms);

  const loop = async (): Promise<void> => {
    while (!stopped) {
      const startedMs = performance.now();
      try {
        const spans = await scanStorage(o.adapter, limits, o.log, new Pace(closing.signal));
        latest = { root: o.adapter.root, scannedAtMs: wallMs(), durationMs: Math.round(performance.now() - startedMs), spans };
        if (failing) o.log.info({ root: o.adapter.root }, 'storage scan works again');
        failing = false;
      } catch (err) {
        if (stopped) break;
        // Once per outage; the last good scan stays, and its scannedAt says how old it is.
        if (!failing) o.log.warn({ root: o.adapter.root, err: (err as Error).message }, 'storage scan failed; keeping the last result');
        failing = true;
      }
      if (!stopped) await sleep(o.intervalMs);
    }
  };
  const running = loop();

  return {
    latest: () => latest,
    close: async () => {
      stopped = true;
      closing.abort(new Error('storage scanner closed'));
      sleeper.wakeAll();
      await running;
    },
  };
}

// Watching the primary's RecorderConfig.xml. The folder is watched rather than the file, so an
// editor that writes a new file and renames it over the old one is still seen; events are
// debounced, and a change is only reported when the content hash differs, so touching the file
// (or rewriting identical bytes) reports nothing. A slow stat poll backs up fs.watch, which can
// miss events on network shares. When the path is a symbolic link, the real file's folder is
// watched too: that is where a write through the link (apply.ts) lands.
import { watch as watchFolder, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { readConfigFile, realTargetOf } from './config-file.js';
import { RecorderConfigError } from './errors.js';

export interface ConfigFileChange {
  readonly path: string;
  /** SHA-256 of the new content. */
  readonly sha256: string;
  /** SHA-256 before, or null when the file did not exist when watching started. */
  readonly previousSha256: string | null;
  readonly bytes: Buffer;
}

export interface WatchOptions {
  /** Called once per settled change of content. */
  readonly onChange: (change: ConfigFileChange) => void;
  /** Read errors (too large, permission) and watcher errors; watching goes on. */
  readonly onError?: (error: Error) => void;
  /** Quiet time after the last event before the file is read. Default 200 ms. */
  readonly debounceMs?: number;
  /** Stat poll that backs up fs.watch. Default 2000 ms. */
  readonly pollIntervalMs?: number;
  /** Size cap passed to the reader. */
  readonly maxBytes?: number;
  /** Use fs.watch on the folder (default). false: rely on the stat poll alone, for file systems where fs.watch does not work. */
  readonly fsWatch?: boolean;
}

export interface ConfigWatcher {
  /** Resolves once the starting hash is known: changes are reported relative to it. */
  readonly ready: Promise<void>;
  /** Stops watching, cancels timers and waits for a read in progress. Idempotent. */
  close(): Promise<void>;
  /** Reads of the file completed so far, whether or not the content had changed (for metrics and tests). */
  readonly reads: number;
}

/**
 * Watches a RecorderConfig.xml for changes of content.
 *
 * @example
 *   const watcher = watchConfigFile(path, { onChange: (c) => log.info({ sha256: c.sha256 }, 'RecorderConfig.xml changed') });
 *   await watcher.ready;
 *   // …
 *   await watcher.close();
 */
export function watchConfigFile(path: string, options: WatchOptions): ConfigWatcher {
  const file = resolve(path);
  const debounceMs = options.debounceMs ?? 200;
  const pollIntervalMs = options.pollIntervalMs ?? 2000;
  const reportError = (err: unknown): void => {
    try {
      options.onError?.(err instanceof Error ? err : new Error(String(err)));
    } catch {
      // An error handler that throws must not stop the watcher.
    }
  };

  let closed = false;
  let lastSha256: string | null = null;
  let lastStat = '';
  let timer: ReturnType<typeof setTimeout> | null = null;
  let reading: Promise<void> | null = null;
  let again = false;
  const folderWatchers: FSWatcher[] = [];
  let reads = 0;

  const schedule = (): void => {
    if (closed) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      check();
    }, debounceMs);
  };

  // At most one read at a time; events during a read cause exactly one more.
  const check = (): void => {
    if (closed) return;
    if (reading !== null) {
      again = true;
      return;
    }
    reading = readAndCompare().finally(() => {
      reading = null;
      if (again) {
        again = false;
        schedule();
      }
    });
  };

  const readAndCompare = async (): Promise<void> => {
    try {
      const snapshot = await readConfigFile(file, { maxBytes: options.maxBytes });
      if (closed || snapshot.sha256 === lastSha256) return;
      const previousSha256 = lastSha256;
      lastSha256 = snapshot.sha256;
      options.onChange({ path: file, sha256: snapshot.sha256, previousSha256, bytes: snapshot.bytes });
    } catch (err) {
      if (!closed) reportError(err);
    } finally {
      reads++;
    }
  };

  const statKey = async (): Promise<string> => {
    try {
      const s = await stat(file);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return 'missing';
    }
  };

  const ready = (async () => {
    lastStat = await statKey();
    try {
      lastSha256 = (await readConfigFile(file, { maxBytes: options.maxBytes })).sha256;
    } catch (err) {
      if (!(err instanceof RecorderConfigError && err.code === 'not-found')) reportError(err);
    }
    if (closed || options.fsWatch === false) return;
    const real = await realTargetOf(file).catch(() => file);
    if (closed) return;
    const watchedFiles = real === file ? [file] : [file, real];
    for (const watchedFile of watchedFiles) {
      try {
        const watchedName = basename(watchedFile);
        const watcher = watchFolder(dirname(watchedFile), { persistent: true }, (_event, changed) => {
          if (changed === null || changed === watchedName) schedule();
        });
        watcher.on('error', (err) => {
          reportError(err);
          watcher.close();
          folderWatchers.splice(folderWatchers.indexOf(watcher), 1); // the poll carries on
        });
        folderWatchers.push(watcher);
      } catch (err) {
        reportError(err);
      }
    }
  })();

  const poll = setInterval(() => {
    void statKey().then((key) => {
      if (key !== lastStat) {
        lastStat = key;
        schedule();
      }
    });
  }, pollIntervalMs);

  return {
    ready,
    get reads() {
      return reads;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await ready.catch(() => undefined);
      for (const watcher of folderWatchers.splice(0)) watcher.close();
      await reading;
    },
  };
}

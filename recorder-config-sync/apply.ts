// Writing RecorderConfig.xml so that it is never torn, missing or unparseable, and so that
// every change has a backup: validate → back up → write a temp file beside it → fsync →
// rename over → fsync the folder. A compare-and-swap on the SHA-256 of what the caller read
// refuses to overwrite a file that changed in between. A symbolic link (deployment tooling may
// link RecorderConfig.xml) is written through: the real file is replaced, beside itself, and the
// link stays a link.
import { randomBytes } from 'node:crypto';
import { link, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileError, readConfigFile, readConfigFileIfExists, realTargetOf, sha256Hex } from './config-file.js';
import { RecorderConfigError, inFile } from './errors.js';
import { assertWellFormedIndependently, parseRecorderConfig, type RecorderConfig } from './validate.js';
import { encodeXml } from './xml-document.js';

/** Backups kept per file by default (older ones are deleted after a successful write). */
export const defaultKeepBackups = 10;
/** Bounds on `keepBackups`: at least one, so that every change has a backup. */
export const maxKeepBackups = 1000;

export interface ApplyOptions {
  /** The RecorderConfig.xml to replace. */
  readonly path: string;
  /** The new content. */
  readonly xml: string;
  /**
   * SHA-256 (hex) of the file as the caller read it. Nothing is written when the file no longer
   * has this hash. null: the file must not exist.
   */
  readonly expectedSha256: string | null;
  /** Backups to keep, 1…1000. Default {@link defaultKeepBackups}. */
  readonly keepBackups?: number;
  /** A further check of the new content (e.g. "the recorder/id is the primary's"); throw to refuse. */
  readonly check?: (config: RecorderConfig) => void;
  /** Clock for backup names (tests). */
  readonly now?: () => Date;
}

export interface ApplyResult {
  readonly path: string;
  /** The file written: `path`, or the real file when `path` is a symbolic link (backups are beside it). */
  readonly realPath: string;
  /** False when the file already had exactly this content: then nothing was written. */
  readonly changed: boolean;
  /** The backup of the replaced content, or null (unchanged, or there was no file). */
  readonly backup: string | null;
  readonly sha256Before: string | null;
  readonly sha256After: string;
  /** Old backups deleted to keep the last N. */
  readonly removedBackups: readonly string[];
}

/**
 * Validates `xml` as a RecorderConfig.xml and atomically replaces the file with it.
 *
 * @throws RecorderConfigError: a parse or validation code for bad content,
 *   `changed-since-read` when the compare-and-swap fails, `read-only` when the folder cannot be
 *   written. In every case the file is left as it was.
 * @example
 *   const target = await readConfigFile(path);
 *   const { xml } = clone(primaryBytes, target.bytes);
 *   await applyRecorderConfig({ path, xml, expectedSha256: target.sha256 });
 */
export async function applyRecorderConfig(options: ApplyOptions): Promise<ApplyResult> {
  const keepBackups = checkKeepBackups(options.keepBackups);
  const bytes = encodeXml(options.xml);
  try {
    const config = parseRecorderConfig(options.xml);
    assertWellFormedIndependently(options.xml);
    options.check?.(config);
  } catch (err) {
    throw inFile(err, 'the new content');
  }
  return replaceAtomically(options.path, bytes, options.expectedSha256, keepBackups, options.now ?? (() => new Date()));
}

// ---- backups --------------------------------------------------------------------------------

export interface BackupInfo {
  /** File name, e.g. `RecorderConfig.xml.twinrec-20261122T023300.123Z.bak`. */
  readonly name: string;
  readonly path: string;
  /** When the backup was taken (from its name). */
  readonly takenAt: Date;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function backupPattern(base: string): RegExp {
  return new RegExp(`^${escapeRegExp(base)}\\.twinrec-(\\d{8}T\\d{6}\\.\\d{3}Z)(?:-(\\d{1,3}))?\\.bak$`);
}

function stampOf(date: Date): string {
  return date.toISOString().replace(/[-:]/g, ''); // 20261122T023300.123Z
}

function dateOfStamp(stamp: string): Date {
  return new Date(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13)}`);
}

/**
 * The twinrec backups of a file, newest first.
 *
 * @example
 *   (await listBackups('/cfg/RecorderConfig.xml'))[0]?.name   // 'RecorderConfig.xml.twinrec-20261122T023300.123Z.bak'
 */
export async function listBackups(path: string): Promise<BackupInfo[]> {
  const real = await realTargetOf(path);
  const dir = dirname(real);
  const base = basename(real);
  const pattern = backupPattern(base);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw fileError(err, dir, 'read');
  }
  const found: { info: BackupInfo; stamp: string; seq: number }[] = [];
  for (const name of names) {
    const m = pattern.exec(name);
    if (m === null) continue;
    const stamp = m[1] as string;
    found.push({ info: { name, path: join(dir, name), takenAt: dateOfStamp(stamp) }, stamp, seq: m[2] === undefined ? 1 : Number(m[2]) });
  }
  found.sort((a, b) => (a.stamp < b.stamp ? 1 : a.stamp > b.stamp ? -1 : b.seq - a.seq));
  return found.map((f) => f.info);
}

// ---- rollback -------------------------------------------------------------------------------

export interface RollbackOptions {
  readonly path: string;
  /** A backup's file name (as listed by {@link listBackups}); default the newest. */
  readonly backup?: string;
  readonly keepBackups?: number;
  readonly now?: () => Date;
}

export interface RollbackResult extends ApplyResult {
  /** The backup that was restored. */
  readonly restoredFrom: string;
}

/**
 * Restores a backup, atomically and after validating it. The content it replaces is itself
 * backed up first (when there is a file), so a rollback can be rolled back.
 *
 * @throws RecorderConfigError `no-backup` when there is none (or no such name), a parse or
 *   validation code when the backup is not a valid RecorderConfig.xml, `read-only`.
 * @example
 *   await rollbackRecorderConfig({ path: 'RecorderConfig.xml' });                       // newest
 *   await rollbackRecorderConfig({ path: 'RecorderConfig.xml', backup: 'RecorderConfig.xml.twinrec-20261122T023300.123Z.bak' });
 */
export async function rollbackRecorderConfig(options: RollbackOptions): Promise<RollbackResult> {
  const keepBackups = checkKeepBackups(options.keepBackups);
  const backups = await listBackups(options.path);
  const dir = dirname(await realTargetOf(options.path));
  let chosen: BackupInfo | undefined;
  if (options.backup === undefined) {
    chosen = backups[0];
    if (chosen === undefined) throw new RecorderConfigError('no-backup', `no twinrec backup of ${basename(options.path)} in ${dir}`);
  } else {
    const name = basename(options.backup);
    if (options.backup !== name && dirname(resolve(options.backup)) !== dir) {
      throw new RecorderConfigError('no-backup', `${options.backup}: a backup must be in the folder of ${options.path}`);
    }
    chosen = backups.find((b) => b.name === name);
    if (chosen === undefined) {
      const newest = backups.slice(0, 3).map((b) => b.name).join(', ');
      throw new RecorderConfigError('no-backup', `no backup named ${name} in ${dir}${newest === '' ? ' (there are none)' : ` (newest: ${newest})`}`);
    }
  }
  const snapshot = await readConfigFile(chosen.path);
  try {
    parseRecorderConfig(snapshot.bytes);
    assertWellFormedIndependently(snapshot.bytes.toString('utf8'));
  } catch (err) {
    throw inFile(err, `backup ${chosen.name} is not a valid RecorderConfig.xml; nothing was restored`);
  }
  const current = await readConfigFileIfExists(options.path);
  const result = await replaceAtomically(options.path, snapshot.bytes, current?.sha256 ?? null, keepBackups, options.now ?? (() => new Date()));
  return { ...result, restoredFrom: chosen.name };
}

// ---- the atomic replace ---------------------------------------------------------------------

function checkKeepBackups(keep: number | undefined): number {
  const value = keep ?? defaultKeepBackups;
  if (!Number.isInteger(value) || value < 1 || value > maxKeepBackups) {
    throw new RecorderConfigError('invalid', `keepBackups must be a whole number from 1 to ${maxKeepBackups} (got ${String(keep)})`);
  }
  return value;
}

function casMismatch(path: string, expected: string | null, actual: string | null): RecorderConfigError {
  const show = (h: string | null): string => (h === null ? 'no file' : `sha256 ${h.slice(0, 12)}…`);
  return new RecorderConfigError('changed-since-read', `${path} changed since it was read (expected ${show(expected)}, found ${show(actual)}); nothing was written — read it again and retry`);
}

async function replaceAtomically(path: string, bytes: Buffer, expectedSha256: string | null, keepBackups: number, now: () => Date): Promise<ApplyResult> {
  const realPath = await realTargetOf(path);
  const dir = dirname(realPath);
  const base = basename(realPath);
  const sha256After = sha256Hex(bytes);
  const current = await readConfigFileIfExists(realPath);
  const sha256Before = current?.sha256 ?? null;
  if (sha256Before !== expectedSha256) throw casMismatch(path, expectedSha256, sha256Before);
  if (current !== null && current.bytes.equals(bytes)) {
    return { path, realPath, changed: false, backup: null, sha256Before, sha256After, removedBackups: [] };
  }

  await removeStaleTemps(dir, base);
  let backup: string | null = null;
  let temp: string | null = null;
  let replaced = false;
  try {
    const mode = current?.mode ?? 0o644;
    if (current !== null) backup = await writeBackup(dir, base, current.bytes, now(), mode);
    temp = await writeTemp(dir, base, bytes, mode);
    // Second look just before the rename narrows the window in which another writer could
    // slip in; a rename cannot compare-and-swap, so this is as close as a file system allows.
    const again = await readConfigFileIfExists(realPath);
    if ((again?.sha256 ?? null) !== expectedSha256) throw casMismatch(path, expectedSha256, again?.sha256 ?? null);
    await rename(temp, realPath).catch((err: unknown) => { throw fileError(err, realPath, 'write'); });
    temp = null;
    replaced = true;
    await fsyncFolder(dir);
  } catch (err) {
    if (temp !== null) await rm(temp, { force: true }).catch(() => undefined);
    // A backup of content that was never replaced is only clutter.
    if (backup !== null && !replaced) await rm(backup, { force: true }).catch(() => undefined);
    throw err;
  }
  const removedBackups = await pruneBackups(realPath, keepBackups);
  return { path, realPath, changed: true, backup, sha256Before, sha256After, removedBackups };
}

const tempMarker = '.twinrec-tmp-';

/** Writes bytes to a new temp file in `dir` with permission bits `mode`, and fsyncs it. */
async function writeTemp(dir: string, base: string, bytes: Buffer, mode: number): Promise<string> {
  const temp = join(dir, `${base}${tempMarker}${process.pid}-${randomBytes(6).toString('hex')}`);
  let handle;
  try {
    handle = await open(temp, 'wx', 0o600);
  } catch (err) {
    throw fileError(err, dir, 'write');
  }
  try {
    await handle.writeFile(bytes);
    await handle.chmod(mode); // not through open(): the umask would narrow it
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw fileError(err, temp, 'write');
  }
  await handle.close();
  return temp;
}

/** A complete backup under a name no other backup has (hard link: never overwrites), made durable. */
async function writeBackup(dir: string, base: string, bytes: Buffer, at: Date, mode: number): Promise<string> {
  const temp = await writeTemp(dir, base, bytes, mode);
  try {
    const stamp = stampOf(at);
    for (let seq = 1; seq <= 999; seq++) {
      const name = join(dir, `${base}.twinrec-${stamp}${seq === 1 ? '' : `-${seq}`}.bak`);
      try {
        await link(temp, name);
        await fsyncFolder(dir);
        return name;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError(err, name, 'write');
      }
    }
    throw new RecorderConfigError('io', `${dir}: 999 backups of ${base} share the time stamp ${stamp}`);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** Deletes backups beyond the newest `keep`. */
async function pruneBackups(path: string, keep: number): Promise<string[]> {
  const removed: string[] = [];
  for (const old of (await listBackups(path)).slice(keep)) {
    await unlink(old.path).then(() => removed.push(old.name), () => undefined);
  }
  return removed;
}

/** Temp files left by a process killed mid-write (its PID no longer runs). */
async function removeStaleTemps(dir: string, base: string): Promise<void> {
  const pattern = new RegExp(`^${escapeRegExp(base + tempMarker)}(\\d+)-[0-9a-f]+$`);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const m = pattern.exec(name);
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && !isRunning(pid)) await rm(join(dir, name), { force: true }).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Makes a rename durable. Windows cannot open a folder for fsync; NTFS journals the rename. */
async function fsyncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

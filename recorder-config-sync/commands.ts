// The actions behind `twinrec config diff|clone|rollback`: the imperative shell that reads
// files, calls the pure core and writes the result. Loaded lazily by cli.ts.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { exitCodes } from '../shared/exit-codes.js';
import { applyRecorderConfig, listBackups, rollbackRecorderConfig } from './apply.js';
import { cloneDocuments, verifyClone } from './clone.js';
import { defaultCloneRules, maxRulesFileBytes, parseRulesFile, withOverrides, type CloneRules } from './clone-rules.js';
import { readConfigFile } from './config-file.js';
import { diffDocuments, type DifferenceKind } from './diff.js';
import { RecorderConfigError, inFile } from './errors.js';
import { countKinds, formatClone, formatDiff, shownDiff, type DiffReport } from './format.js';
import { unclassifiedPaths } from './unclassified.js';
import { parseRecorderConfig, type RecorderConfig } from './validate.js';

/** Where a command writes; tests can capture it. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export interface DiffFlags {
  readonly rules?: string;
  readonly only?: DifferenceKind;
  readonly json?: boolean;
}

export interface CloneFlags {
  readonly from: string;
  readonly to: string;
  readonly dryRun?: boolean;
  readonly rules?: string;
  readonly keepBackups?: number;
  readonly json?: boolean;
}

export interface RollbackFlags {
  readonly backup?: string;
  readonly list?: boolean;
  readonly keepBackups?: number;
  readonly json?: boolean;
}

/**
 * `twinrec config diff A B`: 0 when nothing to report, 1 when differences (of the kind asked for)
 * or unclassified paths (shown without `--only`, or with `--only unclassified`), 2 on error.
 */
export async function runDiff(primaryPath: string, nodePath: string, flags: DiffFlags, io: Io = processIo): Promise<number> {
  return guarded('config diff', flags.json === true, io, async () => {
    const rules = await loadRules(flags.rules);
    const [primary, node] = await Promise.all([loadConfig(primaryPath), loadConfig(nodePath)]);
    const report: DiffReport = {
      primaryPath, nodePath, only: flags.only ?? null,
      changes: diffDocuments(primary.config, node.config, rules),
      unclassified: unclassifiedPaths(primary.config, node.config, rules),
    };
    const shown = shownDiff(report);
    if (flags.json === true) {
      io.out(`${JSON.stringify({
        primary: primaryPath, node: nodePath, only: report.only,
        // The counts cover every difference; `differences` counts those `changes` lists.
        ...countKinds(report.changes), differences: shown.changes.length, changes: shown.changes,
        unclassifiedPaths: shown.unclassified.paths, unclassifiedPathsOmitted: shown.unclassified.omitted,
      }, null, 2)}\n`);
    } else {
      io.out(formatDiff(report));
    }
    return shown.found ? exitCodes.failure : exitCodes.ok;
  });
}

/** `twinrec config clone --from A --to B`: 0 when cloned (or already a clone), 2 on error. */
export async function runClone(flags: CloneFlags, io: Io = processIo): Promise<number> {
  return guarded('config clone', flags.json === true, io, async () => {
    const rules = await loadRules(flags.rules);
    const [primary, target] = await Promise.all([loadConfig(flags.from), loadConfig(flags.to)]);
    const result = inFileSync(() => cloneDocuments(primary.config, target.config, rules), flags.to);
    const toCopy = countKinds(result.changes).shared;
    let outcome: string;
    let applied = null;
    if (flags.dryRun === true) {
      outcome = `dry run: ${flags.to} was not changed`;
    } else if (toCopy === 0) {
      outcome = `${flags.to} is already a clone of ${flags.from}: nothing written`;
    } else {
      applied = await applyRecorderConfig({
        path: flags.to, xml: result.xml, expectedSha256: target.sha256, keepBackups: flags.keepBackups,
        check: (config) => verifyClone(primary.config, config, rules),
      });
      outcome = `wrote ${flags.to}${throughLink(flags.to, applied.realPath)}; backup ${applied.backup ?? '(none)'}`;
    }
    if (flags.json === true) {
      io.out(`${JSON.stringify({
        from: flags.from, to: flags.to, ...(applied !== null && throughLink(flags.to, applied.realPath) !== '' ? { realPath: applied.realPath } : {}),
        dryRun: flags.dryRun === true, written: applied?.changed === true,
        backup: applied?.backup ?? null, sha256Before: target.sha256, sha256After: applied?.sha256After ?? null,
        removedBackups: applied?.removedBackups ?? [], ...countKinds(result.changes), changes: result.changes,
      }, null, 2)}\n`);
    } else {
      io.out(formatClone(flags.from, flags.to, result.changes, outcome));
    }
    return exitCodes.ok;
  });
}

/** `twinrec config rollback B`: restores the newest (or a named) backup; 0 when done, 2 on error. */
export async function runRollback(targetPath: string, flags: RollbackFlags, io: Io = processIo): Promise<number> {
  return guarded('config rollback', flags.json === true, io, async () => {
    if (flags.list === true) {
      const backups = await listBackups(targetPath);
      if (flags.json === true) {
        io.out(`${JSON.stringify({ path: targetPath, backups: backups.map((b) => ({ name: b.name, takenAt: b.takenAt.toISOString() })) }, null, 2)}\n`);
      } else {
        io.out(backups.length === 0 ? `no twinrec backups of ${targetPath}\n` : `${backups.map((b) => `${b.name}  (${b.takenAt.toISOString()})`).join('\n')}\n`);
      }
      return exitCodes.ok;
    }
    const result = await rollbackRecorderConfig({ path: targetPath, backup: flags.backup, keepBackups: flags.keepBackups });
    if (flags.json === true) {
      io.out(`${JSON.stringify({ path: targetPath, ...(throughLink(targetPath, result.realPath) !== '' ? { realPath: result.realPath } : {}), restoredFrom: result.restoredFrom, changed: result.changed, backup: result.backup, sha256Before: result.sha256Before, sha256After: result.sha256After }, null, 2)}\n`);
    } else {
      io.out(result.changed
        ? `restored ${targetPath}${throughLink(targetPath, result.realPath)} from ${result.restoredFrom}; the content it replaced is in ${result.backup ?? '(there was no file)'}\n`
        : `${targetPath} already has the content of ${result.restoredFrom}: nothing written\n`);
    }
    return exitCodes.ok;
  });
}

// ---- helpers --------------------------------------------------------------------------------

/** Says where a write through a symbolic link landed; empty when `path` is the file itself. */
function throughLink(path: string, realPath: string): string {
  return resolve(path) === realPath ? '' : ` through its symbolic link to ${realPath}`;
}

async function guarded(command: string, json: boolean, io: Io, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const code = err instanceof RecorderConfigError ? err.code : 'internal';
    io.err(`twinrec ${command}: ${message.split('\n')[0] ?? message}\n`);
    if (json) io.out(`${JSON.stringify({ error: { code, message } })}\n`);
    return exitCodes.usage;
  }
}

async function loadConfig(path: string): Promise<{ config: RecorderConfig; sha256: string }> {
  const snapshot = await readConfigFile(path);
  return { config: inFileSync(() => parseRecorderConfig(snapshot.bytes), path), sha256: snapshot.sha256 };
}

function inFileSync<T>(body: () => T, path: string): T {
  try {
    return body();
  } catch (err) {
    throw inFile(err, path);
  }
}

async function loadRules(path: string | undefined): Promise<CloneRules> {
  if (path === undefined) return defaultCloneRules;
  try {
    if ((await stat(path)).size > maxRulesFileBytes) throw new RecorderConfigError('rules', `${path}: rules file is larger than ${maxRulesFileBytes} bytes`);
    const override = parseRulesFile(await readFile(path, 'utf8'), path);
    return inFileSync(() => withOverrides(defaultCloneRules, override), path);
  } catch (err) {
    if (err instanceof RecorderConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new RecorderConfigError('rules', `${path}: cannot read the rules file (${code ?? String(err)})`);
  }
}

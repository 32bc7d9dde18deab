// `twinrec config diff|clone|rollback`. Only option parsing and help live here; the actions are
// imported when a command runs, so `twinrec --help` and other commands start fast.
import { InvalidArgumentError, Option, type Command } from 'commander';

const exitCodeHelp = `
Exit codes:
  0  success (diff: no differences, and every path classified)
  1  diff: differences found (of the --only kind, when given), or paths no rule classifies
     (shown without --only, or with --only unclassified)
  2  error: bad input, bad rules, the target changed since it was read, or it cannot be
     written; the target is left untouched`;

function parseKeepBackups(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('expected a whole number from 1 to 1000');
  return n;
}

/** Registers `twinrec config diff|clone|rollback` on the `config` command. */
export function registerConfigSyncCommands(config: Command): void {
  config
    .command('diff')
    .description('Compare a node\'s RecorderConfig.xml with the primary\'s, path by path, each difference marked shared (copied by a clone), local (kept per node) or unclassified (no rule covers it: kept per node, never copied), and list every path no rule classifies')
    .argument('<primary>', 'the primary\'s RecorderConfig.xml (the reference)')
    .argument('<node>', 'the other node\'s RecorderConfig.xml')
    .option('--rules <file>', 'per-cluster clone rules (YAML or JSON) over the built-in ones')
    .addOption(new Option('--only <kind>', 'show (and exit 1 for) only this kind of difference; the others are counted as not shown').choices(['shared', 'local', 'unclassified']))
    .option('--json', 'print JSON: { primary, node, only, shared, local, unclassified (counts of all differences), differences (how many changes lists), changes: [{ path, kind, subject, before, after, rule }], unclassifiedPaths: [{ path, in: both|primary|node }], unclassifiedPathsOmitted }')
    .addHelpText('after', `
Examples:
  $ twinrec config diff A/RecorderConfig.xml B/RecorderConfig.xml
  $ twinrec config diff A.xml B.xml --only shared        exit 1 only when a clone would change B
  $ twinrec config diff A.xml B.xml --only unclassified  exit 1 when a path has no rule (add one with --rules)
  $ twinrec config diff A.xml B.xml --rules cluster-1.yaml --json
${exitCodeHelp}`)
    .exitOverride()
    .action(async (primary: string, node: string, flags: { rules?: string; only?: 'shared' | 'local' | 'unclassified'; json?: boolean }) => {
      const { runDiff } = await import('./commands.js');
      process.exitCode = await runDiff(primary, node, flags);
    });

  config
    .command('clone')
    .description('Make B a clone of A: copy the shared values of the primary\'s RecorderConfig.xml into the target\'s, keep its node-local values, and write it atomically with a backup')
    .requiredOption('--from <file>', 'the primary\'s RecorderConfig.xml')
    .requiredOption('--to <file>', 'the target node\'s RecorderConfig.xml (replaced atomically; a backup RecorderConfig.xml.twinrec-<UTC time>.bak is kept beside it)')
    .option('--dry-run', 'show what would be copied and kept; write nothing')
    .option('--rules <file>', 'per-cluster clone rules (YAML or JSON): rules to add or override, and a storage path map')
    .option('--keep-backups <n>', 'backups of the target to keep (1-1000)', parseKeepBackups, 10)
    .option('--json', 'print JSON: { from, to, dryRun, written, backup, sha256Before, sha256After, shared, local, changes }')
    .addHelpText('after', `
Examples:
  $ twinrec config clone --from A/RecorderConfig.xml --to B/RecorderConfig.xml --dry-run
  $ twinrec config clone --from A.xml --to B.xml
  $ twinrec config clone --from A.xml --to B.xml --rules cluster-1.yaml --keep-backups 20 --json

A rules file (YAML or JSON):
  rules:
    - { path: webserver/port, kind: local, note: both lab nodes run on one host }
  storagePathMap:
    'D:\\MediaDatabase': 'E:\\Media'
${exitCodeHelp}`)
    .exitOverride()
    .action(async (flags: { from: string; to: string; dryRun?: boolean; rules?: string; keepBackups: number; json?: boolean }) => {
      const { runClone } = await import('./commands.js');
      process.exitCode = await runClone(flags);
    });

  config
    .command('rollback')
    .description('Restore a RecorderConfig.xml from its newest (or a named) twinrec backup, atomically; the content it replaces is backed up too')
    .argument('<target>', 'the RecorderConfig.xml to restore')
    .option('--backup <name>', 'the backup file name to restore (see --list); default: the newest')
    .option('--list', 'list the backups, newest first, and change nothing')
    .option('--keep-backups <n>', 'backups to keep (1-1000)', parseKeepBackups, 10)
    .option('--json', 'print JSON: { path, restoredFrom, changed, backup, sha256Before, sha256After } (with --list: { path, backups })')
    .addHelpText('after', `
Examples:
  $ twinrec config rollback B/RecorderConfig.xml --list
  $ twinrec config rollback B/RecorderConfig.xml
  $ twinrec config rollback B/RecorderConfig.xml --backup RecorderConfig.xml.twinrec-20261122T023300.123Z.bak
${exitCodeHelp}`)
    .exitOverride()
    .action(async (target: string, flags: { backup?: string; list?: boolean; keepBackups: number; json?: boolean }) => {
      const { runRollback } = await import('./commands.js');
      process.exitCode = await runRollback(target, flags);
    });
}

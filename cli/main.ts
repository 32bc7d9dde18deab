#!/usr/bin/env node
// The one `twinrec` command. Each folder registers its own subcommands, so the CLI is only
// the place where they meet: api/ (serve, migrate, config print), recorder-config-sync/
// (config diff|clone|rollback) and lab/ (lab …).
import { Command, CommanderError } from 'commander';
import { registerServeCommand } from '../api/src/cli/serve.js';
import { registerMigrateCommand } from '../api/src/cli/migrate.js';
import { registerConfigPrintCommand } from '../api/src/cli/config-print.js';
import { registerConfigSyncCommands } from '../recorder-config-sync/cli.js';
import { registerLabCommands } from '../lab/cli.js';
import { exitCodes } from './exit-codes.js';

export function buildProgram(): Command {
  const program = new Command('twinrec')
    .description('High availability for Milestone XProtect recording servers: server cloning, failover, backfill.')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError('(run with --help for usage and examples)')
    .addHelpText('after', `
Examples:
  $ twinrec serve                          start the controller on http://127.0.0.1:8740
  $ twinrec serve --port 0 --data-dir /var/lib/twinrec
  $ twinrec migrate status                 show applied and pending migrations
  $ twinrec config print --json            effective controller configuration, secrets masked
  $ twinrec config diff A.xml B.xml        compare two RecorderConfig.xml files
  $ twinrec lab up --pairs 1 --cameras 4   start an XProtect stand-in
  $ twinrec <command> --help               flags and examples for one command`);

  registerServeCommand(program);
  registerMigrateCommand(program);
  const config = program.command('config').description('Controller configuration and RecorderConfig.xml cloning');
  registerConfigPrintCommand(config);
  registerConfigSyncCommands(config);
  registerLabCommands(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with code 0; usage errors were already printed by commander.
      process.exitCode = err.exitCode === 0 ? 0 : exitCodes.usage;
      return;
    }
    console.error(`twinrec: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = exitCodes.failure;
  }
}

await main(process.argv);

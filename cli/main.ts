#!/usr/bin/env node
// The one `twinrec` command. Each folder registers its own subcommands, so the CLI is only
// the place where they meet: api/ (serve, migrate, config print), recorder-config-sync/
// (config diff|clone|rollback) and agent/ (agent, relay). `lab …` runs the lab's own
// program (lab/main.ts) in a child process, so the product never loads the stand-in.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { registerServeCommand } from '../api/src/cli/serve.js';
import { registerMigrateCommand } from '../api/src/cli/migrate.js';
import { registerConfigPrintCommand } from '../api/src/cli/config-print.js';
import { registerSupportCommands } from '../api/src/cli/support.js';
import { registerConfigSyncCommands } from '../recorder-config-sync/cli.js';
import { registerAgentCommands } from '../agent/cli.js';
import { registerDemoCommand } from './demo.js';
import { runLab } from './lab-program.js';
import { runProgram } from '../shared/run-program.js';

export function buildProgram(): Command {
  const program = new Command('twinrec')
    .description('High availability for Milestone XProtect recording servers: server cloning, failover, backfill.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage and examples)')
    .enablePositionalOptions()
    .addHelpText('after', `
Examples:
  $ twinrec demo                           controller + lab pair + agents (what npm start runs)
  $ twinrec serve                          start the controller on http://127.0.0.1:8740
  $ twinrec serve --port 0 --data-dir /var/lib/twinrec
  $ twinrec migrate status                 show applied and pending migrations
  $ twinrec config print --json            effective controller configuration, secrets masked
  $ twinrec config diff A.xml B.xml        compare two RecorderConfig.xml files
  $ twinrec lab up --pairs 1 --cameras 4   start an XProtect stand-in
  $ twinrec support snapshot --out s.zip   a zip for support (TWINREC_API_TOKEN: an admin token)
  $ twinrec <command> --help               flags and examples for one command`);

  registerServeCommand(program);
  registerMigrateCommand(program);
  const config = program.command('config').description('Controller configuration and RecorderConfig.xml cloning');
  registerConfigPrintCommand(config);
  registerConfigSyncCommands(config);
  program
    .command('lab')
    .description('XProtect stand-in: camera hub, management server, recording servers and fault injection (twinrec lab --help)')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .passThroughOptions()
    .argument('[args...]', "the lab's command and its flags")
    .action(async (args: string[]) => {
      process.exitCode = (await runLab(args)).exitCode;
    });
  registerAgentCommands(program);
  registerDemoCommand(program);
  registerSupportCommands(program);
  return program;
}

/** The version in package.json, found from cli/ (source) or dist/cli/ (built). */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth += 1) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
    dir = dirname(dir);
  }
  return 'unknown';
}

await runProgram(buildProgram(), process.argv);

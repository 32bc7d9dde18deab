#!/usr/bin/env node
// The entry of every lab process: `node lab/main.ts lab <command> …` (or dist/lab/main.js).
// Only the lab's commands are registered, so a lab process starts without loading the
// controller; `twinrec lab …` through cli/main.ts runs exactly the same commands.
import { Command, CommanderError } from 'commander';
import { CliError, exitCodes } from '../cli/exit-codes.js';
import { registerLabCommands } from './cli.js';

const program = new Command('twinrec').description('twinrec lab processes');
registerLabCommands(program);
program.exitOverride();
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : exitCodes.usage;
  } else {
    console.error(`twinrec: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = err instanceof CliError ? err.exitCode : exitCodes.failure;
  }
}

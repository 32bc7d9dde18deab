// Runs a commander program and turns its outcome into the process exit code, the same way
// for every entry point (cli/main.ts, lab/main.ts).
import { CommanderError, type Command } from 'commander';
import { CliError, exitCodes } from './exit-codes.js';

export async function runProgram(program: Command, argv: string[]): Promise<void> {
  // `twinrec … | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  // Commander copies exitOverride only to subcommands created after it, so set it on all.
  const override = (command: Command, depth: number): void => {
    command.exitOverride();
    if (depth < 8) for (const sub of command.commands) override(sub, depth + 1);
  };
  override(program, 0);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with code 0; usage errors were already printed by commander.
      process.exitCode = err.exitCode === 0 ? 0 : exitCodes.usage;
      return;
    }
    console.error(`twinrec: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = err instanceof CliError ? err.exitCode : exitCodes.failure;
  }
}

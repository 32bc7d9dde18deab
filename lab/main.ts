#!/usr/bin/env node
// The entry of every lab process: `node lab/main.ts lab <command> …` (or dist/lab/main.js).
// Only the lab's commands are registered, so a lab process starts without loading the
// controller; `twinrec lab …` through cli/main.ts runs exactly the same commands.
import { Command } from 'commander';
import { runProgram } from '../shared/run-program.js';
import { registerLabCommands } from './cli.js';

const program = new Command('twinrec').description('twinrec lab processes');
registerLabCommands(program);
await runProgram(program, process.argv);

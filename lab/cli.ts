import type { Command } from 'commander';

/** Registers `twinrec lab …`. (Being written.) */
export function registerLabCommands(_program: Command): void {}

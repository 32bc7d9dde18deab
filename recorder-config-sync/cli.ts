import type { Command } from 'commander';

/** Registers `twinrec config diff|clone|rollback` on the `config` command. (Being written.) */
export function registerConfigSyncCommands(_config: Command): void {}

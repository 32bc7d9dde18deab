// `twinrec config print`: the effective controller configuration, secrets masked.
import type { Command } from 'commander';
import { addConfigFlags, configFromFlags, type ControllerFlags } from './options.js';

export function registerConfigPrintCommand(config: Command): void {
  addConfigFlags(config.command('print').description('Show the effective controller configuration (file < TWINREC_* env < flags), secrets masked'), true)
    .option('--json', 'print JSON instead of YAML')
    .addHelpText('after', `
Examples:
  $ twinrec config print
  $ TWINREC_HTTP_PORT=9000 twinrec config print --config controller.yaml --json`)
    .action(async (flags: ControllerFlags & { json?: boolean }) => {
      const { config: effective, warnings, origins } = configFromFlags(flags);
      const { maskSecrets } = await import('../config/load.js');
      for (const warning of warnings) console.error(`warning: ${warning}`);
      const masked = maskSecrets(effective);
      if (flags.json === true) {
        console.log(JSON.stringify(masked, null, 2));
        return;
      }
      const { stringify } = await import('yaml');
      const sources = [...origins.entries()].map(([path, from]) => `#   ${path} ← ${from}`);
      console.log(`${sources.length > 0 ? `# set explicitly:\n${sources.join('\n')}\n` : '# every value is a default\n'}${stringify(masked)}`.trimEnd());
    });
}

// `twinrec migrate up|down|status`: the database schema, by hand.
import type { Command } from 'commander';
import { CliError } from '../../../shared/exit-codes.js';
import { addConfigFlags, configFromFlags, type ControllerFlags } from './options.js';

interface MigrateFlags extends ControllerFlags {
  json?: boolean;
  steps?: number;
}

async function openDataSource(flags: ControllerFlags) {
  const { config } = configFromFlags(flags);
  const { createDataSource } = await import('../db/data-source.js');
  const { describe, withTimeout } = await import('../db/database.js');
  const source = createDataSource({ url: config.db.url, password: config.db.password, dataDir: config.dataDir, connectTimeoutMs: config.db.connectTimeoutMs, queryTimeoutMs: config.db.queryTimeoutMs });
  try {
    await withTimeout(source.initialize(), config.db.connectTimeoutMs * 2, 'connect');
  } catch (err) {
    throw new CliError(`cannot open the database: ${describe(err)}`, 1);
  }
  return source;
}

function parseSteps(value: string): number {
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1) throw new CliError('--steps: expected a whole number from 1 to 9999');
  return Number(value);
}

export function registerMigrateCommand(program: Command): void {
  const migrate = program.command('migrate').description('Apply, revert or list database migrations (the controller also applies them at start)');
  migrate.addHelpText('after', `
Examples:
  $ twinrec migrate status
  $ twinrec migrate up --db postgres://twinrec:secret@localhost:5432/twinrec
  $ twinrec migrate down --steps 1 --data-dir ./data`);

  addConfigFlags(migrate.command('up').description('Apply every pending migration, each in its own transaction'), false)
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExamples:\n  $ twinrec migrate up\n  $ twinrec migrate up --db postgres://twinrec:secret@localhost:5432/twinrec --json')
    .action(async (flags: MigrateFlags) => {
      const source = await openDataSource(flags);
      try {
        const applied = await source.runMigrations({ transaction: 'each' });
        const names = applied.map((m) => m.name);
        console.log(flags.json === true ? JSON.stringify({ applied: names }) : names.length === 0 ? 'No pending migrations.' : names.map((n) => `applied ${n}`).join('\n'));
      } finally {
        await source.destroy();
      }
    });

  addConfigFlags(migrate.command('down').description('Revert the most recent migration(s)'), false)
    .option('--steps <n>', 'how many migrations to revert (default: 1)', parseSteps)
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExamples:\n  $ twinrec migrate down\n  $ twinrec migrate down --steps 2 --data-dir /var/lib/twinrec')
    .action(async (flags: MigrateFlags) => {
      const source = await openDataSource(flags);
      try {
        const { MigrationExecutor } = await import('typeorm');
        const executor = new MigrationExecutor(source);
        const reverted: string[] = [];
        // TypeORM turns SQLite's foreign keys off for a revert only after BEGIN, where SQLite
        // ignores the pragma: a revert that rebuilds a table (any dropColumn) would then
        // cascade-delete the rows referring to it. Off around the revert instead, as for `up`.
        const sqlite = source.options.type === 'better-sqlite3';
        if (sqlite) await source.query('PRAGMA foreign_keys = OFF');
        try {
          for (let step = 0; step < (flags.steps ?? 1); step += 1) {
            const executed = await executor.getExecutedMigrations();
            const last = executed[0];
            if (last === undefined) break;
            await source.undoLastMigration({ transaction: 'each' });
            reverted.push(last.name);
          }
        } finally {
          if (sqlite) await source.query('PRAGMA foreign_keys = ON');
        }
        console.log(flags.json === true ? JSON.stringify({ reverted }) : reverted.length === 0 ? 'Nothing to revert.' : reverted.map((n) => `reverted ${n}`).join('\n'));
      } finally {
        await source.destroy();
      }
    });

  addConfigFlags(migrate.command('status').description('List migrations, applied or pending'), false)
    .option('--json', 'print the list as JSON')
    .addHelpText('after', '\nExamples:\n  $ twinrec migrate status\n  $ twinrec migrate status --json --db sqlite:./data/twinrec.sqlite')
    .action(async (flags: MigrateFlags) => {
      const source = await openDataSource(flags);
      try {
        const { MigrationExecutor } = await import('typeorm');
        const executor = new MigrationExecutor(source);
        const executed = new Set((await executor.getExecutedMigrations()).map((m) => m.name));
        const all = source.migrations.map((m) => ({ name: m.name ?? m.constructor.name, applied: executed.has(m.name ?? m.constructor.name) }));
        if (flags.json === true) console.log(JSON.stringify({ migrations: all, pending: all.filter((m) => !m.applied).length }));
        else console.log(all.map((m) => `${m.applied ? 'applied' : 'pending'}  ${m.name}`).join('\n'));
      } finally {
        await source.destroy();
      }
    });
}

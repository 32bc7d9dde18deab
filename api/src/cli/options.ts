// Flags shared by the controller's commands (serve, migrate, config print), and the
// loading of configuration from them.
import { InvalidArgumentError, type Command } from 'commander';
import { CliError } from '../../../shared/exit-codes.js';
import { ConfigError, loadControllerConfig, type LoadedConfig } from '../config/load.js';
import { logFormats, logLevels } from '../config/schema.js';

export interface ControllerFlags {
  config?: string;
  host?: string;
  port?: number;
  dataDir?: string;
  db?: string;
  logLevel?: string;
  logFormat?: string;
}

export function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return Number(value);
}

export function addConfigFlags(command: Command, withHttp: boolean): Command {
  command
    .option('-c, --config <file>', 'configuration file, JSON or YAML (env: TWINREC_CONFIG)')
    .option('--data-dir <dir>', 'folder of the embedded SQLite database (default: ./data; env: TWINREC_DATA_DIR)')
    .option('--db <url>', 'database URL: sqlite:PATH, postgres://user:pass@host:5432/db or mssql://user:pass@host:1433/db (env: TWINREC_DB_URL)')
    .option('--log-level <level>', `log level: ${logLevels.join(', ')} (default: info; env: TWINREC_LOG_LEVEL)`)
    .option('--log-format <format>', `log format on stderr: ${logFormats.join(', ')} (default: auto = pretty on a terminal; env: TWINREC_LOG_FORMAT)`);
  if (withHttp) {
    command
      .option('--host <address>', 'address to listen on (default: 127.0.0.1; env: TWINREC_HTTP_HOST)')
      .option('-p, --port <port>', 'port to listen on; 0 picks a free one (default: 8740; env: TWINREC_HTTP_PORT)', parsePort);
  }
  return command;
}

/** Loads the configuration for a command, turning a ConfigError into a CLI error (exit 2). */
export function configFromFlags(flags: ControllerFlags): LoadedConfig {
  try {
    return loadControllerConfig({
      file: flags.config,
      env: process.env,
      flags: {
        'http.host': flags.host,
        'http.port': flags.port,
        dataDir: flags.dataDir,
        'db.url': flags.db,
        'log.level': flags.logLevel,
        'log.format': flags.logFormat,
      },
    });
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message);
    throw err;
  }
}

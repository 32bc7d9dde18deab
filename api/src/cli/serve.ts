// `twinrec serve`: the controller.
import type { Command } from 'commander';
import { addConfigFlags, configFromFlags, type ControllerFlags } from './options.js';

export function registerServeCommand(program: Command): void {
  const serve = program
    .command('serve')
    .description('Run the controller: REST API, console and SQL state (the management plane)');
  addConfigFlags(serve, true)
    .addHelpText('after', `
When ready it prints one JSON line on stdout, {"event":"listening","url":"http://…"};
over HTTPS (http.tls: by default when --host is not loopback) the line is
{"event":"listening","url":"https://…","fingerprint256":"AB:CD:…","certificate":"generated"},
the SHA-256 agents pin (agent.yaml controller.fingerprint); logs go to stderr. At the first start (no account yet) it makes the admin account with
auth.adminPassword (TWINREC_AUTH_ADMIN_PASSWORD), or generates a password and prints it
once before that line, as {"event":"admin-created","username":"admin","password":"…"}. SIGINT or SIGTERM finishes in-flight requests, closes the database
and exits 0. Configuration: file < TWINREC_* environment < flags (see README).

Examples:
  $ twinrec serve
  $ twinrec serve --port 0 --data-dir /var/lib/twinrec
  $ twinrec serve --db postgres://twinrec:secret@db.example:5432/twinrec
  $ TWINREC_HTTP_PORT=9740 twinrec serve --config /etc/twinrec/controller.yaml`)
    .action(async (flags: ControllerFlags) => {
      const { config, warnings } = configFromFlags(flags);
      // Whatever the controller or its drivers create (database, key and certificate files) is
      // for its own account only; the data folder and the database file are also made so explicitly.
      if (process.platform !== 'win32') process.umask(0o077);
      const { openLogger } = await import('../log.js');
      const { startController } = await import('../server.js');
      const logger = await openLogger(config.log);
      const log = logger.log;
      for (const warning of warnings) log.warn(warning);
      // startController warns of plain HTTP beyond loopback, and refuses bad certificate files (exit 2).
      const controller = await startController(config, log);
      const tls = controller.certificate === null ? {} : { fingerprint256: controller.certificate.fingerprint256, certificate: controller.certificate.source };
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals): void => {
          log.info({ signal }, 'signal received');
          void controller.close().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        // Only now: whoever reads this line may signal at once.
        process.stdout.write(`${JSON.stringify({ event: 'listening', url: controller.url, ...tls })}\n`);
      });
      await logger.close();
      process.exitCode = 0;
    });
}

// `twinrec support snapshot --out F.zip`: the support snapshot (api/src/support/snapshot.ts),
// fetched from a running controller with an admin API token, written atomically (a temporary file
// beside the target, then a rename), so that a half-written zip is never left under its name.
import type { Command } from 'commander';
import { CliError, exitCodes } from '../../../shared/exit-codes.js';

/** A snapshot bigger than this is cut off: it holds at most 32 MB of logs and a few MB besides. */
const snapshotBytesMax = 512 * 1024 * 1024;
const requestTimeoutMs = 120_000;

interface SupportFlags {
  out: string;
  url: string;
  tokenFile?: string;
  fingerprint?: string;
}

export function registerSupportCommands(program: Command): void {
  const support = program.command('support').description('Help for support: a snapshot of the controller, its agents and their logs');
  support
    .command('snapshot')
    .description("Download a support snapshot zip from a running controller (GET /api/v1/support/snapshot, admins): configurations with secrets masked, cluster state, recent events and audit, the controller's and each agent's logs")
    .requiredOption('--out <file>', 'where to write the zip (replaced atomically)')
    .option('--url <url>', "the controller's address", 'http://127.0.0.1:8740')
    .option('--token-file <file>', 'file holding an admin API token (default: the TWINREC_API_TOKEN environment variable)')
    .option('--fingerprint <sha256>', "the controller's certificate fingerprint, for an https URL with a certificate no CA signed (the controller prints it at start)")
    .addHelpText('after', `
Examples:
  $ TWINREC_API_TOKEN=trk_… twinrec support snapshot --out support.zip
  $ twinrec support snapshot --out /tmp/s.zip --url https://twinrec.example:8740 --token-file admin.token --fingerprint AB:CD:…`)
    .action(async (flags: SupportFlags) => {
      const { readFileSync, renameSync, rmSync, writeFileSync } = await import('node:fs');
      const { dirname, basename, join } = await import('node:path');
      let token = process.env.TWINREC_API_TOKEN;
      if (flags.tokenFile !== undefined) {
        try {
          token = readFileSync(flags.tokenFile, 'utf8').trim();
        } catch (err) {
          throw new CliError(`--token-file: cannot read ${flags.tokenFile} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
        }
      }
      if (token === undefined || token === '') throw new CliError('an admin API token is needed: --token-file F or TWINREC_API_TOKEN');
      let url: URL;
      try {
        url = new URL('/api/v1/support/snapshot', flags.url);
      } catch {
        throw new CliError(`--url: not a URL: ${flags.url}`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError('--url: expected http:// or https://');
      const { pinnedFetch } = await import('../../../shared/tls/pinned-fetch.js');
      const { readBodyBytesBounded } = await import('../../../shared/http-body.js');
      let res: Response;
      try {
        const init = { headers: { authorization: `Bearer ${token}`, accept: 'application/zip, application/problem+json' }, redirect: 'error' as const, signal: AbortSignal.timeout(requestTimeoutMs) };
        res = flags.fingerprint !== undefined && url.protocol === 'https:' ? await pinnedFetch(url, flags.fingerprint, init) : await fetch(url, init);
      } catch (err) {
        throw new CliError(`cannot reach the controller at ${url.origin}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`, exitCodes.failure);
      }
      if (res.status !== 200) {
        const text = await res.text().catch(() => '');
        let detail = '';
        try {
          detail = (JSON.parse(text) as { detail?: string }).detail ?? '';
        } catch {
          // not a problem document
        }
        throw new CliError(`the controller answered HTTP ${res.status}${detail === '' ? '' : `: ${detail}`}`, exitCodes.failure);
      }
      const bytes = await readBodyBytesBounded(res, snapshotBytesMax);
      if (bytes === null) throw new CliError(`the snapshot is larger than ${snapshotBytesMax} bytes`, exitCodes.failure);
      const temporary = join(dirname(flags.out), `.${basename(flags.out)}.${process.pid}.part`);
      try {
        writeFileSync(temporary, bytes, { mode: 0o600 });
        renameSync(temporary, flags.out);
      } catch (err) {
        rmSync(temporary, { force: true });
        throw new CliError(`cannot write ${flags.out}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, exitCodes.failure);
      }
      process.stdout.write(`${JSON.stringify({ event: 'snapshot-written', path: flags.out, bytes: bytes.length, files: Number(res.headers.get('x-twinrec-snapshot-files') ?? 0) })}\n`);
    });
}

import { announceReady } from '../shared/ready.js';
import { labLogger } from '../shared/log.js';
import { onShutdown } from '../shared/shutdown.js';
import { readSite } from '../site.js';
import { loadOrCreateSigningKey } from './idp.js';
import { SERVER_COMMAND_OAUTH_PATH } from './server-command.js';
import { ManagementServer } from './server.js';

export interface ManagementRun {
  readonly sitePath: string;
  readonly host: string;
  readonly port: number;
  /** Where the IDP keeps its signing key; without it a new key is made on every start. */
  readonly stateDir?: string;
  /** Lifetime of the VMS tokens Login issues; default XProtect's 4 h. */
  readonly vmsTokenTtlMs?: number;
}

/** `twinrec lab management`: runs the management server until SIGTERM. */
export async function runManagement(run: ManagementRun): Promise<void> {
  const log = labLogger('management');
  const site = await readSite(run.sitePath);
  const key = await loadOrCreateSigningKey(run.stateDir);
  const server = new ManagementServer(site, key, { host: run.host, port: run.port, ...(run.vmsTokenTtlMs === undefined ? {} : { vmsTokenTtlMs: run.vmsTokenTtlMs }) }, log);
  const port = await server.listen();
  onShutdown(log, () => server.close());
  const url = `http://${run.host}:${port}`;
  log.info({ port, recordingServers: site.recordingServers.length, vmsTokenTtlMs: server.vmsTokens.ttlMs }, 'management server listening');
  announceReady({ component: 'management', url, port, tokenUrl: `${url}/IDP/connect/token`, restUrl: `${url}/api/rest/v1`, serverCommandUrl: `${url}${SERVER_COMMAND_OAUTH_PATH}` });
}

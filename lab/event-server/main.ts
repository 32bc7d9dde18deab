import { labLogger } from '../shared/log.js';
import { announceReady } from '../shared/ready.js';
import { onShutdown } from '../shared/shutdown.js';
import { compatibleDataSource, internationalDataSource, type GenericEventDefinition } from './data-source.js';
import { EventServerStandIn } from './server.js';

export interface EventServerRun {
  readonly host: string;
  /** The International data source's port (XProtect: 1235); null: disabled. */
  readonly internationalPort: number | null;
  /** The Compatible data source's port (XProtect: 1234); null: disabled. */
  readonly compatiblePort: number | null;
  readonly httpPort: number;
  readonly localAddresses: readonly string[];
  readonly allowed: readonly string[];
  readonly definitions: readonly GenericEventDefinition[];
  /** Where each received event is appended as a JSON line (`lab up`: in the lab folder); none when absent. */
  readonly receivedLog?: string | undefined;
}

/** `twinrec lab event-server`: runs the Event Server stand-in until SIGTERM. */
export async function runEventServer(run: EventServerRun): Promise<void> {
  const log = labLogger('event-server');
  const dataSources = [
    ...(run.internationalPort === null ? [] : [{ settings: internationalDataSource, port: run.internationalPort }]),
    ...(run.compatiblePort === null ? [] : [{ settings: compatibleDataSource, port: run.compatiblePort }]),
  ];
  const server = new EventServerStandIn({ host: run.host, dataSources, httpPort: run.httpPort, localAddresses: run.localAddresses, allowed: run.allowed, definitions: run.definitions, receivedLog: run.receivedLog }, log);
  const bound = await server.listen();
  onShutdown(log, () => server.close());
  const portOf = (name: string): number | null => bound.dataSources.find((d) => d.name === name)?.port ?? null;
  const url = `http://${run.host.includes(':') ? `[${run.host}]` : run.host}:${bound.httpPort}`;
  log.info({ dataSources: bound.dataSources, url }, 'event server listening');
  announceReady({ component: 'event-server', url, host: run.host, internationalPort: portOf(internationalDataSource.name), compatiblePort: portOf(compatibleDataSource.name) });
}

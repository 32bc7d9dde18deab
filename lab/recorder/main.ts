import { readFileSync } from 'node:fs';
import { announceReady } from '../shared/ready.js';
import { labLogger } from '../shared/log.js';
import { onShutdown } from '../shared/shutdown.js';
import { readRecorderConfig } from './config-file.js';
import { startControlServer } from './control.js';
import { Recorder, defaultRecorderOptions } from './recorder.js';
import { defaultStorageOptions } from './storage/storage.js';
import { STATUS_SERVICE_PATH, COMMAND_SERVICE_PATH } from './soap/wsdl.js';
import { startWebServer } from './web-server.js';

export interface RecorderRun {
  readonly configPath: string;
  readonly storageDir: string;
  /** Name sent to cameras; defaults to host:port of the web server. */
  readonly name?: string;
  readonly controlPort: number;
  readonly blockDurationMs: number;
  readonly fsync: boolean;
  readonly maxQueueBytes?: number;
  /** Encrypted mode: the web server's certificate and key (PEM files); HTTPS and ImageServer over TLS only. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
}

/** Environment variables that carry the recorder's login (never a command-line argument, which any user can read). */
export const CREDENTIAL_ENV = { username: 'TWINREC_LAB_USERNAME', password: 'TWINREC_LAB_PASSWORD' } as const;

/** `twinrec lab recorder`: runs one recording server until SIGTERM (a service stop). */
export async function runRecorder(run: RecorderRun): Promise<void> {
  const log = labLogger('recorder');
  const config = await readRecorderConfig(run.configPath);
  const username = process.env[CREDENTIAL_ENV.username];
  const password = process.env[CREDENTIAL_ENV.password];
  if (username === undefined || password === undefined) throw new Error(`set ${CREDENTIAL_ENV.username} and ${CREDENTIAL_ENV.password} to the recorder's login`);
  const name = run.name ?? `${config.webServerHost}:${config.webServerPort}`;
  const recorder = new Recorder(
    config,
    { username, password },
    {
      ...defaultRecorderOptions,
      instanceName: name,
      storageDir: run.storageDir,
      storage: { ...defaultStorageOptions, blockDurationMs: run.blockDurationMs, fsync: run.fsync, ...(run.maxQueueBytes === undefined ? {} : { maxQueueBytes: run.maxQueueBytes }) },
    },
    log.child({ recorder: name }),
  );
  const tls = run.tls === undefined ? undefined : { certPem: readFileSync(run.tls.certFile, 'utf8'), keyPem: readFileSync(run.tls.keyFile, 'utf8') };
  const web = await startWebServer(recorder, log, tls);
  const control = await startControlServer(recorder, run.controlPort, log);
  await recorder.start();
  onShutdown(log, async () => {
    await web.close();
    await control.close();
    await recorder.stop();
  });
  const base = `${web.scheme}://${config.webServerHost}:${web.port}`;
  log.info({ recorderId: config.recorderId, port: web.port, encrypted: web.scheme === 'https' }, 'recording server listening');
  announceReady({
    component: 'recorder',
    name,
    recorderId: config.recorderId,
    webServerUri: `${base}/`,
    statusServiceUrl: `${base}${STATUS_SERVICE_PATH}`,
    commandServiceUrl: `${base}${COMMAND_SERVICE_PATH}`,
    imageServer: { host: config.webServerHost, port: web.port, tls: web.scheme === 'https' },
    controlUrl: `http://127.0.0.1:${control.port}`,
    storageDir: run.storageDir,
  });
}

import { readFile } from 'node:fs/promises';
import { readXml } from '../../shared/xml.js';
import { normalizeGuid } from '../shared/guid.js';

/**
 * RecorderConfig.xml, the recording server's local configuration, read with XProtect's element
 * names. Only the elements the lab needs are read; the rest of the document is ignored.
 */
export interface RecorderConfig {
  /** recorder/id: the recording server's id; both recorders of a clone pair share it. */
  readonly recorderId: string;
  /** recorder/displayname */
  readonly displayName: string;
  /** server/address: the management server host. */
  readonly serverAddress: string;
  /** server/webapiport: the management server port. */
  readonly serverWebApiPort: number;
  /** server/authorizationserveraddress: the IDP base URL, such as http://host/IDP. */
  readonly authorizationServerAddress: string;
  /** webserver/host and webserver/port: where clients reach this recorder (SOAP and ImageServer). */
  readonly webServerHost: string;
  readonly webServerPort: number;
  /** webapi/port: the recorder's local web API port (recorded, not served by the lab). */
  readonly webApiPort: number;
}

const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  return '';
}

function port(value: unknown, element: string): number {
  const n = Number(text(value));
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`RecorderConfig.xml: ${element} must be a port number, got ${JSON.stringify(text(value))}`);
  return n;
}

function required(value: unknown, element: string): string {
  const t = text(value);
  if (t.length === 0) throw new Error(`RecorderConfig.xml: ${element} is missing or empty`);
  return t;
}

/** Parses the text of a RecorderConfig.xml. Throws with the element name when one is missing or invalid. */
export function parseRecorderConfig(xml: string): RecorderConfig {
  const doc = readXml(xml);
  const root = doc.recorderconfig as Record<string, Record<string, unknown> | undefined> | undefined;
  if (root === undefined || typeof root !== 'object') throw new Error('RecorderConfig.xml: root element <recorderconfig> not found');
  const recorder = root.recorder ?? {};
  const server = root.server ?? {};
  const webserver = root.webserver ?? {};
  const webapi = root.webapi ?? {};
  return {
    recorderId: normalizeGuid(required(recorder.id, 'recorder/id')),
    displayName: required(recorder.displayname, 'recorder/displayname'),
    serverAddress: required(server.address, 'server/address'),
    serverWebApiPort: port(server.webapiport, 'server/webapiport'),
    authorizationServerAddress: required(server.authorizationserveraddress, 'server/authorizationserveraddress').replace(/\/+$/, ''),
    webServerHost: required(webserver.host, 'webserver/host'),
    webServerPort: port(webserver.port, 'webserver/port'),
    webApiPort: port(webapi.port, 'webapi/port'),
  };
}

export async function readRecorderConfig(path: string): Promise<RecorderConfig> {
  const bytes = await readFile(path);
  if (bytes.length > MAX_CONFIG_BYTES) throw new Error(`${path} is larger than ${MAX_CONFIG_BYTES} bytes`);
  return parseRecorderConfig(bytes.toString('utf8'));
}

function escape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface RecorderConfigDocument extends RecorderConfig {
  readonly clientRegistrationId: string;
  readonly storagePath: string;
  readonly version: string;
}

/**
 * Writes a RecorderConfig.xml with the element order of a real one (only the elements the lab
 * uses, plus a few that a real file always has).
 */
export function renderRecorderConfig(config: RecorderConfigDocument): string {
  const e = escape;
  return `<?xml version="1.0" encoding="utf-8"?>
<recorderconfig>
  <version>${e(config.version)}</version>
  <recorder>
    <id>${e(config.recorderId)}</id>
    <displayname>${e(config.displayName)}</displayname>
    <ClientRegistrationId>${e(config.clientRegistrationId)}</ClientRegistrationId>
  </recorder>
  <server>
    <address>${e(config.serverAddress)}</address>
    <webapiport>${config.serverWebApiPort}</webapiport>
    <authorizationserveraddress>${e(config.authorizationServerAddress)}</authorizationserveraddress>
  </server>
  <webapi>
    <port>${config.webApiPort}</port>
    <publicUri>${e(config.webServerHost)}:${config.webApiPort}</publicUri>
  </webapi>
  <database>
    <database_default>
      <name>Local default</name>
      <path>${e(config.storagePath)}</path>
    </database_default>
  </database>
  <webserver>
    <host>${e(config.webServerHost)}</host>
    <port>${config.webServerPort}</port>
  </webserver>
  <driverservices>
    <alert>
      <port>0</port>
    </alert>
  </driverservices>
</recorderconfig>
`;
}

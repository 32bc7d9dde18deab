import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import * as soap from 'soap';
import type { Logger } from '../shared/log.js';
import { defaultImageServerLimits, ImageServerSession } from './image-server/session.js';
import { PortMux } from './port-mux.js';
import type { Recorder } from './recorder.js';
import { commandService } from './soap/command-service.js';
import { withSoap12Faults } from './soap/soap-args.js';
import { statusService } from './soap/status-service.js';
import { COMMAND_SERVICE_PATH, STATUS_SERVICE_PATH, commandServiceDefinition, commandServiceWsdl, statusServiceDefinition, statusServiceWsdl } from './soap/wsdl.js';

type SoapVersion = '1.1' | '1.2';
type ServiceMethods = Record<string, (args: Record<string, unknown>) => unknown>;

/** The SOAP envelope namespace and the answer's content type of each version (W3C SOAP 1.1 and 1.2). */
const envelopes: Readonly<Record<SoapVersion, { readonly namespace: string; readonly contentType: string }>> = {
  '1.1': { namespace: 'http://schemas.xmlsoap.org/soap/envelope/', contentType: 'text/xml; charset=utf-8' },
  '1.2': { namespace: 'http://www.w3.org/2003/05/soap-envelope', contentType: 'application/soap+xml; charset=utf-8' },
};
/** A request: GetCurrentDeviceStatus with 4096 ids is some 200 kB. */
const requestBytesMax = 4 * 1024 * 1024;

/** One .asmx service: its WSDL, the operations' SOAP actions, and a node-soap server per SOAP version. */
interface SoapEndpoint {
  readonly wsdl: string;
  readonly actions: ReadonlySet<string>;
  readonly servers: Readonly<Record<SoapVersion, soap.Server>>;
}

function soapServer(path: string, xml: string, services: soap.IServices, soapVersion: SoapVersion): Promise<soap.Server> {
  return new Promise((resolve, reject) => {
    // No HTTP server of its own: the web server below picks the one for the request's SOAP version.
    const server = soap.listen(null, {
      path,
      services,
      xml,
      suppressStack: true,
      forceSoap12Headers: soapVersion === '1.2',
      callback: (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(server)),
    } as soap.IServerOptions);
  });
}

/**
 * Both ports of a service, as ASP.NET answers them on one .asmx URL: `<name>Soap` (SOAP 1.1,
 * text/xml, SOAPAction header) and `<name>Soap12` (SOAP 1.2, application/soap+xml with the
 * action as a content-type parameter). node-soap's server answers the first port whose address
 * matches the path, so both servers serve the methods under the `…Soap` port name.
 */
async function soapEndpoint(path: string, xml: string, definition: { readonly name: string; readonly namespace: string; readonly operations: ReadonlyArray<{ readonly name: string }> }, methods: ServiceMethods): Promise<SoapEndpoint> {
  const port = `${definition.name}Soap`;
  const [soap11, soap12] = await Promise.all([
    soapServer(path, xml, { [definition.name]: { [port]: methods } } as unknown as soap.IServices, '1.1'),
    soapServer(path, xml, { [definition.name]: { [port]: withSoap12Faults(methods) } } as unknown as soap.IServices, '1.2'),
  ]);
  return { wsdl: xml, actions: new Set(definition.operations.map((op) => `${definition.namespace}/${op.name}`)), servers: { '1.1': soap11, '1.2': soap12 } };
}

const xmlText = (value: string): string => value.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);

/** A fault the web server answers itself (before any service method), in the request's SOAP version. */
function faultEnvelope(version: SoapVersion, sender: boolean, text: string): string {
  const ns = envelopes[version].namespace;
  const fault =
    version === '1.1'
      ? `<soap:Fault><faultcode>soap:${sender ? 'Client' : 'Server'}</faultcode><faultstring>${xmlText(text)}</faultstring><detail/></soap:Fault>`
      : `<soap:Fault><soap:Code><soap:Value>soap:${sender ? 'Sender' : 'Receiver'}</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">${xmlText(text)}</soap:Text></soap:Reason><soap:Detail/></soap:Fault>`;
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${ns}"><soap:Body>${fault}</soap:Body></soap:Envelope>`;
}

/** The SOAP version and action of a request: SOAPAction header (1.1), or the content type's `action` parameter (1.2); null: neither media type. */
export function soapRequestKind(contentType: string | undefined, soapActionHeader: string | undefined): { readonly version: SoapVersion; readonly action: string } | null {
  const [mediaType = '', ...parameters] = (contentType ?? '').split(';').map((part) => part.trim());
  const unquote = (value: string): string => value.replace(/^"(.*)"$/, '$1');
  switch (mediaType.toLowerCase()) {
    case 'text/xml':
      return { version: '1.1', action: unquote(soapActionHeader?.trim() ?? '') };
    case 'application/soap+xml': {
      const action = parameters.find((p) => /^action\s*=/i.test(p));
      return { version: '1.2', action: action === undefined ? '' : unquote(action.slice(action.indexOf('=') + 1).trim()) };
    }
    default:
      return null;
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function readRequest(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req) {
    bytes += (chunk as Buffer).length;
    if (bytes > requestBytesMax) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A POST to a service: the SOAP version from the content type (anything else is 415, as IIS
 * answers), the envelope of that version (else a VersionMismatch fault), and a known action
 * (ASP.NET routes .asmx requests by SOAP action: an unknown or missing one is the fault
 * "Server did not recognize the value of HTTP Header SOAPAction"), then node-soap's answer.
 */
async function serveSoap(endpoint: SoapEndpoint, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const kind = soapRequestKind(req.headers['content-type'], typeof req.headers.soapaction === 'string' ? req.headers.soapaction : undefined);
  if (kind === null) {
    req.resume();
    return send(res, 415, 'text/plain; charset=utf-8', 'Unsupported Media Type: SOAP 1.1 is text/xml, SOAP 1.2 application/soap+xml\n');
  }
  const contentType = envelopes[kind.version].contentType;
  const xml = await readRequest(req);
  if (xml === null) return send(res, 413, 'text/plain; charset=utf-8', 'request too large\n');
  if (!xml.includes(envelopes[kind.version].namespace)) return send(res, 500, contentType, faultEnvelope(kind.version, true, `VersionMismatch: not a SOAP ${kind.version} envelope`));
  if (!endpoint.actions.has(kind.action)) return send(res, 500, contentType, faultEnvelope(kind.version, true, `Server did not recognize the value of HTTP Header SOAPAction: ${kind.action.slice(0, 200)}.`));
  const answer = await endpoint.servers[kind.version].processRequest(xml, { url: req.url ?? '/', method: 'POST', headers: { ...req.headers, soapaction: kind.action } });
  send(res, answer.statusCode, contentType, answer.body);
}

/**
 * The recorder's web server port: SOAP RecorderStatusService2 and RecorderCommandService (each
 * with its WSDL at `?wsdl`, SOAP 1.1 and 1.2) over HTTP, and the ImageServer protocol over raw
 * TCP on the same port.
 *
 * With `tls` the recorder runs encrypted, as an XProtect recording server whose Server
 * Configurator enabled encryption to clients and servers that retrieve data streams: the web
 * server address "includes https instead of http" (seed 001, Failover Servers: "Local web server
 * address") and the ImageServer protocol runs over TLS on the same port
 * (xprotect-integration.md 2.4: "Plain TCP (or TLS when encryption on) to the RS web server
 * port"); its certificate is `webserver/encryption@certificateHash` in RecorderConfig.xml
 * (xprotect-integration.md 1.2). Plain HTTP is then refused: the TLS handshake fails.
 */
export async function startWebServer(recorder: Recorder, log: Logger, tls?: { readonly certPem: string; readonly keyPem: string }): Promise<{ port: number; scheme: 'http' | 'https'; close: () => Promise<void> }> {
  const { webServerHost: host, webServerPort: port } = recorder.config;
  const scheme = tls === undefined ? 'http' : 'https';
  const base = `${scheme}://${host}:${port}`;
  const endpoints = new Map<string, SoapEndpoint>([
    [STATUS_SERVICE_PATH.toLowerCase(), await soapEndpoint(STATUS_SERVICE_PATH, statusServiceWsdl(`${base}${STATUS_SERVICE_PATH}`), statusServiceDefinition, statusService(recorder))],
    [COMMAND_SERVICE_PATH.toLowerCase(), await soapEndpoint(COMMAND_SERVICE_PATH, commandServiceWsdl(`${base}${COMMAND_SERVICE_PATH}`), commandServiceDefinition, commandService(recorder))],
  ]);
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://recorder');
    // IIS paths are not case-sensitive.
    const endpoint = endpoints.get(url.pathname.replace(/\/$/, '').toLowerCase());
    if (endpoint !== undefined && req.method === 'POST') {
      serveSoap(endpoint, req, res).catch((err: unknown) => {
        log.warn({ err: (err as Error).message }, 'SOAP request failed');
        if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
        else res.destroy();
      });
      return;
    }
    if (endpoint !== undefined && req.method === 'GET' && url.search.toLowerCase().startsWith('?wsdl')) return send(res, 200, 'text/xml; charset=utf-8', endpoint.wsdl);
    const text = req.url === '/' ? 'twinrec lab recording server\n' : 'not found\n';
    send(res, req.url === '/' ? 200 : 404, 'text/plain; charset=utf-8', text);
  });
  http.requestTimeout = 120_000;
  http.headersTimeout = 30_000;
  http.keepAliveTimeout = 10_000;
  const mux = new PortMux(http, (socket) => void new ImageServerSession(socket, recorder, defaultImageServerLimits, log), { sniffTimeoutMs: 30_000, maxConnections: 1024, ...(tls === undefined ? {} : { tls }) });
  const bound = await mux.listen(port, host);
  return {
    port: bound,
    scheme,
    close: async () => {
      await mux.close();
      http.closeAllConnections();
    },
  };
}

import { createServer, type Server } from 'node:http';
import * as soap from 'soap';
import type { Logger } from '../shared/log.js';
import { defaultImageServerLimits, ImageServerSession } from './image-server/session.js';
import { PortMux } from './port-mux.js';
import type { Recorder } from './recorder.js';
import { commandService } from './soap/command-service.js';
import { statusService } from './soap/status-service.js';
import { COMMAND_SERVICE_PATH, STATUS_SERVICE_PATH, commandServiceWsdl, statusServiceWsdl } from './soap/wsdl.js';

function attach(http: Server, path: string, services: soap.IServices, xml: string): Promise<void> {
  return new Promise((resolve, reject) => {
    soap.listen(http, {
      path,
      services,
      xml,
      suppressStack: true,
      callback: (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
    });
  });
}

/**
 * The recorder's web server port: SOAP RecorderStatusService2 and RecorderCommandService (each
 * with its WSDL at `?wsdl`) over HTTP, and the ImageServer protocol over raw TCP on the same
 * port.
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
  const http = createServer((req, res) => {
    // Reached only when no SOAP service matched the path.
    const text = req.url === '/' ? 'twinrec lab recording server\n' : 'not found\n';
    res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
  http.requestTimeout = 120_000;
  http.headersTimeout = 30_000;
  http.keepAliveTimeout = 10_000;
  const scheme = tls === undefined ? 'http' : 'https';
  const base = `${scheme}://${host}:${port}`;
  await attach(http, STATUS_SERVICE_PATH, { RecorderStatusService2: { RecorderStatusService2Soap: statusService(recorder) } } as unknown as soap.IServices, statusServiceWsdl(`${base}${STATUS_SERVICE_PATH}`));
  await attach(http, COMMAND_SERVICE_PATH, { RecorderCommandService: { RecorderCommandServiceSoap: commandService(recorder) } } as unknown as soap.IServices, commandServiceWsdl(`${base}${COMMAND_SERVICE_PATH}`));
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

import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PortMuxOptions {
  /** A connection that sends nothing for this long is closed before it is routed. */
  readonly sniffTimeoutMs: number;
  readonly maxConnections: number;
  /**
   * The web server's certificate when the recorder runs encrypted: every connection is TLS
   * first (SOAP as HTTPS, ImageServer over TLS), and a plain one fails its handshake.
   */
  readonly tls?: { readonly certPem: string; readonly keyPem: string };
}

/**
 * One TCP port, two protocols, as on a recording server's web server port: the first bytes of
 * a connection decide. ImageServer requests are XML documents and start with '<' (or a UTF-8
 * byte order mark); anything else is HTTP and is handed to the HTTP server (SOAP, WSDL).
 */
export class PortMux {
  private readonly server: NetServer;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly http: HttpServer,
    private readonly onImageServer: (socket: Socket) => void,
    private readonly options: PortMuxOptions,
  ) {
    this.server =
      options.tls === undefined
        ? createServer((socket) => this.route(socket))
        : // Routed once the handshake is done, on what the client sent inside TLS.
          createTlsServer({ cert: options.tls.certPem, key: options.tls.keyPem, minVersion: 'TLSv1.2', handshakeTimeout: options.sniffTimeoutMs }, (socket) => this.route(socket));
    this.server.maxConnections = options.maxConnections;
  }

  private route(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(this.options.sniffTimeoutMs, () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(chunk);
      const first = chunk[0];
      if (first === 0x3c || first === 0xef) {
        this.onImageServer(socket);
      } else {
        this.http.emit('connection', socket);
      }
      socket.resume();
    });
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops accepting and closes every open connection. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

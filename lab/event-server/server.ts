// The lab's Event Server stand-in: XProtect's generic-event data sources on TCP (International
// and Compatible, data-source.ts), and a small HTTP endpoint where tests read what arrived.
//
//   GET  /lab/generic-events?after=<seq>   the events received after seq (all: 0), oldest first
//   POST /lab/generic-events/clear         forgets them
//
// It records only what a real Event Server would take: messages from allowed senders, cut at the
// separator (International) or at the connection's close (Compatible). Everything is bounded:
// connections, bytes per connection, events remembered.
import { appendFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { sendJson, sendProblem } from '../shared/http.js';
import type { Logger } from '../shared/log.js';
import { decode, isAllowed, matchesOf, messageBytesMax, noAccessReply, splitMessages, statisticsEcho, type DataSourceSettings, type GenericEventDefinition } from './data-source.js';

/** One generic event as the stand-in received it. */
export interface ReceivedGenericEvent {
  /** 1, 2, … over both data sources, in the order received. */
  readonly seq: number;
  readonly receivedAt: string;
  readonly dataSource: string;
  /** The Event Server's request number of its data source (the statistics echo's first field). */
  readonly requestNumber: number;
  readonly text: string;
  readonly from: string;
  /** The names of the generic events it matched. */
  readonly matched: readonly string[];
}

export interface EventServerOptions {
  readonly host: string;
  readonly dataSources: ReadonlyArray<{ readonly settings: DataSourceSettings; readonly port: number }>;
  readonly httpPort: number;
  /** The Event Server's own addresses: senders there are on its local host. */
  readonly localAddresses: readonly string[];
  /** Allowed external addresses (IPv4 and IPv6). */
  readonly allowed: readonly string[];
  readonly definitions: readonly GenericEventDefinition[];
  /** A file each received event is appended to as a JSON line, readable after the lab stopped; none when absent. */
  readonly receivedLog?: string | undefined;
}

/** Events remembered, at most (the oldest are forgotten). */
export const receivedMax = 10_000;
/** Connections open at once per data source, at most. */
const connectionsMax = 256;
/** A connection idle this long is closed. */
const idleTimeoutMs = 60_000;

export class EventServerStandIn {
  private readonly received: ReceivedGenericEvent[] = [];
  private seq = 0;
  private readonly requestNumbers = new Map<string, number>();
  private readonly tcpServers: TcpServer[] = [];
  private httpServer: HttpServer | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly o: EventServerOptions,
    private readonly log: Logger,
  ) {}

  /** Listens on every data source's port and the HTTP port; returns the ports bound. */
  async listen(): Promise<{ dataSources: Array<{ name: string; port: number }>; httpPort: number }> {
    const dataSources: Array<{ name: string; port: number }> = [];
    for (const source of this.o.dataSources) {
      const server = createTcpServer((socket) => this.accept(socket, source.settings));
      server.maxConnections = connectionsMax;
      this.tcpServers.push(server);
      dataSources.push({ name: source.settings.name, port: await listenOn(server, source.port, this.o.host) });
    }
    const http = createHttpServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://event-server');
      if (req.method === 'GET' && url.pathname === '/lab/generic-events') {
        const after = Number(url.searchParams.get('after') ?? '0');
        if (!Number.isInteger(after) || after < 0) return sendProblem(res, 400, 'Bad request', 'after: a non-negative integer');
        return sendJson(res, 200, { events: this.received.filter((e) => e.seq > after) });
      }
      if (req.method === 'POST' && url.pathname === '/lab/generic-events/clear') {
        this.received.splice(0, this.received.length);
        return sendJson(res, 200, { cleared: true });
      }
      return sendProblem(res, 404, 'Not found');
    });
    this.httpServer = http;
    const httpPort = await listenOn(http, this.o.httpPort, this.o.host);
    return { dataSources, httpPort };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([...this.tcpServers, ...(this.httpServer === null ? [] : [this.httpServer])].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  private accept(socket: Socket, settings: DataSourceSettings): void {
    const from = socket.remoteAddress;
    if (!isAllowed(from, this.o.localAddresses, this.o.allowed)) {
      this.log.warn({ from, dataSource: settings.name }, 'generic event refused: sender not allowed');
      socket.end(noAccessReply);
      socket.on('error', () => undefined);
      return;
    }
    this.sockets.add(socket);
    socket.setTimeout(idleTimeoutMs, () => socket.destroy());
    let buffer: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      if (settings.echo === 'all-bytes') socket.write(chunk);
      buffer = Buffer.concat([buffer, chunk]);
      const { messages, rest } = splitMessages(buffer, settings.separator);
      buffer = rest;
      for (const message of messages) this.take(socket, settings, message, from ?? '?', true);
      if (buffer.length > messageBytesMax) {
        this.log.warn({ from, dataSource: settings.name }, `message over ${messageBytesMax} bytes: connection closed`);
        socket.destroy();
      }
    });
    socket.on('end', () => {
      // Without a separator the message is what came before the close (SendGenericEvent.cs).
      if (settings.separator === null && buffer.length > 0) this.take(socket, settings, buffer, from ?? '?', false);
      socket.end();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private take(socket: Socket, settings: DataSourceSettings, bytes: Buffer, from: string, open: boolean): void {
    const text = decode(bytes, settings);
    const requestNumber = (this.requestNumbers.get(settings.name) ?? 0) + 1;
    this.requestNumbers.set(settings.name, requestNumber);
    const matches = matchesOf(text, this.o.definitions);
    this.seq += 1;
    const event: ReceivedGenericEvent = { seq: this.seq, receivedAt: new Date().toISOString(), dataSource: settings.name, requestNumber, text, from, matched: matches.map((m) => m.name) };
    this.received.push(event);
    if (this.received.length > receivedMax) this.received.shift();
    if (this.o.receivedLog !== undefined) {
      try {
        appendFileSync(this.o.receivedLog, `${JSON.stringify(event)}\n`);
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'cannot append to the received-events log');
      }
    }
    this.log.info({ dataSource: settings.name, requestNumber, from, matches: matches.length }, 'generic event received');
    if (open && settings.echo === 'statistics') socket.write(statisticsEcho(requestNumber, text, matches));
  }
}

function listenOn(server: TcpServer | HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

// An HTTP/1.1 GET over plain TCP whose answer body the kernel reads straight into the caller's
// buffer (net.Socket's `onread`): what the backfill target uses for blocks from an http:// peer.
// node:http hands every 64 KiB read over in a freshly allocated buffer; for gigabytes of blocks
// that garbage cost the target agent more CPU than hashing them (V8 collects every few megabytes
// of it, on a 2-core lab a third of the agent's CPU), and the copy into the block's buffer more.
// Only what the transfer needs: GET, an answer whose body has a content-length (or that is
// dropped with its connection), keep-alive connections to one peer. https peers go through
// node:https (a TLS socket cannot read into a caller's buffer).
import { connect, type Socket } from 'node:net';
import { RequestFailure } from '../shared/request-failure.js';

/** An answer's status line and headers (names in lower case, repeated ones joined with ", "). */
export interface AnswerHead {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  /** The body's declared length; null when the answer declares none (or is chunked). */
  readonly contentLength: number | null;
}

/**
 * Where an answer's body goes, decided once its head has arrived: `into` a buffer of exactly the
 * declared length (`onBytes` sees each piece as it lands, in order), as text of at most
 * `textBytesMax` bytes, or nowhere (`skip`: the connection is closed instead; also for a body
 * whose length is not declared).
 */
export type BodyPlan = { readonly into: Buffer; readonly onBytes: (bytes: Buffer) => void } | { readonly textBytesMax: number } | { readonly skip: true };

export interface RawGetRequest {
  /** Path and query. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Ends the request (socket destroyed) with the signal's reason. */
  readonly signal: AbortSignal;
  /** Called once, when the head has arrived; a throw ends the request with that error. */
  readonly plan: (head: AnswerHead) => BodyPlan;
}

/** The answer: its head and its body as planned (the `into` buffer filled, the text, or null). */
export interface RawAnswer {
  readonly head: AnswerHead;
  readonly text: string | null;
}

export interface RawHttpOptions {
  readonly host: string;
  readonly port: number;
  /** The Host header: the URL's host (with its port, IPv6 in brackets). */
  readonly hostHeader: string;
  /** Bound on connecting. */
  readonly connectTimeoutMs: number;
  /** Idle connections kept for the next request, at most. */
  readonly idleConnectionsMax: number;
  /** Connections with a request in progress, at most; a request beyond them fails at once (its caller bounds its requests below this). */
  readonly busyConnectionsMax: number;
}

/** Largest answer head (status line and headers) read, as node:http's default. */
const headBytesMax = 16 * 1024;
const headEnd = Buffer.from('\r\n\r\n', 'latin1');
const empty = Buffer.alloc(0);

/**
 * @example
 *   const raw = new RawHttpClient({ host: '10.0.0.12', port: 8741, hostHeader: '10.0.0.12:8741', connectTimeoutMs: 10_000, idleConnectionsMax: 4, busyConnectionsMax: 8 });
 *   const block = Buffer.allocUnsafe(10_000_000);
 *   const answer = await raw.get({ path: '/x', headers: {}, signal, plan: (head) => (head.status === 200 ? { into: block.subarray(0, head.contentLength ?? 0), onBytes: (b) => hash.update(b) } : { textBytesMax: 65_536 }) });
 */
export class RawHttpClient {
  private readonly idle: Connection[] = [];
  private busy = 0;

  constructor(private readonly options: RawHttpOptions) {}

  /**
   * Sends the GET on a kept connection or a new one; a kept connection the peer closed before
   * any of the answer arrived (its idle timeout) is replaced by a new one, once: a GET may be
   * sent again.
   */
  async get(request: RawGetRequest): Promise<RawAnswer> {
    if (this.busy >= this.options.busyConnectionsMax) throw new RequestFailure(`over ${this.options.busyConnectionsMax} requests at once`);
    this.busy += 1;
    try {
      return await this.send(request);
    } finally {
      this.busy -= 1;
    }
  }

  private async send(request: RawGetRequest): Promise<RawAnswer> {
    const kept = this.idle.pop();
    if (kept !== undefined) {
      try {
        return await this.exchange(kept, request);
      } catch (err) {
        if (!(err instanceof StaleConnectionError) || request.signal.aborted) throw err;
      }
    }
    return this.exchange(await this.open(request.signal), request);
  }

  /** Closes the kept connections. */
  close(): void {
    for (const connection of this.idle.splice(0)) connection.socket.destroy();
  }

  private async exchange(connection: Connection, request: RawGetRequest): Promise<RawAnswer> {
    const answer = await connection.get(request);
    if (connection.reusable && this.idle.length < this.options.idleConnectionsMax) {
      connection.park(() => {
        const at = this.idle.indexOf(connection);
        if (at !== -1) this.idle.splice(at, 1);
      });
      this.idle.push(connection);
    } else {
      connection.socket.destroy();
    }
    return answer;
  }

  private open(signal: AbortSignal): Promise<Connection> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason as Error);
      const connection = new Connection(this.options.hostHeader);
      const socket = connect({ host: this.options.host, port: this.options.port, noDelay: true, onread: { buffer: () => connection.nextBuffer(), callback: (n: number) => connection.onRead(n) } });
      connection.socket = socket;
      const timer = setTimeout(() => socket.destroy(Object.assign(new Error(`connect timed out after ${this.options.connectTimeoutMs} ms`), { code: 'ETIMEDOUT' })), this.options.connectTimeoutMs);
      const onAbort = (): void => void socket.destroy(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = (err: Error | null): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        socket.off('connect', onConnect);
        socket.off('error', onError);
        if (err === null) resolve(connection);
        else reject(err);
      };
      const onConnect = (): void => settle(null);
      const onError = (err: Error): void => settle(err);
      socket.once('connect', onConnect);
      socket.once('error', onError);
      connection.listen();
    });
  }
}

/** A kept connection that the peer had closed: the request was not taken, send it again. */
class StaleConnectionError extends Error {
  override readonly name = 'StaleConnectionError';
}

/** One TCP connection and the answer being read on it. */
class Connection {
  socket!: Socket;
  /** Reads land here until the head has arrived (and while idle, where nothing should arrive). */
  private readonly headBuffer = Buffer.allocUnsafe(headBytesMax);
  private headFilled = 0;
  private state: 'idle' | 'head' | 'body' | 'done' = 'idle';
  private current: Exchange | null = null;
  private requests = 0;
  private onIdleClose: (() => void) | null = null;
  /** True once an answer was read exactly whole on a connection the peer keeps open. */
  reusable = false;

  constructor(private readonly hostHeader: string) {}

  /** Watches the socket for its whole life: errors and closes end the exchange in progress. */
  listen(): void {
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => this.fail(new RequestFailure('the connection closed before the answer ended')));
    this.socket.on('end', () => this.fail(new RequestFailure('the connection closed before the answer ended')));
  }

  /** Keeps the connection for the next request: `unpark` runs if the peer closes it meanwhile. */
  park(unpark: () => void): void {
    this.state = 'idle';
    this.onIdleClose = unpark;
    this.socket.unref();
  }

  get(request: RawGetRequest): Promise<RawAnswer> {
    if (this.socket.destroyed) return Promise.reject(new StaleConnectionError('the kept connection is closed'));
    this.onIdleClose = null;
    this.socket.ref();
    this.requests += 1;
    this.reusable = false;
    this.state = 'head';
    this.headFilled = 0;
    return new Promise<RawAnswer>((resolve, reject) => {
      const onAbort = (): void => this.fail(request.signal.reason as Error);
      const finish = (err: Error | null, answer: RawAnswer | null): void => {
        request.signal.removeEventListener('abort', onAbort);
        this.current = null;
        if (err !== null) {
          this.reusable = false;
          this.state = 'done';
          this.socket.destroy();
          reject(err);
        } else {
          resolve(answer as RawAnswer);
        }
      };
      this.current = new Exchange(request, finish, this.requests > 1);
      if (request.signal.aborted) return onAbort();
      request.signal.addEventListener('abort', onAbort, { once: true });
      const lines = [`GET ${request.path} HTTP/1.1`, `host: ${this.hostHeader}`, ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`)];
      this.socket.write(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
    });
  }

  /** The buffer the next read goes to (net.Socket `onread.buffer`). */
  nextBuffer(): Buffer {
    if (this.state === 'body' && this.current?.into !== null && this.current !== null) {
      const target = this.current.into as Buffer;
      if (this.current.filled < target.length) return target.subarray(this.current.filled);
    }
    // A full head buffer still takes one more byte's read, which then fails the head as too long.
    return this.headFilled < headBytesMax ? this.headBuffer.subarray(this.headFilled) : this.headBuffer.subarray(headBytesMax - 1);
  }

  /** `n` bytes arrived in the buffer `nextBuffer` gave (net.Socket `onread.callback`). */
  onRead(n: number): boolean {
    const exchange = this.current;
    if (this.state === 'idle' || this.state === 'done' || exchange === null) {
      // Bytes nobody asked for: the connection is out of step, never to be used again.
      this.socket.destroy();
      this.onIdleClose?.();
      return false;
    }
    if (this.state === 'body') {
      exchange.bodyBytes(n);
    } else {
      if (this.headFilled >= headBytesMax) {
        this.fail(new RequestFailure(`an answer head over ${headBytesMax} bytes`));
        return false;
      }
      this.headFilled += n;
      const end = this.headBuffer.subarray(0, this.headFilled).indexOf(headEnd);
      if (end === -1) return true;
      const head = parseHead(this.headBuffer.subarray(0, end).toString('latin1'));
      if (head instanceof Error) {
        this.fail(head);
        return false;
      }
      this.state = 'body';
      exchange.started(head, this.headBuffer.subarray(end + headEnd.length, this.headFilled));
      this.headFilled = 0;
    }
    if (exchange.complete) {
      const extra = exchange.extraBytes;
      const keep = !extra && exchange.keepAlive;
      this.state = keep ? 'idle' : 'done';
      this.reusable = keep;
      exchange.end();
    }
    return true;
  }

  private fail(err: Error): void {
    if (this.current === null) {
      if (this.state === 'idle') this.onIdleClose?.();
      this.onIdleClose = null;
      this.state = 'done';
      return;
    }
    const stale = this.current.reused && !this.current.anyByte && !(err instanceof Error && err.name === 'AbortError') && (err instanceof RequestFailure || isResetError(err));
    this.current.fail(stale ? new StaleConnectionError('the kept connection was closed by the peer') : err);
  }
}

/** One request's answer as it is read. */
class Exchange {
  into: Buffer | null = null;
  filled = 0;
  private onBytes: ((bytes: Buffer) => void) | null = null;
  private text: Buffer | null = null;
  private head: AnswerHead | null = null;
  anyByte = false;
  complete = false;
  extraBytes = false;
  keepAlive = false;

  constructor(
    private readonly request: RawGetRequest,
    private readonly finish: (err: Error | null, answer: RawAnswer | null) => void,
    readonly reused: boolean,
  ) {}

  /** The head has arrived, with the first bytes of the body after it. */
  started(head: AnswerHead, rest: Buffer): void {
    this.anyByte = true;
    this.head = head;
    let plan: BodyPlan;
    try {
      plan = this.request.plan(head);
    } catch (err) {
      return this.fail(err as Error);
    }
    const length = head.contentLength;
    this.keepAlive = length !== null && (head.headers.get('connection') ?? '').toLowerCase() !== 'close';
    if ('skip' in plan || length === null) {
      this.keepAlive = false;
      this.into = empty;
    } else if ('into' in plan) {
      if (plan.into.length !== length) return this.fail(new RangeError(`a body buffer of ${plan.into.length} bytes for a content-length of ${length}`));
      this.into = plan.into;
      this.onBytes = plan.onBytes;
    } else {
      if (length > plan.textBytesMax) {
        this.keepAlive = false;
        this.into = empty;
      } else {
        this.text = Buffer.allocUnsafe(length);
        this.into = this.text;
      }
    }
    // The bytes read with the head belong to the body, up to its length; more are out of step.
    const taken = Math.min(rest.length, this.into.length);
    if (taken > 0) {
      rest.copy(this.into, 0, 0, taken);
      this.onBytes?.(this.into.subarray(0, taken));
    }
    this.filled = taken;
    this.extraBytes = rest.length > taken;
    this.complete = this.filled === this.into.length;
  }

  /** `n` more body bytes landed in `into` at `filled`. */
  bodyBytes(n: number): void {
    const into = this.into as Buffer;
    this.onBytes?.(into.subarray(this.filled, this.filled + n));
    this.filled += n;
    this.complete = this.filled === into.length;
  }

  end(): void {
    const head = this.head as AnswerHead;
    const text = this.text === null ? null : this.text.toString('utf8');
    this.finish(null, { head, text });
  }

  fail(err: Error): void {
    this.finish(err, null);
  }
}

/** The status line and headers; an Error for anything that is not an HTTP/1.x answer head. */
export function parseHead(text: string): AnswerHead | Error {
  const lines = text.split('\r\n');
  const status = /^HTTP\/1\.[01] ([1-9][0-9]{2})(?: .*)?$/.exec(lines[0] ?? '');
  if (status === null) return new RequestFailure('an answer that is not HTTP/1.1');
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return new RequestFailure('an answer header that is not "name: value"');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const before = headers.get(name);
    headers.set(name, before === undefined ? value : `${before}, ${value}`);
  }
  const declared = headers.get('content-length');
  const chunked = (headers.get('transfer-encoding') ?? '') !== '';
  const contentLength = !chunked && declared !== undefined && /^[0-9]{1,15}$/.test(declared) ? Number(declared) : null;
  return { status: Number(status[1]), headers, contentLength };
}

function isResetError(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

// The raw HTTP/1.1 GET against small real servers on 127.0.0.1: bodies land in the caller's
// buffer piece by piece, kept connections are reused only when the answer was read exactly, a
// kept connection the peer closed is replaced, and malformed answers are refused. (The backfill
// transfer through it, with the source's real routes, is transfer.test.ts.)
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { parseHead, RawHttpClient, type BodyPlan } from './raw-http.js';

const servers: Array<{ server: Server; sockets: Socket[] }> = [];
after(async () => {
  for (const { server, sockets } of servers) {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A server that answers each request (a head ending in a blank line) with `answer(n)`, n counting requests over all connections. */
async function serve(answer: (n: number, socket: Socket) => void): Promise<{ client: RawHttpClient; connections: () => number }> {
  const sockets: Socket[] = [];
  let requests = 0;
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      while (pending.includes('\r\n\r\n')) {
        pending = pending.slice(pending.indexOf('\r\n\r\n') + 4);
        requests += 1;
        answer(requests, socket);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push({ server, sockets });
  const port = (server.address() as { port: number }).port;
  const client = new RawHttpClient({ host: '127.0.0.1', port, hostHeader: `127.0.0.1:${port}`, connectTimeoutMs: 2_000, idleConnectionsMax: 4, busyConnectionsMax: 2 });
  return { client, connections: () => sockets.length };
}

const head = (status: number, headers: Record<string, string | number>): string => `HTTP/1.1 ${status} X\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;

/** GETs into a fresh buffer of the declared length, hashing the pieces as they land. */
async function getBody(client: RawHttpClient, signal = AbortSignal.timeout(5_000)): Promise<{ status: number; body: Buffer | null; sha256: string; text: string | null }> {
  const hash = createHash('sha256');
  let body: Buffer | null = null;
  const plan = (h: { status: number; contentLength: number | null }): BodyPlan => {
    if (h.status !== 200 || h.contentLength === null) return { textBytesMax: 1024 };
    body = Buffer.alloc(h.contentLength);
    return { into: body, onBytes: (bytes) => void hash.update(bytes) };
  };
  const answer = await client.get({ path: '/block', headers: { accept: 'application/octet-stream' }, signal, plan });
  return { status: answer.head.status, body, sha256: hash.digest('hex'), text: answer.text };
}

describe('RawHttpClient', () => {
  it('reads a large body into the caller’s buffer, hashing every piece once and in order, on one kept connection', async () => {
    const block = randomBytes(3 * 1024 * 1024 + 17);
    const { client, connections } = await serve((_n, socket) => {
      socket.write(head(200, { 'content-type': 'application/octet-stream', 'content-length': block.length }));
      // In uneven pieces, some glued to the head.
      for (let at = 0; at < block.length; at += 100_003) socket.write(block.subarray(at, Math.min(block.length, at + 100_003)));
    });
    for (let n = 0; n < 3; n += 1) {
      const got = await getBody(client);
      assert.equal(got.status, 200);
      assert.ok(got.body?.equals(block));
      assert.equal(got.sha256, createHash('sha256').update(block).digest('hex'));
    }
    assert.equal(connections(), 1);
    client.close();
  });

  it('reads a problem answer as text, and keeps the connection', async () => {
    const problem = JSON.stringify({ type: 'urn:twinrec:problem:no-block', status: 404 });
    const { client, connections } = await serve((_n, socket) => socket.write(head(404, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(problem) }) + problem));
    const got = await getBody(client);
    assert.equal(got.status, 404);
    assert.equal(got.text, problem);
    assert.equal((await getBody(client)).text, problem);
    assert.equal(connections(), 1);
    client.close();
  });

  it('does not keep a connection whose answer had bytes past its content-length, nor one the peer says it closes', async () => {
    const { client, connections } = await serve((n, socket) => {
      if (n === 1) socket.write(`${head(200, { 'content-length': 4 })}abcdEXTRA`);
      else socket.write(`${head(200, { 'content-length': 4, connection: 'close' })}wxyz`);
    });
    const first = await getBody(client);
    assert.equal(first.body?.toString(), 'abcd', 'only content-length bytes are the body');
    const second = await getBody(client);
    assert.equal(second.body?.toString(), 'wxyz');
    assert.equal(connections(), 2, 'the first connection was not used again');
    await getBody(client);
    assert.equal(connections(), 3, 'nor the one the peer said it closes');
    client.close();
  });

  it('sends the request again on a new connection when the peer closed the kept one meanwhile', async () => {
    const { client, connections } = await serve((_n, socket) => {
      socket.write(`${head(200, { 'content-length': 2 })}ok`);
      // The peer's idle timeout: the kept connection is closed a moment later.
      setTimeout(() => socket.end(), 20);
    });
    assert.equal((await getBody(client)).body?.toString(), 'ok');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await getBody(client)).body?.toString(), 'ok');
    assert.equal(connections(), 2);
    client.close();

    // The race: the peer closes the kept connection just as the request goes out, unanswered.
    const racy = await serve((n, socket) => {
      if (n === 2) socket.destroy();
      else socket.write(`${head(200, { 'content-length': 2 })}ok`);
    });
    assert.equal((await getBody(racy.client)).body?.toString(), 'ok');
    assert.equal((await getBody(racy.client)).body?.toString(), 'ok', 'sent again on a new connection');
    assert.equal(racy.connections(), 2);
    racy.client.close();
  });

  it('refuses an answer head over 16 KiB, and fails an answer cut short', async () => {
    const huge = await serve((_n, socket) => socket.write(`HTTP/1.1 200 OK\r\nx-filler: ${'a'.repeat(20_000)}\r\n\r\n`));
    await assert.rejects(getBody(huge.client), /head over 16384 bytes/);
    const short = await serve((_n, socket) => socket.end(`${head(200, { 'content-length': 10 })}12345`));
    await assert.rejects(getBody(short.client), /closed before the answer ended/);
  });

  it('refuses a request over its bound of requests at once', async () => {
    const { client } = await serve((_n, socket) => setTimeout(() => socket.write(`${head(200, { 'content-length': 2 })}ok`), 100));
    const answers = await Promise.allSettled([getBody(client), getBody(client), getBody(client)]);
    assert.deepEqual(answers.map((a) => a.status), ['fulfilled', 'fulfilled', 'rejected']);
    assert.match(String((answers[2] as PromiseRejectedResult).reason), /over 2 requests at once/);
    assert.equal((await getBody(client)).body?.toString(), 'ok', 'taken again once one is done');
    client.close();
  });

  it('ends a request when its signal aborts, with the signal’s reason', async () => {
    const { client } = await serve((_n, socket) => socket.write(`${head(200, { 'content-length': 10 })}12345`));
    const stop = new AbortController();
    setTimeout(() => stop.abort(new Error('the job paused')), 50);
    await assert.rejects(getBody(client, stop.signal), /the job paused/);
  });
});

describe('parseHead', () => {
  it('reads the status, headers in lower case (repeated ones joined) and the content-length', () => {
    const parsed = parseHead('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 12');
    assert.ok(!(parsed instanceof Error));
    assert.equal(parsed.status, 503);
    assert.equal(parsed.headers.get('retry-after'), '1');
    assert.equal(parsed.headers.get('x-a'), '1, 2');
    assert.equal(parsed.contentLength, 12);
  });

  it('declares no length for a chunked answer or a malformed content-length, and refuses what is not an HTTP/1.x head', () => {
    const chunked = parseHead('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-length: 5');
    assert.ok(!(chunked instanceof Error) && chunked.contentLength === null);
    const bad = parseHead('HTTP/1.1 200 OK\r\ncontent-length: 5x');
    assert.ok(!(bad instanceof Error) && bad.contentLength === null);
    assert.ok(parseHead('HTTP/2 200') instanceof Error);
    assert.ok(parseHead('HTTP/1.1 200 OK\r\nno colon here') instanceof Error);
  });
});

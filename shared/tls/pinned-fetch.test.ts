import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createServer as createTlsServer, type Server, type TLSSocket } from 'node:tls';
import type { Dispatcher } from 'undici';
import { createSelfSignedCertificate, type CertificatePair } from './certificate.js';
import { pinnedDispatcher } from './pinned-fetch.js';

/** GET `path` through `dispatcher` with undici's request API: the status and body, or the error's code. */
async function get(dispatcher: Dispatcher, origin: string): Promise<{ status: number; body: string } | { code: string }> {
  try {
    const answer = await dispatcher.request({ origin, path: '/state', method: 'GET', headers: { authorization: 'Bearer secret-that-must-stay-home' } });
    return { status: answer.statusCode, body: await answer.body.text() };
  } catch (err) {
    return { code: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
}

describe('pinnedDispatcher (undici, real sockets on loopback)', () => {
  let served: CertificatePair;
  let other: CertificatePair;
  let server: Server;
  let origin: string;
  /** Every byte of application data the server received after the handshake. */
  let received = Buffer.alloc(0);
  /** TLS connections the server accepted (handshakes done). */
  let connections = 0;
  const sockets: TLSSocket[] = [];

  before(async () => {
    [served, other] = await Promise.all([createSelfSignedCertificate({ commonName: 'served', altNames: ['127.0.0.1'] }), createSelfSignedCertificate({ commonName: 'other', altNames: ['127.0.0.1'] })]);
    // A raw TLS server: it answers every request with 200 on a kept connection, and keeps what it was sent.
    server = createTlsServer({ cert: served.certPem, key: served.keyPem }, (socket) => {
      connections += 1;
      sockets.push(socket);
      let pending = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        pending = Buffer.concat([pending, chunk]);
        for (let end = pending.indexOf('\r\n\r\n'); end !== -1; end = pending.indexOf('\r\n\r\n')) {
          pending = pending.subarray(end + 4);
          socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
        }
      });
      socket.on('error', () => undefined);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('a server showing another certificate never receives a byte of the request', async () => {
    received = Buffer.alloc(0);
    const dispatcher = pinnedDispatcher(other.fingerprint256);
    try {
      assert.deepEqual(await get(dispatcher, origin), { code: 'CERT_PIN_MISMATCH' });
      assert.equal(received.length, 0, 'nothing was written after the handshake');
    } finally {
      await dispatcher.destroy();
    }
  });

  test('the pinned certificate gets the request, and the next ones over the kept connection', async () => {
    received = Buffer.alloc(0);
    const dispatcher = pinnedDispatcher(served.fingerprint256.toLowerCase().replace(/:/g, ''), { connectionsMax: 1 });
    const before = connections;
    try {
      assert.deepEqual(await get(dispatcher, origin), { status: 200, body: 'ok' });
      assert.ok(received.includes('Bearer secret-that-must-stay-home'));
      // At most one connection: requests sent at once wait for it, and no new handshake is made.
      const answers = await Promise.all([get(dispatcher, origin), get(dispatcher, origin), get(dispatcher, origin)]);
      assert.deepEqual(answers, Array.from({ length: 3 }, () => ({ status: 200, body: 'ok' })));
      assert.equal(connections - before, 1, 'one connection, kept, served every request');
    } finally {
      await dispatcher.destroy();
    }
  });

  test('a fingerprint that is not one is refused at once', () => {
    assert.throws(() => pinnedDispatcher('AB:CD'), /not a SHA-256 fingerprint/);
  });
});

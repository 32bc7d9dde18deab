import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request, type Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createServer as createTlsServer, type Server } from 'node:tls';
import { createSelfSignedCertificate, type CertificatePair } from './certificate.js';
import { pinnedHttpsAgent } from './pinned-agent.js';

/** GET `url` through `agent`: the status and body, or the error's code. */
function get(url: string, agent: Agent): Promise<{ status: number; body: string } | { code: string }> {
  return new Promise((resolve) => {
    const req = request(url, { agent, headers: { authorization: 'Bearer secret-that-must-stay-home' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ code: err.code ?? err.message }));
    req.end();
  });
}

describe('pinnedHttpsAgent (node:https, real sockets on loopback)', () => {
  let served: CertificatePair;
  let other: CertificatePair;
  let server: Server;
  let url: string;
  /** Every byte of application data the server received after the handshake. */
  let received = Buffer.alloc(0);

  before(async () => {
    [served, other] = await Promise.all([createSelfSignedCertificate({ commonName: 'served', altNames: ['127.0.0.1'] }), createSelfSignedCertificate({ commonName: 'other', altNames: ['127.0.0.1'] })]);
    // A raw TLS server: it answers any request with 200, and keeps what it was sent.
    server = createTlsServer({ cert: served.certPem, key: served.keyPem }, (socket) => {
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.includes('\r\n\r\n')) socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok');
      });
      socket.on('error', () => undefined);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/state`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a server showing another certificate never receives a byte of the request', async () => {
    received = Buffer.alloc(0);
    const agent = pinnedHttpsAgent(other.fingerprint256);
    try {
      const outcome = await get(url, agent);
      assert.deepEqual(outcome, { code: 'CERT_PIN_MISMATCH' });
      assert.equal(received.length, 0, 'nothing was written after the handshake');
    } finally {
      agent.destroy();
    }
  });

  test('the pinned certificate gets the request, and again over a kept connection', async () => {
    received = Buffer.alloc(0);
    const agent = pinnedHttpsAgent(served.fingerprint256.toLowerCase().replace(/:/g, ''), { keepAlive: true });
    try {
      assert.deepEqual(await get(url, agent), { status: 200, body: 'ok' });
      assert.ok(received.includes('Bearer secret-that-must-stay-home'));
      assert.deepEqual(await get(url, agent), { status: 200, body: 'ok' });
    } finally {
      agent.destroy();
    }
  });

  test('a fingerprint that is not one is refused at once', () => {
    assert.throws(() => pinnedHttpsAgent('AB:CD'), /not a SHA-256 fingerprint/);
  });
});

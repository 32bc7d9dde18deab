import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { canonicalFingerprint, createSelfSignedCertificate, fingerprintOf, loadOrCreateCertificate, type CertificatePair } from './certificate.js';
import { CertificatePinMismatchError, pinnedFetch } from './pinned-fetch.js';

describe('self-signed certificates', () => {
  test('are valid for the names and the years asked, and their fingerprint is what Node computes', async () => {
    const pair = await createSelfSignedCertificate({ commonName: 'twinrec-agent rs-01', altNames: ['rs-01.example', '127.0.0.1'], validityDays: 365 });
    const cert = new X509Certificate(pair.certPem);
    assert.equal(cert.fingerprint256, pair.fingerprint256);
    assert.equal(fingerprintOf(pair.certPem), pair.fingerprint256);
    assert.match(cert.subjectAltName ?? '', /DNS:rs-01\.example/);
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    const days = (new Date(cert.validTo).getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 364 && days <= 365, `valid for ${days} days`);
    assert.equal(cert.ca, false);
  });

  test('bad requests are refused', async () => {
    await assert.rejects(createSelfSignedCertificate({ commonName: 'x', altNames: [] }), /alt names/);
    await assert.rejects(createSelfSignedCertificate({ commonName: 'x', altNames: ['a'], validityDays: 0 }), /validityDays/);
  });

  test('canonical fingerprints', () => {
    const hex = 'ab'.repeat(32);
    assert.equal(canonicalFingerprint(hex), 'AB:'.repeat(31) + 'AB');
    assert.equal(canonicalFingerprint(('AB:'.repeat(31) + 'AB').toLowerCase()), 'AB:'.repeat(31) + 'AB');
    assert.equal(canonicalFingerprint('ab'.repeat(31)), null);
    assert.equal(canonicalFingerprint('zz'.repeat(32)), null);
  });

  test('are made once, mode 0600, then read back; a lone half is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinrec-tls-'));
    try {
      const certPath = join(dir, 'tls', 'agent.crt');
      const keyPath = join(dir, 'tls', 'agent.key');
      const first = await loadOrCreateCertificate(certPath, keyPath, { commonName: 'a', altNames: ['localhost'] });
      assert.equal(first.created, true);
      assert.equal(statSync(keyPath).mode & 0o777, 0o600);
      assert.equal(statSync(certPath).mode & 0o777, 0o600);
      const again = await loadOrCreateCertificate(certPath, keyPath, { commonName: 'a', altNames: ['localhost'] });
      assert.equal(again.created, false);
      assert.equal(again.fingerprint256, first.fingerprint256);
      rmSync(keyPath);
      await assert.rejects(loadOrCreateCertificate(certPath, keyPath, { commonName: 'a', altNames: ['localhost'] }), /without/);
      const other = await createSelfSignedCertificate({ commonName: 'b', altNames: ['localhost'] });
      writeFileSync(keyPath, other.keyPem, { mode: 0o600 });
      await assert.rejects(loadOrCreateCertificate(certPath, keyPath, { commonName: 'a', altNames: ['localhost'] }), /not the private key/);
      assert.equal(readFileSync(certPath, 'utf8'), first.certPem, 'the pinned certificate is never replaced');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pinnedFetch against a real HTTPS server on loopback', () => {
  let pair: CertificatePair;
  let server: Server;
  let url: string;
  let requestsSeen = 0;

  before(async () => {
    pair = await createSelfSignedCertificate({ commonName: 'twinrec-test', altNames: ['127.0.0.1'] });
    server = createServer({ cert: pair.certPem, key: pair.keyPem }, (req, res) => {
      requestsSeen += 1;
      res.end(`hello ${req.headers.authorization ?? ''}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('talks to the server that shows the pinned certificate', async () => {
    const res = await pinnedFetch(url, pair.fingerprint256.toLowerCase(), { headers: { authorization: 'Bearer s' } });
    assert.equal(await res.text(), 'hello Bearer s');
  });

  // The point of pinning: a server with another certificate never receives the request (and its secret).
  test('drops the connection before sending anything to a server with another certificate', async () => {
    const other = await createSelfSignedCertificate({ commonName: 'mallory', altNames: ['127.0.0.1'] });
    const before = requestsSeen;
    const error = await pinnedFetch(url, other.fingerprint256, { headers: { authorization: 'Bearer s' } }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof Error, 'the fetch fails');
    assert.ok((error as Error & { cause?: unknown }).cause instanceof CertificatePinMismatchError, `cause is the pin mismatch: ${String((error as Error & { cause?: unknown }).cause)}`);
    assert.equal(requestsSeen, before, 'the server saw no request');
  });

  test('plain fetch refuses the self-signed certificate (the pin is what makes it trusted)', async () => {
    await assert.rejects(fetch(url), (e: Error & { cause?: { code?: string } }) => /SELF_SIGNED|self-signed|DEPTH_ZERO/i.test(String(e.cause?.code ?? e.cause)));
  });
});

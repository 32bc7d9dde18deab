// `twinrec serve` over HTTPS as a real process: the generated certificate (printed, 0600, the
// same across a restart, downloadable), a configured one, clients that do not trust it refused
// before a request is sent, the Secure cookie, and the errors of bad certificate files.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSelfSignedCertificate } from '../shared/tls/certificate.js';
import { CertificatePinMismatchError, pinnedFetch } from '../shared/tls/pinned-fetch.js';
import { testAdminPassword } from './helpers/auth.js';
import { runTwinrec, runTwinrecToEnd, testScratch, type TwinrecProcess } from './helpers/process.js';

const { tempDir, running } = testScratch('twinrec-serve-tls-');

interface Listening {
  readonly event: string;
  readonly url: string;
  readonly fingerprint256?: string;
  readonly certificate?: string;
}

function writeConfig(dir: string, tls: Record<string, string>): string {
  const file = join(dir, 'controller.json');
  writeFileSync(file, JSON.stringify({ http: { tls } }));
  return file;
}

async function serve(dataDir: string, config: string | null): Promise<{ proc: TwinrecProcess; listening: Listening }> {
  const proc = runTwinrec(['serve', '--port', '0', '--data-dir', dataDir, '--log-format', 'json', ...(config === null ? [] : ['--config', config])], { env: { TWINREC_AUTH_ADMIN_PASSWORD: testAdminPassword } });
  running.push(proc);
  const line = await proc.waitForLine((l) => l.startsWith('{"event":"listening"'), 60_000);
  return { proc, listening: JSON.parse(line) as Listening };
}

/** The message of a failed fetch and of its causes. */
function causes(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) parts.push(`${e.name}: ${e.message}`);
  return parts.join(' <- ');
}

describe('twinrec serve over HTTPS', () => {
  test('generates a certificate at first start (0600, printed), keeps it across a restart, and refuses clients that do not trust it', async () => {
    const dataDir = tempDir();
    const config = writeConfig(dataDir, { mode: 'on' });
    const first = await serve(dataDir, config);
    assert.match(first.listening.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(first.listening.certificate, 'generated');
    const fingerprint = first.listening.fingerprint256 ?? '';
    assert.match(fingerprint, /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
    for (const file of ['controller.crt', 'controller.key']) assert.equal(statSync(join(dataDir, 'tls', file)).mode & 0o777, 0o600, `${file} is 0600`);
    assert.equal((statSync(join(dataDir, 'tls')).mode & 0o077), 0, 'the tls folder is the owner\'s only');

    // A client that checks the chain (the system's CAs) refuses the self-signed certificate.
    await assert.rejects(fetch(`${first.listening.url}/healthz`), (err: unknown) => /self[- ]signed|certificate/i.test(causes(err)));
    // A client that pins another certificate never sends its request: the controller logs none.
    const other = await createSelfSignedCertificate({ commonName: 'someone else', altNames: ['127.0.0.1'] });
    await assert.rejects(pinnedFetch(`${first.listening.url}/readyz`, other.fingerprint256), (err: unknown) => {
      let e: unknown = err;
      while (e instanceof Error && !(e instanceof CertificatePinMismatchError)) e = e.cause;
      assert.ok(e instanceof CertificatePinMismatchError, causes(err));
      assert.equal(e.presented, fingerprint, 'the controller showed the certificate it printed');
      return true;
    });
    // Plain HTTP to the HTTPS port gets no API answer.
    const plain = await fetch(first.listening.url.replace('https:', 'http:') + '/readyz').then((r) => r.status, () => 'refused');
    assert.notEqual(plain, 200);

    // The pinned client is served, and the console's endpoints describe the same certificate.
    const info = (await (await pinnedFetch(`${first.listening.url}/api/v1/tls`, fingerprint)).json()) as { https: boolean; certificate: { fingerprint256: string; source: string; validTo: string } };
    assert.equal(info.https, true);
    assert.equal(info.certificate.fingerprint256, fingerprint);
    assert.equal(info.certificate.source, 'generated');
    const years = (Date.parse(info.certificate.validTo) - Date.now()) / (365 * 86_400_000);
    assert.ok(years > 4.9 && years <= 5, `valid for ${years} years`);
    const download = await pinnedFetch(`${first.listening.url}/api/v1/tls/certificate`, fingerprint);
    assert.equal(download.status, 200);
    assert.match(download.headers.get('content-type') ?? '', /application\/x-pem-file/);
    assert.match(download.headers.get('content-disposition') ?? '', /attachment/);
    assert.equal(new X509Certificate(await download.text()).fingerprint256, fingerprint);

    // Served over HTTPS, the session cookie is Secure without auth.cookieSecure.
    const login = await pinnedFetch(`${first.listening.url}/api/v1/auth/login`, fingerprint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: testAdminPassword }) }).catch((err: unknown) => { throw new Error(causes(err)); });
    assert.equal(login.status, 200);
    assert.match(login.headers.get('set-cookie') ?? '', /;\s*Secure/i);

    assert.equal(await first.proc.stop('SIGTERM'), 0);
    assert.doesNotMatch(first.proc.stderr(), /GET \/readyz/, 'the request of the client that pinned another certificate never arrived');
    assert.match(first.proc.stderr(), new RegExp(`certificate SHA-256 ${fingerprint}`), 'the fingerprint is logged at start');

    const second = await serve(dataDir, config);
    assert.equal(second.listening.fingerprint256, fingerprint, 'the same certificate after a restart');
    assert.equal(await second.proc.stop('SIGTERM'), 0);
  });

  test('serves a configured certificate; plain HTTP on loopback has none to download', async () => {
    const dir = tempDir();
    const pair = await createSelfSignedCertificate({ commonName: 'twinrec.example', altNames: ['twinrec.example', '127.0.0.1'] });
    writeFileSync(join(dir, 'site.crt'), pair.certPem);
    writeFileSync(join(dir, 'site.key'), pair.keyPem, { mode: 0o600 });
    const configured = await serve(join(dir, 'data'), writeConfig(dir, { certFile: join(dir, 'site.crt'), keyFile: join(dir, 'site.key') }));
    assert.equal(configured.listening.fingerprint256, pair.fingerprint256);
    assert.equal(configured.listening.certificate, 'configured');
    const info = (await (await pinnedFetch(`${configured.listening.url}/api/v1/tls`, pair.fingerprint256)).json()) as { certificate: { source: string; subject: string } };
    assert.equal(info.certificate.source, 'configured');
    assert.match(info.certificate.subject, /twinrec\.example/);
    assert.equal(await configured.proc.stop('SIGTERM'), 0);

    // The default on loopback: plain HTTP, said so by the API; no certificate is made.
    const plain = await serve(join(dir, 'plain'), null);
    assert.match(plain.listening.url, /^http:\/\//);
    assert.equal(plain.listening.fingerprint256, undefined);
    assert.deepEqual(await (await fetch(`${plain.listening.url}/api/v1/tls`)).json(), { https: false, certificate: null });
    const none = await fetch(`${plain.listening.url}/api/v1/tls/certificate`);
    assert.equal(none.status, 404);
    assert.equal(((await none.json()) as { type: string }).type, 'urn:twinrec:problem:not-found');
    assert.throws(() => statSync(join(dir, 'plain', 'tls')), /ENOENT/);
    assert.equal(await plain.proc.stop('SIGTERM'), 0);
  });

  test('bad certificate files end the start with a message naming the key and exit 2, the key never echoed', async () => {
    const dir = tempDir();
    const pair = await createSelfSignedCertificate({ commonName: 'a', altNames: ['127.0.0.1'] });
    const other = await createSelfSignedCertificate({ commonName: 'b', altNames: ['127.0.0.1'] });
    writeFileSync(join(dir, 'a.crt'), pair.certPem);
    writeFileSync(join(dir, 'b.key'), other.keyPem, { mode: 0o600 });
    writeFileSync(join(dir, 'junk.crt'), 'not a certificate\n');
    const cases: Array<{ tls: Record<string, string>; message: RegExp }> = [
      { tls: { certFile: join(dir, 'a.crt'), keyFile: join(dir, 'missing.key') }, message: /http\.tls\.keyFile: .*missing\.key does not exist/ },
      { tls: { certFile: join(dir, 'a.crt'), keyFile: join(dir, 'b.key') }, message: /http\.tls\.keyFile: .*b\.key is not the private key of the certificate in .*a\.crt/ },
      { tls: { certFile: join(dir, 'junk.crt'), keyFile: join(dir, 'b.key') }, message: /http\.tls\.certFile: .*junk\.crt is not a PEM certificate/ },
      { tls: { certFile: join(dir, 'a.crt') }, message: /http\.tls\.keyFile: certFile and keyFile go together/ },
      { tls: { mode: 'off', certFile: join(dir, 'a.crt'), keyFile: join(dir, 'b.key') }, message: /http\.tls\.mode: is off while certFile\/keyFile are set/ },
    ];
    for (const [index, { tls, message }] of cases.entries()) {
      const config = join(dir, `bad-${index}.json`);
      writeFileSync(config, JSON.stringify({ http: { tls } }));
      const result = await runTwinrecToEnd(['serve', '--port', '0', '--data-dir', join(dir, `data-${index}`), '--config', config], { env: { TWINREC_AUTH_ADMIN_PASSWORD: testAdminPassword } });
      assert.equal(result.code, 2, `case ${index}: ${result.stderr}`);
      assert.match(result.stderr, message, `case ${index}`);
      assert.doesNotMatch(result.stderr, /BEGIN PRIVATE KEY|at .*\.ts:\d+/, `case ${index}: no key and no stack trace`);
      assert.equal(result.stdout, '', `case ${index}: nothing was listening`);
    }
  });

  test('config print shows http.tls', async () => {
    const dir = tempDir();
    const result = await runTwinrecToEnd(['config', 'print', '--json', '--config', writeConfig(dir, { mode: 'on' })]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((JSON.parse(result.stdout) as { http: { tls: unknown } }).http.tls, { mode: 'on' });
  });
});

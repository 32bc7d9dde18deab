import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { closedPort } from '../../shared/testing/ports.js';
import { readXml } from '../../shared/xml.js';
import { IdpTokenSource } from './idp-token.js';
import { recorderTokenSource } from './recorder-token.js';
import { loginEnvelope, parseLoginAnswer, serverCommandUrlFor, VmsTokenSource } from './vms-token.js';

const password = 'secret-pw-7d1e';
const ns = 'http://videoos.net/2/XProtectCSServerCommand';

const loginAnswer = (token: string, microSeconds: number): string =>
  `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><LoginResponse xmlns="${ns}"><LoginResult xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
  `<RegistrationTime>2026-12-06T10:00:00.9Z</RegistrationTime><TimeToLive><MicroSeconds>${microSeconds}</MicroSeconds></TimeToLive><TimeToLiveLimited>false</TimeToLiveLimited>` +
  `<Token>${token}</Token></LoginResult></LoginResponse></s:Body></s:Envelope>`;
const faultAnswer = (message: string): string =>
  `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>${message}</faultstring></s:Fault></s:Body></s:Envelope>`;

interface LoginCall {
  readonly authorization: string | undefined;
  readonly soapAction: string | undefined;
  readonly instanceId: string;
  readonly currentToken: string;
}

/**
 * A management server stand-in on a real socket: the IDP's password grant and
 * ServerCommandServiceOAuth Login, whose answers a test sets per call.
 */
class FakeManagementServer {
  readonly server: Server;
  readonly logins: LoginCall[] = [];
  idpTokensIssued = 0;
  ttlMicroSeconds = 14_400_000_000;
  /** Next answers to Login, in order; when empty, a fresh token. */
  readonly script: Array<{ status: number; body: string }> = [];
  private tokenSeq = 0;

  constructor() {
    this.server = createServer((req, res) => void this.handle(req).then(({ status, body, type }) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    }));
  }

  get base(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async listen(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: string; type: string }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (req.url === '/IDP/connect/token') {
      const form = new URLSearchParams(text);
      if (form.get('password') !== password) return { status: 400, body: JSON.stringify({ error: 'invalid_grant' }), type: 'application/json' };
      this.idpTokensIssued += 1;
      return { status: 200, body: JSON.stringify({ access_token: `idp-access-${this.idpTokensIssued}`, expires_in: 3600, token_type: 'Bearer' }), type: 'application/json' };
    }
    if (req.url === '/ManagementServer/ServerCommandServiceOAuth.svc') {
      const login = (readXml(text, { stripPrefixes: true }) as { Envelope: { Body: { Login: { instanceId: string; currentToken: string } } } }).Envelope.Body.Login;
      this.logins.push({ authorization: req.headers.authorization, soapAction: req.headers.soapaction as string | undefined, instanceId: login.instanceId, currentToken: login.currentToken });
      const scripted = this.script.shift();
      if (scripted !== undefined) return { ...scripted, type: 'text/xml; charset=utf-8' };
      this.tokenSeq += 1;
      return { status: 200, body: loginAnswer(`TOKEN#00000000-0000-4000-8000-${String(this.tokenSeq).padStart(12, '0')}#ms//ServerConnector#`, this.ttlMicroSeconds), type: 'text/xml; charset=utf-8' };
    }
    return { status: 404, body: 'not found', type: 'text/plain' };
  }
}

/** A logger whose lines a test can read (to check that no token is ever logged). */
function capturingLog(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines };
}

const waitUntil = async (what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('Login answers', () => {
  it('reads Token and TimeToLive, with or without prefixes, and faults', () => {
    assert.deepEqual(parseLoginAnswer(loginAnswer('TOKEN#a#b//ServerConnector#', 14_400_000_000)), { kind: 'token', token: 'TOKEN#a#b//ServerConnector#', timeToLiveMs: 14_400_000 });
    const prefixed = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><tns:LoginResponse xmlns:tns="${ns}"><tns:LoginResult><tns:TimeToLive><tns:MicroSeconds>5000000</tns:MicroSeconds></tns:TimeToLive><tns:Token>TOKEN#x#y//ServerConnector#</tns:Token></tns:LoginResult></tns:LoginResponse></soap:Body></soap:Envelope>`;
    assert.deepEqual(parseLoginAnswer(prefixed), { kind: 'token', token: 'TOKEN#x#y//ServerConnector#', timeToLiveMs: 5_000 });
    assert.deepEqual(parseLoginAnswer(faultAnswer('Access is denied.')), { kind: 'fault', message: 'Access is denied.' });
    assert.equal((parseLoginAnswer(loginAnswer('TOKEN#a#b//ServerConnector#', 0)) as { timeToLiveMs: number | null }).timeToLiveMs, null);
    assert.throws(() => parseLoginAnswer(loginAnswer('', 1)), /no token in the Login answer/);
    assert.throws(() => parseLoginAnswer('<html>Service Unavailable</html>'), /no SOAP envelope/);
    assert.throws(() => parseLoginAnswer('not xml <'), /unparseable/);
  });

  it('writes the request as OauthLoginFlow does, escaping the current token', () => {
    assert.match(loginEnvelope('3f0e8a52-6a8b-4a9e-9d1c-0c8e1f7b2a11', ''), new RegExp(`<Login xmlns="${ns}"><instanceId>3f0e8a52-6a8b-4a9e-9d1c-0c8e1f7b2a11</instanceId><currentToken /></Login>`));
    assert.match(loginEnvelope('i', 'a<b&'), /<currentToken>a&lt;b&amp;<\/currentToken>/);
  });

  it('finds ServerCommandServiceOAuth.svc on the IDP host', () => {
    assert.equal(serverCommandUrlFor('https://ms.example:8443/IDP/connect/token'), 'https://ms.example:8443/ManagementServer/ServerCommandServiceOAuth.svc');
    assert.equal(serverCommandUrlFor('http://10.0.0.1/API/IDP/connect/token'), 'http://10.0.0.1/ManagementServer/ServerCommandServiceOAuth.svc');
  });
});

describe('VmsTokenSource against a management server', () => {
  const ms = new FakeManagementServer();
  const sources: VmsTokenSource[] = [];
  const signal = (): AbortSignal => AbortSignal.timeout(5_000);
  before(() => ms.listen());
  after(async () => {
    for (const source of sources) await source.close();
    ms.server.close();
  });
  const source = (log: pino.Logger, instanceId?: string): VmsTokenSource => {
    const idp = new IdpTokenSource({ tokenUrl: `${ms.base}/IDP/connect/token`, username: 'svc', password, requestTimeoutMs: 2_000, log });
    const vms = new VmsTokenSource({ serverCommandUrl: serverCommandUrlFor(`${ms.base}/IDP/connect/token`), idp, requestTimeoutMs: 2_000, log, ...(instanceId === undefined ? {} : { instanceId }) });
    sources.push(vms);
    return vms;
  };
  const reset = (): void => {
    ms.logins.length = 0;
    ms.script.length = 0;
    ms.ttlMicroSeconds = 14_400_000_000;
  };

  it('logs in with the IDP access token as Bearer, then reuses the token', async () => {
    reset();
    const { log, lines } = capturingLog();
    const tokens = source(log, '3f0e8a52-6a8b-4a9e-9d1c-0c8e1f7b2a11');
    const first = await tokens.valid(signal());
    assert.match(first, /^TOKEN#[0-9a-f-]{36}#ms\/\/ServerConnector#$/);
    assert.equal(await tokens.valid(signal()), first);
    assert.equal(ms.logins.length, 1);
    const [login] = ms.logins;
    assert.match(login?.authorization ?? '', /^Bearer idp-access-\d+$/);
    assert.equal(login?.soapAction, `"${ns}/IServerCommandService/Login"`);
    assert.equal(login?.instanceId, '3f0e8a52-6a8b-4a9e-9d1c-0c8e1f7b2a11');
    assert.equal(login?.currentToken, '');
    assert.ok(lines.some((line) => line.includes('VMS token obtained')));
    for (const line of lines) assert.ok(!line.includes(first) && !line.includes(password) && !line.includes('idp-access-'), line);
  });

  it('renews before TimeToLive ends with the current token, and uses the token Login returns', async () => {
    reset();
    ms.ttlMicroSeconds = 1_200_000; // 1.2 s: renewal at half of it
    const { log, lines } = capturingLog();
    const tokens = source(log);
    const first = await tokens.valid(signal());
    let latest = first;
    // Ask as the probe does, every 50 ms, across several lifetimes: never an expired token.
    const endMs = Date.now() + 4_000;
    while (Date.now() < endMs) {
      latest = await tokens.valid(signal());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(ms.logins.length >= 4, `logins: ${ms.logins.length}`);
    assert.equal(ms.logins[0]?.currentToken, '');
    for (const [i, login] of ms.logins.entries()) if (i > 0) assert.match(login.currentToken, /^TOKEN#/, `login ${i} renews`);
    assert.ok(ms.logins.every((login) => login.instanceId === ms.logins[0]?.instanceId), 'one instance id for every renewal');
    assert.notEqual(latest, first);
    for (const line of lines) assert.ok(!line.includes('TOKEN#'), line);
  });

  it('a refused renewal is followed by a fresh login at once', async () => {
    reset();
    ms.ttlMicroSeconds = 3_000_000; // renewal due at 1.5 s; the token still valid until 3 s, a wide margin on a loaded machine
    const tokens = source(pino({ level: 'silent' }));
    const first = await tokens.valid(signal());
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    ms.script.push({ status: 500, body: faultAnswer('Login failed: currentToken is unknown or expired') });
    assert.equal(await tokens.valid(signal()), first); // still valid; the renewal runs in the background
    await waitUntil('the fresh login', () => ms.logins.length >= 3);
    assert.equal(ms.logins[1]?.currentToken, first);
    assert.equal(ms.logins[2]?.currentToken, '');
    await waitUntil('the new token', () => ms.script.length === 0);
    assert.notEqual(await tokens.valid(signal()), first);
  });

  it('a refused login: its fault as reason, a new IDP token next time, and no request within the back-off', async () => {
    reset();
    const tokens = source(pino({ level: 'silent' }));
    ms.script.push({ status: 500, body: faultAnswer('Access is denied.') });
    const idpBefore = ms.idpTokensIssued;
    await assert.rejects(tokens.valid(signal()), /^RequestFailure: VMS login failed: Access is denied\.$/);
    await assert.rejects(tokens.valid(signal()), /VMS login failed: Access is denied\./);
    assert.equal(ms.logins.length, 1, 'the second call waits for the back-off');
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const token = await tokens.valid(signal());
    assert.match(token, /^TOKEN#/);
    assert.equal(ms.logins.length, 2);
    assert.equal(ms.idpTokensIssued, idpBefore + 2, 'the refused access token was dropped');
    assert.notEqual(ms.logins[0]?.authorization, ms.logins[1]?.authorization);
  });

  it('HTTP errors, oversized answers and an unreachable server are failures with safe reasons', async () => {
    reset();
    ms.script.push({ status: 503, body: 'Service Unavailable' });
    await assert.rejects(source(pino({ level: 'silent' })).valid(signal()), /^RequestFailure: VMS login failed: HTTP 503$/);
    ms.script.push({ status: 200, body: `<x>${'a'.repeat(70_000)}</x>` });
    await assert.rejects(source(pino({ level: 'silent' })).valid(signal()), /answer larger than 65536 bytes/);
    const port = await closedPort();
    const idp = new IdpTokenSource({ tokenUrl: `${ms.base}/IDP/connect/token`, username: 'svc', password, requestTimeoutMs: 2_000, log: pino({ level: 'silent' }) });
    const away = new VmsTokenSource({ serverCommandUrl: `http://127.0.0.1:${port}/ManagementServer/ServerCommandServiceOAuth.svc`, idp, requestTimeoutMs: 2_000, log: pino({ level: 'silent' }) });
    sources.push(away);
    await assert.rejects(away.valid(signal()), /^RequestFailure: VMS login failed: connection refused$/);
  });

  it('an IDP failure keeps the IDP reason', async () => {
    const port = await closedPort();
    const tokens = recorderTokenSource({ tokenUrl: `http://127.0.0.1:${port}/IDP/connect/token`, username: 'svc', password, timeoutMs: 2_000, log: pino({ level: 'silent' }) });
    try {
      await assert.rejects(tokens.valid(signal()), /^RequestFailure: token request failed: connection refused$/);
    } finally {
      await tokens.close();
    }
  });

  it('drops a token the recorder rejects (at most every 5 s) and logs in afresh; never shows the token', async () => {
    reset();
    const { log, lines } = capturingLog();
    const tokens = source(log);
    const first = await tokens.valid(signal());
    assert.equal(tokens.dropRejected('TOKEN#someone-else', 'the recorder'), true, 'not ours: retry with the current one');
    assert.equal(tokens.dropRejected(first, 'the recorder'), true);
    const second = await tokens.valid(signal());
    assert.notEqual(second, first);
    assert.equal(ms.logins.at(-1)?.currentToken, '', 'a rejected token is not renewed');
    assert.equal(tokens.dropRejected(second, 'the recorder'), false, 'within 5 s of the last drop');
    assert.equal(await tokens.valid(signal()), second);
    assert.equal(tokens.redact(`recorder said ${second} and ${first} and ${password}`, 200), 'recorder said *** and *** and ***');
    assert.ok(lines.some((line) => line.includes('the recorder rejected the VMS token; logging in again')));
    for (const line of lines) assert.ok(!line.includes('TOKEN#'), line);
  });

  it('close() ends a login in flight and later calls fail', async () => {
    reset();
    const tokens = source(pino({ level: 'silent' }));
    await tokens.close();
    await assert.rejects(tokens.valid(signal()));
  });
});

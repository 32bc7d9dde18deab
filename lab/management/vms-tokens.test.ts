import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import * as soap from 'soap';
import { generateSigningKey } from '../shared/jwt.js';
import { TokenChecker } from '../recorder/token-check.js';
import type { Site } from '../site.js';
import { handleTokenRequest } from './idp.js';
import { LOGIN_SOAP_ACTION, SERVER_COMMAND_NAMESPACE, SERVER_COMMAND_OAUTH_PATH } from './server-command.js';
import { ManagementServer, VMS_TOKEN_LOOKUP_PATH } from './server.js';
import { VMS_TOKEN_PATTERN, VmsTokenStore } from './vms-tokens.js';

const instance = '3f0e8a52-6a8b-4a9e-9d1c-0c8e1f7b2a11';
const other = '9b2d4c6e-1f3a-4b5c-8d7e-0a1b2c3d4e5f';

describe('VmsTokenStore', () => {
  it('issues TOKEN#<guid>#<host>//ServerConnector# tokens valid for their lifetime', () => {
    const store = new VmsTokenStore('xpco', 5_000);
    const login = store.login(instance, '', 'user-1', 1_000_000);
    assert.ok(login.ok);
    assert.match(login.info.token, VMS_TOKEN_PATTERN);
    assert.match(login.info.token, /#xpco\/\/ServerConnector#$/);
    assert.equal(login.renewed, false);
    assert.equal(login.info.timeToLiveMs, 5_000);
    assert.deepEqual(store.lookup(login.info.token, 1_004_999), { valid: true, expiresAtMs: 1_005_000 });
    assert.deepEqual(store.lookup(login.info.token, 1_005_000), { valid: false, reason: 'expired' });
    assert.deepEqual(store.lookup('TOKEN#never-issued', 1_000_000), { valid: false, reason: 'unknown' });
  });

  it('renews with a still-valid currentToken of the same login: a new token, the old one valid until its own end', () => {
    const store = new VmsTokenStore('xpco', 5_000);
    const first = store.login(instance, '', 'user-1', 0);
    assert.ok(first.ok);
    const renewed = store.login(instance, first.info.token, 'user-1', 4_000);
    assert.ok(renewed.ok);
    assert.equal(renewed.renewed, true);
    assert.notEqual(renewed.info.token, first.info.token);
    assert.deepEqual(store.lookup(renewed.info.token, 8_000), { valid: true, expiresAtMs: 9_000 });
    assert.deepEqual(store.lookup(first.info.token, 4_500), { valid: true, expiresAtMs: 5_000 });
    assert.equal(store.lookup(first.info.token, 5_000).valid, false);
    assert.deepEqual(store.counts(4_000), { issuedTotal: 2, renewedTotal: 1, held: 2 });
  });

  it('refuses a renewal with an expired, unknown or another login\'s token', () => {
    const store = new VmsTokenStore('xpco', 5_000);
    const first = store.login(instance, '', 'user-1', 0);
    assert.ok(first.ok);
    assert.deepEqual(store.login(instance, first.info.token, 'user-1', 5_000), { ok: false, reason: 'currentToken is unknown or expired' });
    assert.deepEqual(store.login(instance, 'TOKEN#x#y//ServerConnector#', 'user-1', 1_000), { ok: false, reason: 'currentToken is unknown or expired' });
    assert.deepEqual(store.login(other, first.info.token, 'user-1', 1_000), { ok: false, reason: 'currentToken belongs to another login' });
    assert.deepEqual(store.login(instance, first.info.token, 'user-2', 1_000), { ok: false, reason: 'currentToken belongs to another login' });
  });

  it('holds a bounded number of tokens and forgets expired ones', () => {
    const store = new VmsTokenStore('xpco', 1_000, 3);
    const tokens = Array.from({ length: 5 }, (_, i) => {
      const login = store.login(instance, '', 'user-1', i);
      assert.ok(login.ok);
      return login.info.token;
    });
    assert.equal(store.counts(10).held, 3);
    assert.equal(store.lookup(tokens[0] ?? '', 10).valid, false);
    assert.equal(store.lookup(tokens[4] ?? '', 10).valid, true);
    assert.equal(store.counts(100_000).held, 0);
    assert.throws(() => new VmsTokenStore('xpco', 10), /at least 1 s/);
    assert.throws(() => new VmsTokenStore('a#b', 5_000), /not a host name/);
  });
});

describe('TokenChecker with the store as its management server', () => {
  it('accepts a valid VMS token until it expires, refuses an IDP JWT without asking, asks once per token', async () => {
    let nowMs = 0;
    const store = new VmsTokenStore('xpco', 5_000);
    let lookups = 0;
    let managementDown = false;
    const checker = new TokenChecker(async (token) => {
      lookups += 1;
      if (managementDown) throw new Error('connection refused');
      const answer = store.lookup(token, nowMs);
      return answer.valid ? answer : { valid: false };
    });
    const clock = (): number => nowMs;
    const login = store.login(instance, '', 'user-1', 0);
    assert.ok(login.ok);
    assert.deepEqual(await checker.check(login.info.token, clock), { ok: true });
    nowMs = 4_000;
    managementDown = true; // a token seen before is accepted while the management server is down
    assert.deepEqual(await checker.check(login.info.token, clock), { ok: true });
    assert.equal(lookups, 1);
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    assert.deepEqual(await checker.check(jwt, clock), { ok: false, reason: 'invalid' });
    assert.deepEqual(await checker.check(undefined, clock), { ok: false, reason: 'missing' });
    assert.deepEqual(await checker.check('  ', clock), { ok: false, reason: 'missing' });
    assert.equal(lookups, 1);
    const unseen = store.login(other, '', 'user-1', 4_000);
    assert.ok(unseen.ok);
    assert.deepEqual(await checker.check(unseen.info.token, clock), { ok: false, reason: 'invalid' }, 'cannot be checked while the management server is down');
    managementDown = false;
    assert.deepEqual(await checker.check(unseen.info.token, clock), { ok: false, reason: 'invalid' }, 'the failed lookup is remembered for a second');
    nowMs = 5_100;
    assert.deepEqual(await checker.check(login.info.token, clock), { ok: false, reason: 'expired' });
    assert.deepEqual(await checker.check(unseen.info.token, clock), { ok: true });
  });
});

const site: Site = {
  version: 1,
  credentials: { username: 'admin', password: 'correct horse battery' },
  tokenLifetimeSeconds: 60,
  cameraHubUrl: 'http://127.0.0.1:9/',
  cameras: [],
  recordingServers: [{ id: '6e0f7c4a-1111-4222-8333-444455556666', name: 'RS1', hostName: '127.0.0.1', webServerUri: 'http://127.0.0.1:7563/', cameraIds: [], storage: { id: '7e0f7c4a-1111-4222-8333-444455556666', name: 'Local default', diskPath: 'storage', retainMinutes: 60, maxSizeMb: 100 } }],
};

describe('ServerCommandServiceOAuth.svc of the lab management server', () => {
  const key = generateSigningKey();
  const server = new ManagementServer(site, key, { host: '127.0.0.1', port: 0, vmsTokenTtlMs: 5_000 }, pino({ level: 'silent' }));
  let base = '';
  let accessToken = '';
  before(async () => {
    base = `http://127.0.0.1:${await server.listen()}`;
    const issued = handleTokenRequest({ grant_type: 'password', username: 'admin', password: site.credentials.password, client_id: 'GrantValidatorClient' }, { issuer: `${base}/IDP`, username: 'admin', password: site.credentials.password, tokenLifetimeSeconds: 60 }, key, Date.now());
    assert.ok(issued.ok);
    accessToken = issued.body.access_token;
  });
  after(() => server.close());

  const login = (authorization: string | null, currentToken = '', path = SERVER_COMMAND_OAUTH_PATH): Promise<Response> =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: LOGIN_SOAP_ACTION, ...(authorization === null ? {} : { authorization }) },
      // As Milestone's OauthLoginFlow sample writes it.
      body: `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Login xmlns="${SERVER_COMMAND_NAMESPACE}"><instanceId>${instance}</instanceId>${currentToken === '' ? '<currentToken />' : `<currentToken>${currentToken}</currentToken>`}</Login></s:Body></s:Envelope>`,
    });
  const tokenOf = (xml: string): string => /<(?:\w+:)?Token>([^<]+)</.exec(xml)?.[1] ?? '';

  it('answers Login with LoginInfo to a bearer IDP token (also as `bearer`, at the sample\'s spelling of the path)', async () => {
    const res = await login(`Bearer ${accessToken}`);
    const xml = await res.text();
    assert.equal(res.status, 200, xml);
    assert.match(xml, /<(\w+:)?LoginResponse[^>]*>\s*<(\w+:)?LoginResult>\s*<(\w+:)?RegistrationTime>[^<]+Z<\/(\w+:)?RegistrationTime>\s*<(\w+:)?TimeToLive>\s*<(\w+:)?MicroSeconds>5000000<\/(\w+:)?MicroSeconds>\s*<\/(\w+:)?TimeToLive>\s*<(\w+:)?TimeToLiveLimited>false<\/(\w+:)?TimeToLiveLimited>\s*<(\w+:)?Token>TOKEN#/);
    assert.match(tokenOf(xml), VMS_TOKEN_PATTERN);
    const lower = await login(`bearer ${accessToken}`, '', '/managementServer/ServerCommandServiceOauth.svc');
    assert.equal(lower.status, 200, await lower.clone().text());
    assert.match(tokenOf(await lower.text()), VMS_TOKEN_PATTERN);
  });

  it('refuses a missing, invalid or non-bearer authorization with the fault "Access is denied."', async () => {
    for (const authorization of [null, 'Bearer nonsense', `Basic ${Buffer.from('admin:x').toString('base64')}`, 'Bearer TOKEN#x#y//ServerConnector#']) {
      const res = await login(authorization);
      const xml = await res.text();
      assert.equal(res.status, 500, xml);
      assert.match(xml, /<faultstring>Access is denied\.<\/faultstring>/);
      assert.doesNotMatch(xml, /TOKEN#[0-9a-f]/);
    }
  });

  it('renews with currentToken, refuses an unknown one, and counts what it issued', async () => {
    const before = (await (await fetch(`${base}/lab/vms-tokens`)).json()) as { issuedTotal: number; renewedTotal: number; ttlMs: number };
    const first = tokenOf(await (await login(`Bearer ${accessToken}`)).text());
    const renewed = await login(`Bearer ${accessToken}`, first);
    const second = tokenOf(await renewed.text());
    assert.match(second, VMS_TOKEN_PATTERN);
    assert.notEqual(second, first);
    const unknown = await login(`Bearer ${accessToken}`, 'TOKEN#00000000-0000-4000-8000-000000000000#x//ServerConnector#');
    assert.equal(unknown.status, 500);
    assert.match(await unknown.text(), /currentToken is unknown or expired/);
    const counts = (await (await fetch(`${base}/lab/vms-tokens`)).json()) as { issuedTotal: number; renewedTotal: number; ttlMs: number };
    assert.equal(counts.issuedTotal, before.issuedTotal + 2);
    assert.equal(counts.renewedTotal, before.renewedTotal + 1);
    assert.equal(counts.ttlMs, 5_000);
  });

  it('serves a WSDL from which node-soap builds a working Login client', async () => {
    const client = await soap.createClientAsync(`${base}${SERVER_COMMAND_OAUTH_PATH}?wsdl`);
    client.addHttpHeader('Authorization', `Bearer ${accessToken}`);
    const [result] = (await client.LoginAsync({ instanceId: other, currentToken: '' })) as [{ LoginResult: { Token: string; TimeToLive: { MicroSeconds: string | number } } }];
    assert.match(result.LoginResult.Token, VMS_TOKEN_PATTERN);
    assert.equal(Number(result.LoginResult.TimeToLive.MicroSeconds), 5_000_000);
  });

  it('tells a recorder (with its IDP token) whether a VMS token is valid and until when', async () => {
    const token = tokenOf(await (await login(`Bearer ${accessToken}`)).text());
    const ask = (value: string, bearer = accessToken): Promise<Response> =>
      fetch(`${base}${VMS_TOKEN_LOOKUP_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify({ token: value }) });
    const valid = (await (await ask(token)).json()) as { valid: boolean; expiresAt: string };
    assert.equal(valid.valid, true);
    assert.ok(Date.parse(valid.expiresAt) > Date.now());
    assert.deepEqual(await (await ask(accessToken)).json(), { valid: false, reason: 'unknown' });
    assert.equal((await ask(token, 'nonsense')).status, 401);
  });
});

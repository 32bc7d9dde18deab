// agent.yaml: several controllers sharing one database (controller.urls, issue 19) and how
// the agent trusts them: a list of URLs in order (controller.url is its one-element form), and
// one trust setting for the https ones, a list of fingerprints being the self-signed pair's.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadAgentConfig } from './agent-config.js';
import { validAgentConfig } from './agent-config.fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'twinrec-agent-controllers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const valid = validAgentConfig;
const [fpA, fpB] = ['ab'.repeat(32), 'cd'.repeat(32)];
const canonical = (pair: string): string => `${pair.toUpperCase()}:`.repeat(31) + pair.toUpperCase();
let files = 0;
const load = (controller: unknown, extra: Record<string, unknown> = {}) => {
  const path = join(dir, `agent-${(files += 1)}.json`);
  writeFileSync(path, JSON.stringify({ ...valid, ...extra, controller }));
  return loadAgentConfig(path);
};

test('controller.url loads as a one-element list; controller.urls keeps its order', () => {
  assert.deepEqual(load({ url: 'http://127.0.0.1:8740' }).controller?.urls, ['http://127.0.0.1:8740']);
  const two = load({ urls: ['http://127.0.0.1:8741', 'http://127.0.0.1:8740'], timeoutMs: 1_000 }).controller;
  assert.deepEqual(two?.urls, ['http://127.0.0.1:8741', 'http://127.0.0.1:8740']);
  assert.deepEqual(two?.fingerprints, []);
  assert.equal(two?.timeoutMs, 1_000);
});

test('a self-signed pair of controllers: each https URL is trusted by any of the listed fingerprints, stored canonical', () => {
  const pair = load({ urls: ['https://ctl-a.example:8740', 'https://ctl-b.example:8740'], fingerprints: [fpA, canonical('cd').toLowerCase()] }).controller;
  assert.deepEqual(pair?.fingerprints, [canonical('ab'), canonical('cd')]);
  // One fingerprint (a certificate both controllers were given) covers both, as a one-element list.
  assert.deepEqual(load({ urls: ['https://ctl-a.example:8740', 'https://ctl-b.example:8740'], fingerprint: fpA }).controller?.fingerprints, [canonical('ab')]);
  const ca = load({ urls: ['https://ctl-a.example:8740', 'https://ctl-b.example:8740'], caFile: 'site-ca.pem' }).controller;
  assert.equal(ca?.caFile, join(dir, 'site-ca.pem'));
});

// Each bad controller section, and the words its error must hold.
const refused: ReadonlyArray<readonly [string, unknown, RegExp, Record<string, unknown>?]> = [
  ['neither url nor urls', { timeoutMs: 1_000 }, /controller\.urls: set controller\.urls \(the controllers sharing one database, in order\) or controller\.url \(one controller\), exactly one of the two/],
  ['both url and urls', { url: 'http://127.0.0.1:8740', urls: ['http://127.0.0.1:8741'] }, /controller\.urls: set controller\.urls .* exactly one of the two/],
  ['an empty list', { urls: [] }, /controller\.urls: .*(>=1|at least 1|too small)/i],
  ['more than 8', { urls: Array.from({ length: 9 }, (_, i) => `http://127.0.0.1:${8740 + i}`) }, /controller\.urls: .*(<=8|at most 8|too big)/i],
  ['one controller twice', { urls: ['http://127.0.0.1:8740', 'http://127.0.0.1:8740/api'] }, /controller\.urls\.1: names the same controller as controller\.urls\.0 \(http:\/\/127\.0\.0\.1:8740\): list each controller once/],
  ['a URL with credentials', { urls: ['http://admin:pw@127.0.0.1:8740'] }, /controller\.urls\.0: must not carry a user name or password/],
  ['not a URL', { urls: ['127.0.0.1:8740'] }, /controller\.urls\.0/],
  ['plain http beyond loopback in the list', { urls: ['http://127.0.0.1:8740', 'http://10.0.0.6:8740'] }, /controller\.urls\.1: http:\/\/10\.0\.0\.6:8740 is plain http:\/\/ beyond loopback/],
  ['https without a trust setting', { urls: ['http://127.0.0.1:8740', 'https://ctl-b.example:8740'] }, /controller: https:\/\/ctl-b\.example:8740 is https: set exactly one of controller\.fingerprint .*controller\.fingerprints \(one per controller with its own self-signed certificate; any may match\)/],
  ['fingerprint and fingerprints together', { urls: ['https://ctl-a.example:8740'], fingerprint: fpA, fingerprints: [fpB] }, /controller: https:\/\/ctl-a\.example:8740 is https: set exactly one of/],
  ['fingerprints and a CA file together', { urls: ['https://ctl-a.example:8740'], fingerprints: [fpA], caFile: 'ca.pem' }, /set exactly one of/],
  ['a fingerprint twice', { urls: ['https://ctl-a.example:8740', 'https://ctl-b.example:8740'], fingerprints: [fpA, canonical('ab')] }, /controller\.fingerprints\.1: lists the same fingerprint twice/],
  ['a bad fingerprint in the list', { urls: ['https://ctl-a.example:8740'], fingerprints: [fpA, 'zz'] }, /controller\.fingerprints\.1: a SHA-256 fingerprint: 64 hex digits/],
  ['an empty fingerprint list', { urls: ['https://ctl-a.example:8740'], fingerprints: [] }, /controller\.fingerprints/],
  ['fingerprints with plain http only', { urls: ['http://127.0.0.1:8740'], fingerprints: [fpA] }, /controller: controller\.fingerprint, fingerprints, caFile and systemTrust need an https:\/\/ URL/],
];

for (const [what, controller, message, extra] of refused) {
  test(`refused: ${what}`, () => {
    assert.throws(() => load(controller, extra), message);
  });
}

test('plain http beyond loopback in the list only with api.tls.insecurePlainHttp, as for one controller', () => {
  const insecure = { api: { listen: { host: '10.0.0.5', port: 8741 }, tls: { mode: 'off', insecurePlainHttp: true } } };
  assert.deepEqual(load({ urls: ['http://10.0.0.6:8740', 'https://ctl-b.example:8740'], fingerprint: fpA }, insecure).controller?.urls, ['http://10.0.0.6:8740', 'https://ctl-b.example:8740']);
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, configKeys, envNameOf, loadControllerConfig, maskSecrets, maskUrlPassword } from './load.js';
import { controllerConfigSchema } from './schema.js';

function leaves(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix === '' ? k : `${prefix}.${k}`));
}

describe('loadControllerConfig', () => {
  test('defaults: loopback, port 8740, ./data, 1 MB bodies', () => {
    const { config } = loadControllerConfig({});
    assert.equal(config.http.host, '127.0.0.1');
    assert.equal(config.http.port, 8740);
    assert.equal(config.dataDir, './data');
    assert.equal(config.http.bodyLimitBytes, 1024 * 1024);
  });

  test('every configuration leaf has an environment variable', () => {
    const withOptionals = controllerConfigSchema.parse({ http: { publicOrigin: 'https://twinrec.example' }, db: { url: 'sqlite:x', password: 'p' }, auth: { adminPassword: 'p'.repeat(12) } });
    assert.deepEqual(leaves(withOptionals).sort(), configKeys.map((k) => k.path).sort());
    assert.equal(envNameOf('http.bodyLimitBytes'), 'TWINREC_HTTP_BODY_LIMIT_BYTES');
  });

  test('YAML file < environment < flags, with origins recorded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinrec-config-'));
    try {
      const file = join(dir, 'c.yaml');
      writeFileSync(file, 'http:\n  port: 1000\n  host: 0.0.0.0\ndb:\n  migrateOnStart: false\n');
      const loaded = loadControllerConfig({ file, env: { TWINREC_HTTP_PORT: '2000', TWINREC_DB_MIGRATE_ON_START: 'yes', TWINREC_COLOUR: 'x' }, flags: { 'http.port': 3000 } });
      assert.equal(loaded.config.http.port, 3000);
      assert.equal(loaded.config.http.host, '0.0.0.0');
      assert.equal(loaded.config.db.migrateOnStart, true);
      assert.equal(loaded.origins.get('http.host'), file);
      assert.equal(loaded.origins.get('db.migrateOnStart'), 'TWINREC_DB_MIGRATE_ON_START');
      assert.deepEqual(loaded.warnings, ['unknown environment variable TWINREC_COLOUR is ignored']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('errors name the key, the expectation and the source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinrec-config-'));
    try {
      const file = join(dir, 'c.json');
      writeFileSync(file, JSON.stringify({ http: { port: 99999 }, extra: true }));
      const err = (() => {
        try {
          loadControllerConfig({ file, env: { TWINREC_DB_CONNECT_TIMEOUT_MS: 'soon' } });
        } catch (e) {
          return e;
        }
        return null;
      })();
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /db\.connectTimeoutMs: expected an integer, got "soon" \(from TWINREC_DB_CONNECT_TIMEOUT_MS\)/);

      writeFileSync(file, JSON.stringify({ http: { port: 99999 }, extra: true }));
      assert.throws(() => loadControllerConfig({ file }), (e: Error) => /http\.port: .*99999 \(from .*c\.json\)/.test(e.message) && /extra: unknown key/.test(e.message));
      writeFileSync(file, '{"http": ');
      assert.throws(() => loadControllerConfig({ file }), /not valid JSON/);
      assert.throws(() => loadControllerConfig({ file: join(dir, 'missing.yaml') }), /cannot be read \(ENOENT\)/);
      assert.throws(() => loadControllerConfig({ file: join(dir, 'c.toml') }), /cannot be read|expected a \.json, \.yaml or \.yml file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('http.trustProxy: false by default; a boolean, a number of proxies or a list of addresses and ranges, from a file or the environment', () => {
    assert.equal(loadControllerConfig({}).config.http.trustProxy, false);
    const fromEnv = (value: string) => loadControllerConfig({ env: { TWINREC_HTTP_TRUST_PROXY: value } }).config.http.trustProxy;
    assert.equal(fromEnv('true'), true);
    assert.equal(fromEnv('off'), false);
    assert.equal(fromEnv('2'), 2);
    assert.deepEqual(fromEnv('loopback, 10.0.0.0/8,fd00::/8 ,192.0.2.1,172.16.0.0/255.240.0.0'), ['loopback', '10.0.0.0/8', 'fd00::/8', '192.0.2.1', '172.16.0.0/255.240.0.0']);
    assert.deepEqual(controllerConfigSchema.parse({ http: { trustProxy: ['::1', 'uniquelocal'] } }).http.trustProxy, ['::1', 'uniquelocal']);
    for (const bad of ['proxy.example', '10.0.0.0/33', 'fd00::/129', '10.0.0.1/8/8', '*', '-1']) {
      assert.throws(() => fromEnv(bad), (e: Error) => e instanceof ConfigError && /http\.trustProxy/.test(e.message), bad);
    }
    for (const bad of [[], 'loopback', 1.5, 99, null]) assert.equal(controllerConfigSchema.safeParse({ http: { trustProxy: bad } }).success, false, JSON.stringify(bad));
  });

  test('http.publicOrigin: an http(s) origin without path, kept as its normalised origin', () => {
    assert.equal(loadControllerConfig({}).config.http.publicOrigin, undefined);
    const load = (value: string) => loadControllerConfig({ env: { TWINREC_HTTP_PUBLIC_ORIGIN: value } }).config.http.publicOrigin;
    assert.equal(load('https://TwinRec.Example.com/'), 'https://twinrec.example.com');
    assert.equal(load('https://twinrec.example.com:443'), 'https://twinrec.example.com');
    assert.equal(load('http://10.0.0.5:8740'), 'http://10.0.0.5:8740');
    for (const bad of ['twinrec.example.com', 'https://twinrec.example.com/console', 'https://u:p@twinrec.example.com', 'https://twinrec.example.com/?a=1', 'ftp://twinrec.example.com', 'null']) {
      assert.throws(() => load(bad), (e: Error) => e instanceof ConfigError && /http\.publicOrigin/.test(e.message), bad);
    }
  });

  test('auth.loginFailuresPerAccountTotalMax defaults to 50', () => {
    assert.equal(loadControllerConfig({}).config.auth.loginFailuresPerAccountTotalMax, 50);
    assert.equal(loadControllerConfig({ env: { TWINREC_AUTH_LOGIN_FAILURES_PER_ACCOUNT_TOTAL_MAX: '20' } }).config.auth.loginFailuresPerAccountTotalMax, 20);
  });

  test('secrets are masked for printing', () => {
    const { config } = loadControllerConfig({ flags: { 'db.url': 'mssql://sa:Pa55word@sql.example:1433/twinrec', 'db.password': 'other' }, env: { TWINREC_AUTH_ADMIN_PASSWORD: 'first-admin-secret' } });
    const masked = maskSecrets(config);
    assert.equal(masked.db.url, 'mssql://sa:********@sql.example:1433/twinrec');
    assert.equal(masked.db.password, '********');
    assert.equal(masked.auth.adminPassword, '********');
    assert.equal(config.auth.adminPassword, 'first-admin-secret');
    assert.ok(!JSON.stringify(masked).includes('first-admin-secret'));
    assert.equal(config.db.password, 'other', 'the original is untouched');
    assert.equal(maskUrlPassword('sqlite:./data/x.sqlite'), 'sqlite:./data/x.sqlite');
  });
});

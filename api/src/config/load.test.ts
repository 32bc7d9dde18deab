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
    const withOptionals = controllerConfigSchema.parse({ http: { publicOrigin: 'https://twinrec.example', tls: { certFile: 'c.pem', keyFile: 'k.pem' } }, db: { url: 'sqlite:x', password: 'p' }, auth: { adminPassword: 'p'.repeat(12) }, encryption: { keyFile: 'secrets.key' }, log: { file: { path: 'twinrec.log' } }, vms: { bridge: 'edge', bridgeAssembly: 'Twinrec.Bridge.dll' } });
    assert.deepEqual(leaves(withOptionals).sort(), configKeys.map((k) => k.path).sort());
    assert.equal(envNameOf('http.bodyLimitBytes'), 'TWINREC_HTTP_BODY_LIMIT_BYTES');
  });

  test('vms.bridge: native by default, edge accepted from the environment, anything else named', () => {
    assert.deepEqual(loadControllerConfig({}).config.vms, { bridge: 'native' });
    const edge = loadControllerConfig({ env: { TWINREC_VMS_BRIDGE: 'edge', TWINREC_VMS_BRIDGE_ASSEMBLY: '/opt/twinrec/Twinrec.Bridge.dll' } });
    assert.deepEqual(edge.config.vms, { bridge: 'edge', bridgeAssembly: '/opt/twinrec/Twinrec.Bridge.dll' });
    assert.equal(edge.origins.get('vms.bridge'), 'TWINREC_VMS_BRIDGE');
    assert.throws(() => loadControllerConfig({ env: { TWINREC_VMS_BRIDGE: 'mip' } }), (err: unknown) => err instanceof ConfigError && /vms\.bridge/.test(err.message) && /native/.test(err.message) && /edge/.test(err.message));
    // An assembly the native bridge would never load is refused, not ignored.
    assert.throws(() => loadControllerConfig({ env: { TWINREC_VMS_BRIDGE_ASSEMBLY: 'x.dll' } }), (err: unknown) => err instanceof ConfigError && /vms\.bridgeAssembly/.test(err.message) && /edge only/.test(err.message));
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

  test('a password in a query parameter of db.url is masked for printing too', () => {
    const { config } = loadControllerConfig({ env: { TWINREC_DB_URL: 'postgres://app:in-userinfo@db.example/twinrec?sslmode=require&password=in-query' } });
    const printed = JSON.stringify(maskSecrets(config));
    assert.ok(!printed.includes('in-userinfo') && !printed.includes('in-query'), printed);
    assert.equal(maskSecrets(config).db.url, 'postgres://app:********@db.example/twinrec?sslmode=require&password=********');
  });

  test('a configuration error never echoes a secret, from the environment, a flag or a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinrec-config-'));
    const messageOf = (load: () => unknown): string => {
      try {
        load();
      } catch (err) {
        assert.ok(err instanceof ConfigError, String(err));
        return err.message;
      }
      assert.fail('the configuration was accepted');
    };
    try {
      // auth.adminPassword too short, from the environment, a flag and a file.
      const short = 'sh0rt-pw';
      const fromEnv = messageOf(() => loadControllerConfig({ env: { TWINREC_AUTH_ADMIN_PASSWORD: short } }));
      const fromFlag = messageOf(() => loadControllerConfig({ flags: { 'auth.adminPassword': short } }));
      const yaml = join(dir, 'c.yaml');
      writeFileSync(yaml, `auth:\n  adminPassword: ${short}\n`);
      const fromFile = messageOf(() => loadControllerConfig({ file: yaml }));
      for (const [message, from] of [[fromEnv, 'TWINREC_AUTH_ADMIN_PASSWORD'], [fromFlag, 'flag'], [fromFile, 'c.yaml']] as const) {
        assert.match(message, /auth\.adminPassword: .*12.*\(a secret value, not shown\)/, message);
        assert.ok(message.includes(from), message);
        assert.ok(!message.includes(short), message);
      }
      // db.password of the wrong type, and a whole db section given as a URL, from a file.
      const json = join(dir, 'c.json');
      writeFileSync(json, JSON.stringify({ db: { password: 98765432123 } }));
      assert.ok(!messageOf(() => loadControllerConfig({ file: json })).includes('98765432123'));
      writeFileSync(json, JSON.stringify({ db: 'postgres://app:hunter2-pw@db/x' }));
      assert.ok(!messageOf(() => loadControllerConfig({ file: json })).includes('hunter2-pw'));
      writeFileSync(json, JSON.stringify({ db: { url: { password: 'hunter3-pw' } } }));
      assert.ok(!messageOf(() => loadControllerConfig({ file: json })).includes('hunter3-pw'));
      // A JSON syntax error near a password: where it is, not the text around it.
      writeFileSync(json, '{"db": {"password": "hunter4-pw" "url": 1}}');
      const syntax = messageOf(() => loadControllerConfig({ file: json }));
      assert.match(syntax, /not valid JSON: a syntax error at line 1, column \d+/);
      assert.ok(!syntax.includes('hunter4-pw'), syntax);
      writeFileSync(json, 'hunter5-pw');
      assert.ok(!messageOf(() => loadControllerConfig({ file: json })).includes('hunter5-pw'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

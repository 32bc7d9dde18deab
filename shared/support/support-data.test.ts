import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { maskedValue, maskSecretsDeep, productVersion, tailLines } from './support-data.js';

const dir = mkdtempSync(join(tmpdir(), 'twinrec-support-data-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('secrets are masked wherever they sit; where they are kept, and other values, are not', () => {
  const masked = maskSecretsDeep({
    db: { url: 'postgres://twinrec:pg-pass-1@db:5432/twinrec', password: 'pg-pass-2' },
    auth: { adminPassword: 'admin-pass', cookieSecure: true },
    cluster: { secretFile: '/etc/twinrec/cluster.secret', secret: 'cluster-secret' },
    recorder: { passwordFile: 'secrets/password', username: 'svc' },
    webhooks: [{ apiToken: 'trk_abc' }],
    encryption: { keyFile: '/var/lib/twinrec/secrets.key' },
  }) as Record<string, Record<string, unknown>>;
  assert.equal(masked.db?.url, `postgres://twinrec:${maskedValue}@db:5432/twinrec`);
  assert.equal(masked.db?.password, maskedValue);
  assert.equal(masked.auth?.adminPassword, maskedValue);
  assert.equal(masked.auth?.cookieSecure, true);
  assert.equal(masked.cluster?.secretFile, '/etc/twinrec/cluster.secret');
  assert.equal(masked.cluster?.secret, maskedValue);
  assert.equal(masked.recorder?.passwordFile, 'secrets/password');
  assert.equal(masked.recorder?.username, 'svc');
  assert.deepEqual(masked.webhooks, [{ apiToken: maskedValue }]);
  assert.equal(masked.encryption?.keyFile, '/var/lib/twinrec/secrets.key');
  for (const secret of ['pg-pass-1', 'pg-pass-2', 'admin-pass', 'cluster-secret', 'trk_abc']) assert.ok(!JSON.stringify(masked).includes(secret), secret);
});

test('the newest whole lines of a file, bounded in bytes, lines and line length', () => {
  const path = join(dir, 'a.log');
  writeFileSync(path, Array.from({ length: 100 }, (_, i) => `line ${i} ${'x'.repeat(i)}`).join('\n') + '\n');
  assert.deepEqual(tailLines(path, { bytesMax: 1_000_000, linesMax: 2, lineBytesMax: 1000 }), [`line 98 ${'x'.repeat(98)}`, `line 99 ${'x'.repeat(99)}`]);
  const fromBytes = tailLines(path, { bytesMax: 250, linesMax: 100, lineBytesMax: 1000 }) as string[];
  assert.ok(fromBytes.length >= 1 && fromBytes.length <= 3 && fromBytes.every((line) => line.startsWith('line 9')), JSON.stringify(fromBytes));
  assert.deepEqual(tailLines(path, { bytesMax: 1_000_000, linesMax: 1, lineBytesMax: 10 }), ['line 99 xx…']);
  assert.equal(tailLines(join(dir, 'missing.log'), { bytesMax: 10, linesMax: 1, lineBytesMax: 10 }), null);
});

test('the product version comes from package.json', () => {
  assert.match(productVersion(), /^\d+\.\d+\.\d+/);
});

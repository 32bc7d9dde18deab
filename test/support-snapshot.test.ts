// The support snapshot end to end (issue 18, "Support snapshot"): a controller with a log file
// and a lab pair whose agents keep theirs; the zip from the API and from `twinrec support
// snapshot` lists what support needs, holds each agent's own snapshot, and no secret at all.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import yauzl from 'yauzl';
import { agentSupportSnapshotSchema } from '../contracts/agent-api-v1.js';
import { startHaLab, type HaLab } from './helpers/ha-lab.js';
import { runTwinrecToEnd } from './helpers/process.js';

/** Every entry of a zip: name → bytes. */
function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (err, zip) => {
      if (err !== null || zip === undefined) return reject(err ?? new Error('no zip'));
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamErr, stream) => {
          if (streamErr !== null || stream === undefined) return reject(streamErr ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('support snapshot', { timeout: 300_000 }, () => {
  let ha: HaLab;
  const work = mkdtempSync(join(tmpdir(), 'twinrec-snapshot-'));
  before(async () => {
    ha = await startHaLab({ cameras: 2, profile: 'fast', controllerEnv: { TWINREC_LOG_FILE_PATH: join(work, 'logs', 'controller.log'), TWINREC_LOG_LEVEL: 'info' } });
    await ha.steady(60_000);
  });
  after(async () => {
    await ha?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** Values that must never be in a snapshot. */
  function secrets(): string[] {
    const cluster = ha.description.pairs[0]?.cluster;
    assert.ok(cluster !== undefined);
    const controller = ha.controller;
    assert.ok(controller !== null);
    return [controller.adminPassword, controller.authHeader.authorization.replace(/^Bearer /, ''), readFileSync(cluster.secretFile, 'utf8').trim(), ha.description.credentials.password];
  }

  function checkSnapshot(entries: Map<string, Buffer>): void {
    const names = [...entries.keys()];
    for (const name of ['manifest.json', 'controller/config.json', 'controller/clusters.json', 'controller/events.json', 'controller/audit.json']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    assert.ok(names.some((name) => /^controller\/logs\/controller\.\d+\.log$/.test(name)), `a controller log file in ${names.join(', ')}`);
    const manifest = JSON.parse((entries.get('manifest.json') as Buffer).toString('utf8')) as { files: string[]; agents: Array<{ node: string; outcome: string; detail?: string }> };
    assert.deepEqual([...manifest.files].sort(), [...names].sort(), 'the manifest lists exactly the files');
    assert.deepEqual(manifest.agents.map((a) => [a.node, a.outcome, a.detail ?? '']).sort(), ha.recorders.map((r) => [r, 'collected', '']).sort());
    const agentFiles = names.filter((name) => name.startsWith('agents/'));
    assert.equal(agentFiles.length, 2, agentFiles.join(', '));
    for (const name of agentFiles) {
      const snapshot = agentSupportSnapshotSchema.parse(JSON.parse((entries.get(name) as Buffer).toString('utf8')));
      assert.ok(snapshot.logLines.length > 0, `${name}: the agent's own log lines`);
      assert.match(String(snapshot.status.state), /^(PRIM|SECOND|ALONE|WAIT)$/);
      assert.ok(snapshot.policy.version >= 1, `${name}: the cluster policy it runs`);
    }
    const clusters = JSON.parse((entries.get('controller/clusters.json') as Buffer).toString('utf8')) as Array<{ nodes: Array<{ name: string }>; policyVersion: number }>;
    assert.equal(clusters.length, 1);
    assert.deepEqual(clusters[0]?.nodes.map((n) => n.name).sort(), [...ha.recorders].sort());
    const all = Buffer.concat([...entries.values()]).toString('utf8');
    for (const secret of secrets()) assert.ok(!all.includes(secret), `a secret (${secret.length} characters) is in the snapshot`);
  }

  test('GET /api/v1/support/snapshot: the files support needs, every agent, no secret; audited', async () => {
    const res = await ha.controllerFetch('/api/v1/support/snapshot', { headers: ha.controller?.authHeader ?? {} });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('content-type'), 'application/zip');
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="twinrec-support-.+\.zip"$/);
    checkSnapshot(await unzip(Buffer.from(await res.arrayBuffer())));
    const audit = await ha.controllerFetch('/api/v1/audit?action=support.snapshot', { headers: ha.controller?.authHeader ?? {} });
    const entries = ((await audit.json()) as { items: Array<{ action: string; actor: string }> }).items;
    assert.equal(entries.length, 1);
    assert.equal(entries[0]?.actor, 'admin');
  });

  test('twinrec support snapshot --out writes the same kind of zip; bad tokens and missing ones are clear errors', async () => {
    const controller = ha.controller;
    assert.ok(controller !== null);
    const token = controller.authHeader.authorization.replace(/^Bearer /, '');
    const tokenFile = join(work, 'admin.token');
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    const out = join(work, 'support.zip');
    const ok = await runTwinrecToEnd(['support', 'snapshot', '--out', out, '--url', controller.url, '--token-file', tokenFile]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /"event":"snapshot-written"/);
    checkSnapshot(await unzip(readFileSync(out)));

    const refused = await runTwinrecToEnd(['support', 'snapshot', '--out', join(work, 'no.zip'), '--url', controller.url], { env: { TWINREC_API_TOKEN: 'trk_not-a-token' } });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /HTTP 401/);
    const missing = await runTwinrecToEnd(['support', 'snapshot', '--out', join(work, 'no.zip'), '--url', controller.url], { env: { TWINREC_API_TOKEN: '' } });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /an admin API token is needed/);
  });
});

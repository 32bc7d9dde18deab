// A failover pool's agents on the agent link (issue 17): registration as a standby or a protected
// recording server creates (trust on first use) or joins a pool, with the node's role and its pool
// row; a pool's agent never joins a cloned pair nor the reverse; the protected server's
// RecorderConfig.xml push is stored only for a pool's primary, checked (base64, SHA-256, the
// file, the recorder id), and every refusal has its problem type. Against a real controller on
// SQLite, and PostgreSQL when TWINREC_TEST_PG_URL is set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegisterResponse } from '../contracts/controller-v1.js';
import { AuditEntryEntity, NodeEntity, PoolRecorderConfigEntity, PoolServerEntity, PoolStandbyEntity } from '../api/src/db/entities/index.js';
import { parseRecorderConfig, sha256Hex } from '../recorder-config-sync/index.js';
import { postAsAgent, registration, secretFor, type ProblemBody } from './helpers/agent-reports.js';
import { onEachBackend } from './helpers/controller.js';
import { repoRoot } from './helpers/process.js';

const problemType = (slug: string) => `urn:twinrec:problem:${slug}`;
const fileBytes = readFileSync(join(repoRoot, 'recorder-config-sync', 'fixtures', '01-primary-crlf.xml'));
const fileRecorderId = parseRecorderConfig(fileBytes).info.recorderId.replace(/^\{|\}$/g, '').toLowerCase();

function poolRegistration(cluster: string, node: string, pool: { role: 'standby'; cameraCapacity: number } | { role: 'protected'; sharedAddress: string }, recorderId = fileRecorderId) {
  return { ...registration(cluster, node, node, 0, { recorderId }), pool };
}

onEachBackend('pool agents on the agent link', (suite) => {
  const push = async (secret: string, body: unknown): Promise<{ status: number; body: ProblemBody }> => {
    const res = await fetch(`${suite.controller.url}/api/v1/agent/recorder-config`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as ProblemBody };
  };
  const register = async (secret: string, body: unknown): Promise<{ status: number; body: RegisterResponse & ProblemBody }> => (await postAsAgent<RegisterResponse>(suite.controller, secret, 'register', body)) as { status: number; body: RegisterResponse & ProblemBody };

  test('a protected server and a standby register into a pool, with their roles and pool rows; a pair agent and a pool never mix', async () => {
    const secret = secretFor('pool-a');
    const protectedAnswer = await register(secret, poolRegistration('pool-a', 'rs-1', { role: 'protected', sharedAddress: '10.0.0.21:7563' }));
    assert.equal(protectedAnswer.status, 200, JSON.stringify(protectedAnswer.body));
    const { clusterId, nodeId } = protectedAnswer.body;
    const standbyAnswer = await register(secret, poolRegistration('pool-a', 'standby-1', { role: 'standby', cameraCapacity: 48 }, '0d9c8b7a-6f5e-4d3c-8b1a-0f9e8d7c6b5a'));
    assert.equal(standbyAnswer.status, 200, JSON.stringify(standbyAnswer.body));

    const cluster = (await suite.api().get(`/api/v1/clusters/${clusterId}`).expect(200)).body as { mode: string; nodes: Array<{ name: string; role: string }> };
    assert.equal(cluster.mode, 'pool');
    assert.deepEqual(cluster.nodes.map((n) => [n.name, n.role]).sort(), [['rs-1', 'primary'], ['standby-1', 'failover']]);
    const m = suite.controller.db.dataSource.manager;
    assert.equal((await m.findOneByOrFail(PoolServerEntity, { nodeId })).sharedAddress, '10.0.0.21:7563');
    assert.equal((await m.findOneByOrFail(PoolStandbyEntity, { nodeId: standbyAnswer.body.nodeId })).cameraCapacity, 48);

    // Registering again updates the agent's own facts and keeps the rest.
    await m.update(PoolServerEntity, { nodeId }, { standbySelection: 'capacity-closest' });
    assert.equal((await register(secret, poolRegistration('pool-a', 'rs-1', { role: 'protected', sharedAddress: '10.0.0.22:7563' }))).status, 200);
    assert.deepEqual(await m.findOneByOrFail(PoolServerEntity, { nodeId }).then((r) => [r.sharedAddress, r.standbySelection]), ['10.0.0.22:7563', 'capacity-closest']);
    // A standby's capacity is its agent's the first time only: then an admin's (PUT …/standby) stands.
    await m.update(PoolStandbyEntity, { nodeId: standbyAnswer.body.nodeId }, { cameraCapacity: 20 });
    assert.equal((await register(secret, poolRegistration('pool-a', 'standby-1', { role: 'standby', cameraCapacity: 12 }, '0d9c8b7a-6f5e-4d3c-8b1a-0f9e8d7c6b5a'))).status, 200);
    assert.equal((await m.findOneByOrFail(PoolStandbyEntity, { nodeId: standbyAnswer.body.nodeId })).cameraCapacity, 20);

    // A node keeps its pool role; a pair's agent does not join a pool; a pool's agent does not join a pair.
    const switched = await register(secret, poolRegistration('pool-a', 'standby-1', { role: 'protected', sharedAddress: '10.0.0.23:7563' }));
    assert.deepEqual([switched.status, switched.body.type], [409, problemType('role-conflict')]);
    const pairAgent = await register(secret, registration('pool-a', 'rs-9', 'rs-8', 0));
    assert.deepEqual([pairAgent.status, pairAgent.body.type], [409, problemType('pool-mode-mismatch')]);
    const pairSecret = secretFor('pair-a');
    assert.equal((await register(pairSecret, registration('pair-a', 'rs-a', 'rs-b', 0))).status, 200);
    const poolAgent = await register(pairSecret, poolRegistration('pair-a', 'standby-2', { role: 'standby', cameraCapacity: 8 }));
    assert.deepEqual([poolAgent.status, poolAgent.body.type], [409, problemType('pool-mode-mismatch')]);
    assert.equal((await m.countBy(NodeEntity, { name: 'standby-2' })), 0, 'nothing stored');
    const bad = await register(secret, poolRegistration('pool-a', 'rs-2', { role: 'protected', sharedAddress: 'no-port' }));
    assert.deepEqual([bad.status, bad.body.type], [400, problemType('validation-failed')]);
    const noCapacity = await register(secret, { ...registration('pool-a', 'standby-3', 'standby-3', 0), pool: { role: 'standby' } });
    assert.deepEqual([noCapacity.status, noCapacity.body.type], [400, problemType('validation-failed')]);
  });

  test("the protected server's RecorderConfig.xml push is checked and stored; a standby's, a pair node's and a wrong file are refused", async () => {
    const secret = secretFor('pool-b');
    const protectedIds = (await register(secret, poolRegistration('pool-b', 'rs-1', { role: 'protected', sharedAddress: '10.0.0.31:7563' }))).body;
    const standbyIds = (await register(secret, poolRegistration('pool-b', 'standby-1', { role: 'standby', cameraCapacity: 8 }, '0d9c8b7a-6f5e-4d3c-8b1a-0f9e8d7c6b5a'))).body;
    const recorderConfig = { xml: fileBytes.toString('base64'), sha256: sha256Hex(fileBytes) };
    const body = { clusterId: protectedIds.clusterId, nodeId: protectedIds.nodeId, recorderConfig };

    assert.equal((await push('not-the-secret-0123456789', body)).status, 401);
    const stored = await push(secret, body);
    assert.equal(stored.status, 204, JSON.stringify(stored.body));
    const m = suite.controller.db.dataSource.manager;
    const row = await m.findOneByOrFail(PoolRecorderConfigEntity, { nodeId: protectedIds.nodeId });
    assert.deepEqual({ clusterId: row.clusterId, recorderId: row.recorderId, sha256: row.sha256, xml: row.xml }, { clusterId: protectedIds.clusterId, recorderId: fileRecorderId, sha256: sha256Hex(fileBytes), xml: recorderConfig.xml });
    assert.equal((await push(secret, body)).status, 204, 'the same file again');
    assert.equal(await m.countBy(AuditEntryEntity, { action: 'pool.recorder-config-received', target: `cluster/${protectedIds.clusterId}/node/${protectedIds.nodeId}` }), 1, 'a changed file is audited, the same one not again');

    const refusals: Array<[string, unknown, number, string]> = [
      ['a standby', { ...body, nodeId: standbyIds.nodeId }, 409, 'pool-not-protected-server'],
      ['a SHA-256 mismatch', { ...body, recorderConfig: { ...recorderConfig, sha256: 'f'.repeat(64) } }, 400, 'recorder-config-invalid'],
      ['not canonical base64', { ...body, recorderConfig: { ...recorderConfig, xml: `${recorderConfig.xml}!!` } }, 400, 'recorder-config-invalid'],
      ['not a RecorderConfig.xml', { ...body, recorderConfig: { xml: Buffer.from('<x/>').toString('base64'), sha256: sha256Hex(Buffer.from('<x/>')) } }, 400, 'recorder-config-invalid'],
      ['an unknown node', { ...body, nodeId: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b' }, 404, 'not-found'],
      ['a body off the schema', { ...body, extra: true }, 400, 'validation-failed'],
    ];
    for (const [what, refused, status, type] of refusals) {
      const answer = await push(secret, refused);
      assert.deepEqual([answer.status, answer.body.type], [status, problemType(type)], what);
    }
    // A protected server registered under another recorder id: its file is not its identity.
    const other = (await register(secret, poolRegistration('pool-b', 'rs-2', { role: 'protected', sharedAddress: '10.0.0.32:7563' }, '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d'))).body;
    const mismatch = await push(secret, { ...body, nodeId: other.nodeId });
    assert.deepEqual([mismatch.status, mismatch.body.type], [409, problemType('recorder-identity-mismatch')]);
    // A cloned pair's node pushes nothing.
    const pairSecret = secretFor('pair-b');
    const pair = (await register(pairSecret, registration('pair-b', 'rs-a', 'rs-b', 0, { recorderId: fileRecorderId }))).body;
    const fromPair = await push(pairSecret, { clusterId: pair.clusterId, nodeId: pair.nodeId, recorderConfig });
    assert.deepEqual([fromPair.status, fromPair.body.type], [409, problemType('pool-not-protected-server')]);
    assert.equal(await m.countBy(PoolRecorderConfigEntity, {}), 1, 'only the one accepted push is stored');
  });
}, { flags: { 'agents.trustOnFirstUse': true } });

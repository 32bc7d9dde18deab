// The model's zod schemas are the one description of each API object. Here they are tied to
// what uses them: the services' signatures must be the inferred types (checked by tsc), what
// the domain builds must parse with the schemas, and the OpenAPI document must hold every
// registered schema, with every $ref resolving.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { BackfillService } from '../agent-link/backfill-commands.js';
import type { ClusterCommandService } from '../agent-link/cluster-commands.js';
import { userView, type AccountService } from '../auth/accounts.js';
import type { FocusService } from '../auth/focus.js';
import type { TokenService } from '../auth/tokens.js';
import type { DatabaseDialect } from '../db/data-source.js';
import type { AccountRow, NodeRow } from '../db/entities/index.js';
import { auditEntryView, type AuditLog } from '../domain/audit-log.js';
import { policyView, type ClusterPolicyService } from '../domain/cluster-policy.js';
import { clusterBackfillView } from '../domain/backfill.js';
import { clusterView, storageView, type ClusterService } from '../domain/clusters.js';
import { NodeStatusCache } from '../domain/node-status.js';
import type { DeviceOverviewService } from '../domain/device-overview-cache.js';
import { eventView, type EventService } from '../domain/events.js';
import { userSchema, type Token, type TokenCreate, type TokenCreated, type User, type UserCreate, type UserUpdate } from '../model/account.js';
import { auditEntrySchema, type AuditPage } from '../model/audit.js';
import type { CameraPage } from '../model/camera.js';
import { clusterSchema, type Cluster, type ClusterCreate, type ClusterPage, type ClusterState, type ClusterUpdate } from '../model/cluster.js';
import { clusterPolicySchema, type ClusterPolicyView, type PolicySettings, type PolicySettingsPatch } from '../model/cluster-policy.js';
import { clusterBackfillSchema, type BackfillCommandAccepted, type BackfillCommandRequest, type ClusterBackfill } from '../model/backfill.js';
import type { MaintenanceSet, SwitchAccepted, SwitchRequest } from '../model/command.js';
import { apiComponents } from '../model/components.js';
import { eventSchema, type EventPage } from '../model/event.js';
import type { Focus } from '../model/focus.js';
import { storageSchema, type Node, type NodeCreate, type NodeDetail, type NodeUpdate } from '../model/node.js';
import type { Readiness } from '../model/operations.js';
import { openApiDocument } from './openapi.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Answer<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;
type Input<F, I extends number> = F extends (...args: infer P) => unknown ? P[I] : never;

// A schema change the services do not follow fails `tsc` here (and in the services themselves).
const servicesUseTheModel: true[] = [
  true satisfies Equal<Answer<ClusterService['list']>, ClusterPage>,
  true satisfies Equal<Answer<ClusterService['get']>, Cluster>,
  true satisfies Equal<Input<ClusterService['create'], 0>, ClusterCreate>,
  true satisfies Equal<Input<ClusterService['update'], 1>, ClusterUpdate>,
  true satisfies Equal<Answer<ClusterService['listNodes']>, Node[]>,
  true satisfies Equal<Answer<ClusterService['getNode']>, NodeDetail>,
  true satisfies Equal<Input<ClusterService['createNode'], 1>, NodeCreate>,
  true satisfies Equal<Input<ClusterService['updateNode'], 2>, NodeUpdate>,
  true satisfies Equal<Answer<ClusterCommandService['state']>, ClusterState>,
  true satisfies Equal<Answer<ClusterCommandService['switchServing']>, SwitchAccepted>,
  true satisfies Equal<Input<ClusterCommandService['switchServing'], 1>, SwitchRequest>,
  true satisfies Equal<Answer<BackfillService['view']>, ClusterBackfill>,
  true satisfies Equal<Input<BackfillService['command'], 2>, BackfillCommandRequest>,
  true satisfies Equal<Answer<BackfillService['command']>, BackfillCommandAccepted>,
  true satisfies Equal<Answer<ClusterCommandService['setMaintenance']>, MaintenanceSet>,
  true satisfies Equal<Answer<ClusterPolicyService['get']>, ClusterPolicyView>,
  true satisfies Equal<Input<ClusterPolicyService['replace'], 1>, PolicySettings>,
  true satisfies Equal<Input<ClusterPolicyService['update'], 1>, PolicySettingsPatch>,
  true satisfies Equal<Answer<ClusterPolicyService['update']>, ClusterPolicyView>,
  true satisfies Equal<Answer<DeviceOverviewService['all']>, CameraPage>,
  true satisfies Equal<Answer<EventService['list']>, EventPage>,
  true satisfies Equal<Answer<AuditLog['list']>, AuditPage>,
  true satisfies Equal<Answer<AccountService['list']>, User[]>,
  true satisfies Equal<Input<AccountService['create'], 0>, UserCreate>,
  true satisfies Equal<Input<AccountService['update'], 1>, UserUpdate>,
  true satisfies Equal<Answer<TokenService['list']>, Token[]>,
  true satisfies Equal<Input<TokenService['create'], 1>, TokenCreate>,
  true satisfies Equal<Answer<TokenService['create']>, TokenCreated>,
  true satisfies Equal<Answer<FocusService['set']>, Focus>,
  true satisfies Equal<Readiness['database']['dialect'], DatabaseDialect>,
];

const schemas = openApiDocument.components.schemas as Record<string, unknown>;
const at = new Date('2026-11-22T10:11:12.345Z');

describe('the OpenAPI document and the model', () => {
  it('ties every service to the model types', () => {
    assert.ok(servicesUseTheModel.every(Boolean));
  });

  it('holds every registered schema as a component, and nothing else', () => {
    assert.deepEqual(Object.keys(schemas).sort(), [...apiComponents._idmap.keys()].sort());
    for (const name of ['Problem', 'Cluster', 'ClusterSummary', 'NodeState', 'Camera', 'Event', 'AuditEntry', 'Session', 'TokenCreated', 'Readiness']) assert.ok(schemas[name], name);
  });

  it('resolves every $ref', () => {
    const refs = JSON.stringify(openApiDocument).match(/"\$ref":"[^"]+"/g) ?? [];
    assert.ok(refs.length > 50);
    for (const ref of new Set(refs)) assert.ok(schemas[ref.slice('"$ref":"#/components/schemas/'.length, -1)], ref);
  });

  it('keeps the formats alone, without zod\'s own patterns for them', () => {
    const node = (schemas.Node as { properties: Record<string, object> }).properties;
    assert.deepEqual(node.id, { type: 'string', format: 'uuid' });
    assert.deepEqual(node.createdAt, { type: 'string', format: 'date-time' });
    // An integer without a 32-bit bound is int64, so that a generated C# client types it `long`.
    assert.deepEqual(node.version, { type: 'integer', minimum: 1, format: 'int64' });
    const backfill = (schemas.BackfillStatus as { properties: Record<string, { format?: string }> }).properties;
    assert.equal(backfill.bytesDone?.format, 'int64');
    const policy = JSON.stringify(schemas.ClusterPolicySettings ?? {});
    assert.ok(!/"maximum":86400,[^}]*"format":"int64"/.test(policy), 'a bounded integer stays 32-bit');
    assert.deepEqual((schemas.Event as { properties: { data: object } }).properties.data, { type: 'object', description: 'Details by kind' });
  });

  it('describes what the domain builds', () => {
    const clusterId = randomUUID();
    const node: NodeRow = { id: randomUUID(), clusterId, name: 'rec-a', role: 'primary', hostName: 'rec-a', addresses: ['10.0.0.1'], agentUrl: 'https://rec-a:7440', agentCertificateFingerprint: 'AB:'.repeat(31) + 'CD', recorderId: null, webServerUri: null, createdAt: at, updatedAt: at, version: 1 };
    const cluster = { id: clusterId, name: 'Site 1', mode: 'cloning', sharedAddress: 'rec', preferredNodeId: node.id, failbackPolicy: 'automatic', failbackHoldDownSeconds: 300, policyVersion: 2, policySettings: null, policyUpdatedAt: at, description: '', createdAt: at, updatedAt: at, version: 1 } as const;
    clusterSchema.parse(clusterView(cluster, [node]));
    clusterPolicySchema.parse(policyView(cluster, [node], new NodeStatusCache({ staleAfterMs: 1_000 })));
    const statuses = new NodeStatusCache({ staleAfterMs: 1_000 });
    const gap = { startAt: at.toISOString(), endAt: new Date(at.getTime() + 4_000).toISOString() };
    const backfill = { mode: 'enabled', state: 'running', reason: null, auditedAt: at.toISOString(), retentionMinutes: 60, completeSinceAt: gap.endAt, missingSeconds: 4, placeholderSeconds: 4, camerasAffected: 1, cameras: [{ deviceId: 'cam-1', missingSeconds: 4, placeholderSeconds: 4, completeUntilAt: gap.startAt, completeSinceAt: gap.endAt, gaps: [gap] }], bytesDone: 1, bytesTotal: 2, blocksDone: 1, blocksTotal: 2, rateBytesPerSecond: 1, etaSeconds: 1, startedAt: gap.startAt } as const;
    statuses.record(clusterId, node.id, { state: 'SECOND', epoch: 1, serving: false, cameras: [], storages: [], backfill } as unknown as Parameters<NodeStatusCache['record']>[2]);
    clusterBackfillSchema.parse(clusterBackfillView(cluster, [node], statuses, { missing: true, missingSeconds: 4, basis: 'audit' }));
    storageSchema.parse(storageView({ storageId: 's1', name: 'Local', path: 'D:\\MediaDatabase', available: true, usedSpaceBytes: 1, freeSpaceBytes: 2 }));
    eventSchema.parse(eventView({ id: randomUUID(), time: at, clusterId, nodeId: null, kind: 'node.state-changed', severity: 'info', message: 'SECOND → PRIM', data: { from: 'SECOND', to: 'PRIM' } }));
    auditEntrySchema.parse(auditEntryView({ id: randomUUID(), time: at, actor: 'admin', action: 'cluster.switch', target: `cluster/${clusterId}`, outcome: 'success', address: null }));
    auditEntrySchema.parse(auditEntryView({ id: randomUUID(), time: at, actor: 'admin', action: 'cluster.policy-changed', target: `cluster/${clusterId}/policy`, outcome: 'success', address: null, details: { fromVersion: 1, toVersion: 2, changed: ['boot'] } }));
    const account: AccountRow = { id: randomUUID(), username: 'admin', role: 'admin', passwordHash: '', passwordChangedAt: at, lastLoginAt: null, createdAt: at, updatedAt: at, version: 1 };
    userSchema.parse(userView(account));
  });
});

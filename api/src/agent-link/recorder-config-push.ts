// A protected recording server's RecorderConfig.xml, pushed by its agent (contracts/pool-v1.ts:
// POST /api/v1/agent/recorder-config), stored in pool_recorder_config: what the pool supervisor
// hands a standby to clone when it takes the server over. Only a pool's `primary` node pushes;
// the bytes must be canonical base64, match their SHA-256 and parse as a RecorderConfig.xml (the
// recorder-config-sync parser, which reads recorder/id); the node's registered recorder id, when
// it has one, must be the file's. A changed file is audited.
import type { RecorderConfigPush } from '../../../contracts/pool-v1.js';
import { parseRecorderConfig, RecorderConfigError, sha256Hex } from '../../../recorder-config-sync/index.js';
import type { Database } from '../db/database.js';
import { AuditEntryEntity, NodeEntity, PoolRecorderConfigEntity, type ClusterRow } from '../db/entities/index.js';
import { auditRow } from '../domain/audit.js';
import { conflict, notFound, problem } from '../domain/errors.js';

/**
 * The pushed file's bytes and recorder id, or a `recorder-config-invalid` problem saying why.
 *
 * @example
 *   recorderConfigOf({ xml: bytes.toString('base64'), sha256: sha256Hex(bytes) }).recorderId   // '7d3e9a10-…'
 */
export function recorderConfigOf(pushed: RecorderConfigPush['recorderConfig']): { readonly recorderId: string; readonly sha256: string } {
  const bytes = Buffer.from(pushed.xml, 'base64');
  // Node's decoder skips characters it does not know; only a round trip proves the text was base64.
  if (bytes.length === 0 || bytes.toString('base64') !== pushed.xml) throw problem('recorder-config-invalid', 'recorderConfig.xml is not canonical base64');
  const sha256 = sha256Hex(bytes);
  if (sha256 !== pushed.sha256) throw problem('recorder-config-invalid', `recorderConfig's bytes have SHA-256 ${sha256}, not the announced ${pushed.sha256}`);
  try {
    return { recorderId: parseRecorderConfig(bytes).info.recorderId.replace(/^\{|\}$/g, '').toLowerCase(), sha256 };
  } catch (err) {
    if (err instanceof RecorderConfigError) throw problem('recorder-config-invalid', `recorderConfig is not a valid RecorderConfig.xml: ${err.message}`.slice(0, 1024));
    throw err;
  }
}

/**
 * Stores a push for `cluster`, the one its secret authenticated (AgentLinkService.storeRecorderConfig checks the push names it).
 *
 * @example
 *   await storeRecorderConfigPush(db, cluster, recorderConfigPushSchema.parse(body), address);
 */
export async function storeRecorderConfigPush(db: Database, cluster: ClusterRow, push: RecorderConfigPush, address: string | null): Promise<void> {
  const { recorderId, sha256 } = recorderConfigOf(push.recorderConfig);
  await db.dataSource.transaction(async (m) => {
    const node = await m.findOne(NodeEntity, { where: { id: push.nodeId, clusterId: cluster.id } });
    // Unknown: its agent registers again (the database was recreated), as a report's 404 says.
    if (node === null) throw notFound('node', push.nodeId);
    if (cluster.mode !== 'pool' || node.role !== 'primary') throw conflict('pool-not-protected-server', `${node.name} is ${cluster.mode === 'pool' ? "this pool's standby" : "a cloned pair's node"}: only a failover pool's protected recording server pushes its RecorderConfig.xml`);
    if (node.recorderId !== null && node.recorderId.toLowerCase() !== recorderId) throw conflict('recorder-identity-mismatch', `the pushed RecorderConfig.xml has recorder id ${recorderId}, not ${node.recorderId.toLowerCase()}, the one ${node.name} registered: register again with this file`);
    const before = await m.findOne(PoolRecorderConfigEntity, { select: { sha256: true }, where: { nodeId: node.id } });
    const row = { nodeId: node.id, clusterId: cluster.id, recorderId, xml: push.recorderConfig.xml, sha256, receivedAt: new Date() };
    if (before === null) await m.insert(PoolRecorderConfigEntity, row);
    else await m.update(PoolRecorderConfigEntity, { nodeId: node.id }, row);
    if (before?.sha256 !== sha256) await m.insert(AuditEntryEntity, auditRow({ name: `agent:${node.name}`, address }, 'pool.recorder-config-received', `cluster/${cluster.id}/node/${node.id}`, 'success', { sha256, previousSha256: before?.sha256 ?? null, recorderId }));
  });
}

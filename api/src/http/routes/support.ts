// /api/v1/support/snapshot: the support snapshot zip (api/src/support/snapshot.ts), for admins,
// audited before it is sent. Streamed: the zip is written as it is made.
import { Router } from 'express';
import { AuditEntryEntity } from '../../db/entities/index.js';
import { auditRow } from '../../domain/audit.js';
import { buildSupportSnapshot, snapshotFileName, type SupportSnapshotSources } from '../../support/snapshot.js';
import { actorOf } from './clusters.js';

export function supportRoutes(sources: SupportSnapshotSources): Router {
  const router = Router();

  router.get('/support/snapshot', async (req, res) => {
    const nowMs = Date.now();
    const { manifest, zip } = await buildSupportSnapshot(sources, nowMs);
    // On record before a byte leaves: a snapshot holds configurations and logs. No entry, no snapshot.
    const collected = manifest.agents.filter((a) => a.outcome === 'collected').length;
    await sources.db.dataSource.getRepository(AuditEntryEntity).insert(auditRow(actorOf(req), 'support.snapshot', 'controller', 'success', { files: manifest.files.length, agentsCollected: collected, agentsUnreachable: manifest.agents.length - collected }));
    res.set('content-disposition', `attachment; filename="${snapshotFileName(nowMs)}"`);
    res.set('x-twinrec-snapshot-files', String(manifest.files.length));
    res.type('application/zip');
    zip.on('error', (err: Error) => res.destroy(err));
    zip.pipe(res);
  });

  return router;
}

// A failover pool's model: the pool at a glance, failover groups, protected servers' failover
// settings, standbys' capacity and per-camera failover levels. Bodies and parameters were
// validated against the OpenAPI document (which names each operation's role), so handlers only
// translate between HTTP and PoolModelService.
import { Router, type Request } from 'express';
import { etagOf } from '../../domain/cluster-rows.js';
import type { PoolModelService } from '../../domain/pool-model.js';
import type { CameraFailoverLevelsUpdate, FailoverGroupCreate, FailoverGroupStandbys, FailoverGroupUpdate, PoolStandbyUpdate, ProtectedServerFailoverUpdate } from '../../model/pool.js';
import { actorOf } from '../auth.js';

const ifMatchOf = (req: Request): string | undefined => req.get('if-match') ?? undefined;
const param = (req: Request, name: string): string => String(req.params[name]);

export function poolRoutes(pools: PoolModelService): Router {
  const router = Router();
  const groupPath = '/clusters/:clusterId/failover-groups/:groupId';

  router.get('/clusters/:clusterId/pool', async (req, res) => {
    res.json(await pools.get(param(req, 'clusterId')));
  });

  router.post('/clusters/:clusterId/failover-groups', async (req, res) => {
    const clusterId = param(req, 'clusterId');
    const group = await pools.createGroup(clusterId, req.body as FailoverGroupCreate, actorOf(req));
    res.status(201).location(`${req.baseUrl}/clusters/${clusterId}/failover-groups/${group.id}`).set('ETag', etagOf(group.version)).json(group);
  });

  router.get(groupPath, async (req, res) => {
    const group = await pools.getGroup(param(req, 'clusterId'), param(req, 'groupId'));
    res.set('ETag', etagOf(group.version)).json(group);
  });

  router.patch(groupPath, async (req, res) => {
    const group = await pools.updateGroup(param(req, 'clusterId'), param(req, 'groupId'), req.body as FailoverGroupUpdate, ifMatchOf(req), actorOf(req));
    res.set('ETag', etagOf(group.version)).json(group);
  });

  router.delete(groupPath, async (req, res) => {
    await pools.deleteGroup(param(req, 'clusterId'), param(req, 'groupId'), ifMatchOf(req), actorOf(req));
    res.status(204).end();
  });

  router.put(`${groupPath}/standbys`, async (req, res) => {
    const group = await pools.setGroupStandbys(param(req, 'clusterId'), param(req, 'groupId'), req.body as FailoverGroupStandbys, actorOf(req));
    res.set('ETag', etagOf(group.version)).json(group);
  });

  router.put('/clusters/:clusterId/nodes/:nodeId/failover', async (req, res) => {
    res.json(await pools.setFailover(param(req, 'clusterId'), param(req, 'nodeId'), req.body as ProtectedServerFailoverUpdate, actorOf(req)));
  });

  router.put('/clusters/:clusterId/nodes/:nodeId/standby', async (req, res) => {
    res.json(await pools.setStandby(param(req, 'clusterId'), param(req, 'nodeId'), req.body as PoolStandbyUpdate, actorOf(req)));
  });

  router.get('/clusters/:clusterId/nodes/:nodeId/camera-levels', async (req, res) => {
    res.json(await pools.cameraLevels(param(req, 'clusterId'), param(req, 'nodeId')));
  });

  router.put('/clusters/:clusterId/nodes/:nodeId/camera-levels', async (req, res) => {
    res.json(await pools.setCameraLevels(param(req, 'clusterId'), param(req, 'nodeId'), req.body as CameraFailoverLevelsUpdate, actorOf(req)));
  });

  return router;
}

// /api/v1/clusters and their nodes. Bodies and parameters were already validated against the
// OpenAPI document, so handlers only translate between HTTP and ClusterService.
import { Router, type Request } from 'express';
import { etagOf, type Actor, type ClusterService } from '../../domain/clusters.js';
import type { AgentSecretRequest, ClusterCreate, ClusterUpdate } from '../../model/cluster.js';
import type { NodeCreate, NodeUpdate } from '../../model/node.js';
import { actorOf as authenticatedActor } from '../auth.js';

/** Every change is audited under the signed-in account (or the token's owner) and the request's address. */
export function actorOf(req: Request): Actor {
  return authenticatedActor(req);
}

const ifMatchOf = (req: Request): string | undefined => req.get('if-match') ?? undefined;
const param = (req: Request, name: string): string => String(req.params[name]);

export function clusterRoutes(clusters: ClusterService): Router {
  const router = Router();

  router.get('/clusters', async (req, res) => {
    const limit = Number(req.query.limit ?? 100);
    const offset = Number(req.query.offset ?? 0);
    const name = typeof req.query.q === 'string' && req.query.q !== '' ? req.query.q : undefined;
    res.json(await clusters.list({ limit, offset, name }));
  });

  router.post('/clusters', async (req, res) => {
    const cluster = await clusters.create(req.body as ClusterCreate, actorOf(req));
    res.status(201).location(`${req.baseUrl}/clusters/${cluster.id}`).set('ETag', etagOf(cluster.version)).json(cluster);
  });

  router.get('/clusters/:clusterId', async (req, res) => {
    const cluster = await clusters.get(param(req, 'clusterId'));
    res.set('ETag', etagOf(cluster.version)).json(cluster);
  });

  router.patch('/clusters/:clusterId', async (req, res) => {
    const cluster = await clusters.update(param(req, 'clusterId'), req.body as ClusterUpdate, ifMatchOf(req), actorOf(req));
    res.set('ETag', etagOf(cluster.version)).json(cluster);
  });

  router.delete('/clusters/:clusterId', async (req, res) => {
    await clusters.remove(param(req, 'clusterId'), ifMatchOf(req), actorOf(req));
    res.status(204).end();
  });

  // The answer may carry a generated secret: never cached, never stored by a proxy.
  router.put('/clusters/:clusterId/agent-secret', async (req, res) => {
    const answer = await clusters.setAgentSecret(param(req, 'clusterId'), req.body as AgentSecretRequest, actorOf(req));
    res.set('Cache-Control', 'no-store').json(answer);
  });

  router.get('/clusters/:clusterId/nodes', async (req, res) => {
    res.json({ items: await clusters.listNodes(param(req, 'clusterId')) });
  });

  router.post('/clusters/:clusterId/nodes', async (req, res) => {
    const clusterId = param(req, 'clusterId');
    const node = await clusters.createNode(clusterId, req.body as NodeCreate, actorOf(req));
    res.status(201).location(`${req.baseUrl}/clusters/${clusterId}/nodes/${node.id}`).set('ETag', etagOf(node.version)).json(node);
  });

  router.get('/clusters/:clusterId/nodes/:nodeId', async (req, res) => {
    const node = await clusters.getNode(param(req, 'clusterId'), param(req, 'nodeId'));
    res.set('ETag', etagOf(node.version)).json(node);
  });

  router.patch('/clusters/:clusterId/nodes/:nodeId', async (req, res) => {
    const node = await clusters.updateNode(param(req, 'clusterId'), param(req, 'nodeId'), req.body as NodeUpdate, ifMatchOf(req), actorOf(req));
    res.set('ETag', etagOf(node.version)).json(node);
  });

  router.delete('/clusters/:clusterId/nodes/:nodeId', async (req, res) => {
    await clusters.removeNode(param(req, 'clusterId'), param(req, 'nodeId'), ifMatchOf(req), actorOf(req));
    res.status(204).end();
  });

  return router;
}

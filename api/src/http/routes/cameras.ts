// /api/v1/cameras and /api/v1/clusters/{id}/cameras: the Device Overview. Parameters were
// validated against the OpenAPI document; express hands them on as strings.
import { Router, type Request } from 'express';
import type { DeviceOverviewService } from '../../domain/device-overview-cache.js';
import type { CameraQuery, CameraSort } from '../../domain/device-overview.js';
import { queryText } from './query.js';

export function cameraRoutes(overview: DeviceOverviewService): Router {
  const router = Router();

  router.get('/cameras', async (req, res) => {
    res.json(await overview.all(cameraQueryOf(req)));
  });

  router.get('/clusters/:clusterId/cameras', async (req, res) => {
    res.json(await overview.cluster(String(req.params.clusterId), cameraQueryOf(req)));
  });

  return router;
}

function cameraQueryOf(req: Request): CameraQuery {
  return {
    problemsOnly: queryText(req, 'problems') === 'true',
    q: queryText(req, 'q'),
    clusterId: queryText(req, 'clusterId'),
    sort: (queryText(req, 'sort') ?? 'name') as CameraSort,
    limit: Number(queryText(req, 'limit') ?? 100),
    offset: Number(queryText(req, 'offset') ?? 0),
  };
}

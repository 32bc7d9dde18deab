// /api/v1/cameras and /api/v1/clusters/{id}/cameras: the Device Overview. Parameters were
// validated against the OpenAPI document; express hands them on as strings.
import { Router, type Request, type Response } from 'express';
import type { DeviceOverviewService } from '../../domain/device-overview-cache.js';
import type { CameraQuery, CameraSort } from '../../domain/device-overview.js';
import { queryText } from './query.js';

export function cameraRoutes(overview: DeviceOverviewService, options: { readonly validateResponses: boolean }): Router {
  const router = Router();
  // Pages are sent as prepared JSON bytes. The response validator only sees res.json(), so when
  // it is on (tests) the same bytes are parsed and handed to it: what is checked is what is sent.
  const send = (res: Response, json: Buffer): void => {
    if (options.validateResponses) res.json(JSON.parse(json.toString('utf8')));
    else res.type('application/json').send(json);
  };

  router.get('/cameras', async (req, res) => {
    send(res, await overview.allJson(cameraQueryOf(req)));
  });

  router.get('/clusters/:clusterId/cameras', async (req, res) => {
    send(res, await overview.clusterJson(String(req.params.clusterId), cameraQueryOf(req)));
  });

  return router;
}

function cameraQueryOf(req: Request): CameraQuery {
  return cameraQueryFrom((name) => queryText(req, name));
}

/** The Device Overview's query from its validated parameters, each read as text (undefined when absent); the direct path reads them too (overview-direct.ts). */
export function cameraQueryFrom(read: (name: string) => string | undefined): CameraQuery {
  return {
    problemsOnly: read('problems') === 'true',
    q: read('q'),
    clusterId: read('clusterId'),
    sort: (read('sort') ?? 'name') as CameraSort,
    limit: Number(read('limit') ?? 100),
    offset: Number(read('offset') ?? 0),
  };
}

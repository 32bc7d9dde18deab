// /api/v1/clusters/{id}/policy: the cluster policy, read by viewers and set by admins, whole
// (PUT) or in part (PATCH). Bodies were validated against the OpenAPI document, after
// clusterPolicyBodyChecks listed every issue it could; the settings as a whole, with the
// cluster's nodes, are checked by ClusterPolicyService.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { policyEtagOf, type ClusterPolicyService } from '../../domain/cluster-policy.js';
import { policyBodyIssues } from '../../domain/cluster-policy-rules.js';
import { validationFailed } from '../../domain/errors.js';
import type { ClusterPolicyView, PolicySettings, PolicySettingsPatch } from '../../model/cluster-policy.js';
import { actorOf } from './clusters.js';

const param = (req: Request, name: string): string => String(req.params[name]);
const ifMatchOf = (req: Request): string | undefined => req.get('if-match') ?? undefined;

export function clusterPolicyRoutes(policies: ClusterPolicyService): Router {
  const router = Router();
  const send = (res: Response, policy: ClusterPolicyView): void => {
    res.set('ETag', policyEtagOf(policy.version)).json(policy);
  };

  router.get('/clusters/:clusterId/policy', async (req, res) => {
    send(res, await policies.get(param(req, 'clusterId')));
  });

  router.put('/clusters/:clusterId/policy', async (req, res) => {
    send(res, await policies.replace(param(req, 'clusterId'), req.body as PolicySettings, ifMatchOf(req), actorOf(req)));
  });

  router.patch('/clusters/:clusterId/policy', async (req, res) => {
    send(res, await policies.update(param(req, 'clusterId'), req.body as PolicySettingsPatch, ifMatchOf(req), actorOf(req)));
  });

  return router;
}

/**
 * Runs before the OpenAPI validator, which stops at a body's first issue: a policy body with
 * issues is refused with all of them (400 validation-failed), the settings' fit included. A
 * request without a JSON body is left to the validator (400 or 415 as for any operation).
 */
export function clusterPolicyBodyChecks(): Router {
  const router = Router();
  const check =
    (kind: 'whole' | 'patch'): RequestHandler =>
    (req, _res, next) => {
      const issues = req.body === undefined ? [] : policyBodyIssues(req.body, kind);
      next(issues.length === 0 ? undefined : validationFailed(issues));
    };
  router.put('/clusters/:clusterId/policy', check('whole'));
  router.patch('/clusters/:clusterId/policy', check('patch'));
  return router;
}

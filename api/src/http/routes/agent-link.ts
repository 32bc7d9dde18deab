// /api/v1/agent: what agents call (contracts/controller-v1.ts). Authenticated with the
// cluster secret as a Bearer token, checked before the body is: the cluster is named in the
// raw JSON (a cheap look, no validation), so a caller without the secret costs a lookup and a
// hash, never a walk of megabytes. Bodies are then checked against cheap shape bounds and the
// protocol's zod schemas, which the OpenAPI document only names, so that agents and controller
// share one definition.
import { Router, type Request } from 'express';
import type { z } from 'zod';
import { bearerToken } from '../../../../shared/secret.js';
import { peerReportHeader, registerRequestSchema } from '../../../../contracts/controller-v1.js';
import { recorderConfigPushSchema } from '../../../../contracts/pool-v1.js';
import type { AgentLinkService } from '../../agent-link/agent-link.js';
import { CheckedCameras, parseChecked, parseReport } from '../../agent-link/report-body.js';
import { agentRegistrationSchema, agentReportAnswerSchema } from '../../model/agent-link.js';
import { addressPattern, hostNamePattern } from '../../model/vocabulary.js';

export { agentIssuesListedMax } from '../../agent-link/report-body.js';

/** Registration, held to what the REST API accepts for the cluster and node it creates. */
const registration = registerRequestSchema.superRefine((body, ctx) => {
  if (!new RegExp(hostNamePattern).test(body.node.hostName)) ctx.addIssue({ code: 'custom', path: ['node', 'hostName'], message: 'must be a DNS host name' });
  if (!new RegExp(addressPattern).test(body.cluster.sharedAddress)) ctx.addIssue({ code: 'custom', path: ['cluster', 'sharedAddress'], message: 'must be a host name or IP address, optionally with :port' });
});

export interface AgentLinkRouteOptions {
  /**
   * Hold every answer to the document's schema before it is sent (http.validateResponses, on in
   * tests): the agents' calls are answered ahead of the OpenAPI validator (agent-calls.ts), so
   * they are checked here, against the schemas the document names. A mismatch is a 500.
   */
  readonly checkAnswers?: boolean;
}

export function agentLinkRoutes(agents: AgentLinkService, options: AgentLinkRouteOptions = {}): Router {
  const router = Router();
  const answer = <T>(schema: z.ZodType<T>, value: T): T => (options.checkAnswers === true ? checkedAnswer(schema, value) : value);
  // Each node's last accepted cameras: a report's unchanged cameras skip zod (report-body.ts).
  const checked = new CheckedCameras();

  router.post('/agent/register', async (req, res) => {
    const secret = secretOf(req);
    const raw = req.body as unknown;
    await agents.authenticateRegistration(stringAt(raw, 'cluster', 'name'), stringAt(raw, 'node', 'name'), secret, req.ip ?? null);
    const body = parseChecked(registration, raw, []);
    // The checked secret: authenticateRegistration refused a null one.
    res.json(answer(agentRegistrationSchema, await agents.register(body, secret ?? '', req.ip ?? null)));
  });

  router.post('/agent/report', async (req, res) => {
    const raw = req.body as unknown;
    const cluster = await agents.authenticateReport(stringAt(raw, 'clusterId'), secretOf(req));
    const body = parseReport(raw, checked);
    res.json(answer(agentReportAnswerSchema, await agents.report(body, cluster, { peerReport: req.get(peerReportHeader) === '1' })));
  });

  // A pool's protected recording server pushes its RecorderConfig.xml (contracts/pool-v1.ts), authenticated as a report is.
  router.post('/agent/recorder-config', async (req, res) => {
    const raw = req.body as unknown;
    const cluster = await agents.authenticateReport(stringAt(raw, 'clusterId'), secretOf(req));
    await agents.storeRecorderConfig(parseChecked(recorderConfigPushSchema, raw, []), cluster, req.ip ?? null);
    res.status(204).end();
  });

  return router;
}

/** `value` when `schema` takes it as it is; else an error (a 500 from the error handler) that names the mismatch. */
function checkedAnswer<T>(schema: z.ZodType<T>, value: T): T {
  const checked = schema.safeParse(value);
  if (!checked.success) throw new Error(`the answer does not match the API schema: ${checked.error.issues.map((i) => `/${i.path.join('/')} ${i.message}`).join('; ')}`);
  return value;
}

function secretOf(req: Request): string | null {
  return bearerToken(req.get('authorization'));
}

/** The string at `keys` in a parsed but unchecked body, else null. */
function stringAt(body: unknown, ...keys: string[]): string | null {
  let node = body;
  for (const key of keys) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return null;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'string' ? node : null;
}

// /api/v1/agent: what agents call (contracts/controller-v1.ts). Authenticated with the
// cluster secret as a Bearer token, checked before the body is: the cluster is named in the
// raw JSON (a cheap look, no validation), so a caller without the secret costs a lookup and a
// hash, never a walk of megabytes. Bodies are then checked against cheap shape bounds and the
// protocol's zod schemas, which the OpenAPI document only names, so that agents and controller
// share one definition.
import type { IncomingHttpHeaders } from 'node:http';
import { Router, type Request } from 'express';
import type { z } from 'zod';
import { bearerToken } from '../../../../shared/secret.js';
import { peerReportHeader, registerRequestSchema, type ReportResponse } from '../../../../contracts/controller-v1.js';
import { recorderConfigPushSchema } from '../../../../contracts/pool-v1.js';
import type { AgentLinkService } from '../../agent-link/agent-link.js';
import { CheckedCameras, parseChecked, parseReport } from '../../agent-link/report-body.js';
import { agentRegistrationSchema, agentReportAnswerSchema } from '../../model/agent-link.js';
import { addressPattern, hostNamePattern } from '../../model/vocabulary.js';
import { checkedAnswer } from '../checked-answer.js';

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
  /** Each node's last accepted cameras, shared with the direct report path (agent-report-direct.ts). */
  readonly checked?: CheckedCameras;
}

export function agentLinkRoutes(agents: AgentLinkService, options: AgentLinkRouteOptions = {}): Router {
  const router = Router();
  const answer = <T>(schema: z.ZodType<T>, value: T): T => (options.checkAnswers === true ? checkedAnswer(schema, value) : value);
  // Each node's last accepted cameras: a report's unchanged cameras skip zod (report-body.ts).
  const checked = options.checked ?? new CheckedCameras();

  router.post('/agent/register', async (req, res) => {
    const secret = secretOf(req);
    const raw = req.body as unknown;
    await agents.authenticateRegistration(stringAt(raw, 'cluster', 'name'), stringAt(raw, 'node', 'name'), secret, req.ip ?? null);
    const body = parseChecked(registration, raw, []);
    // The checked secret: authenticateRegistration refused a null one.
    res.json(answer(agentRegistrationSchema, await agents.register(body, secret ?? '', req.ip ?? null)));
  });

  // Most reports take the direct path (agent-report-direct.ts); this one answers the rest (a query string, another encoding).
  router.post('/agent/report', async (req, res) => {
    res.json(await reportAnswer(agents, checked, req.body as unknown, req.headers, options.checkAnswers === true));
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

/**
 * The answer to a report whose body is `raw` (parsed JSON, unchecked): the secret is checked
 * for the cluster it names before the body is (a caller without it costs a lookup and a hash).
 */
export async function reportAnswer(agents: AgentLinkService, checked: CheckedCameras, raw: unknown, headers: IncomingHttpHeaders, checkAnswers: boolean): Promise<ReportResponse> {
  const cluster = await agents.authenticateReport(stringAt(raw, 'clusterId'), bearerToken(headers.authorization));
  const body = parseReport(raw, checked);
  const answer = await agents.report(body, cluster, { peerReport: headers[peerReportHeader] === '1' });
  return checkAnswers ? checkedAnswer(agentReportAnswerSchema, answer) : answer;
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

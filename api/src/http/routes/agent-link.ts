// /api/v1/agent: what agents call (contracts/controller-v1.ts). Authenticated with the
// cluster secret as a Bearer token; bodies are checked against the protocol's zod schemas,
// which the OpenAPI document only names, so that agents and controller share one definition.
import { Router, type Request } from 'express';
import type { z } from 'zod';
import { bearerToken } from '../../../../shared/secret.js';
import { registerRequestSchema, reportRequestSchema } from '../../../../contracts/controller-v1.js';
import type { AgentLinkService } from '../../agent-link/agent-link.js';
import { unauthorized, validationFailed } from '../../domain/errors.js';
import { addressPattern, hostNamePattern } from '../../model/vocabulary.js';

/** Registration, held to what the REST API accepts for the cluster and node it creates. */
const registration = registerRequestSchema.superRefine((body, ctx) => {
  if (!new RegExp(hostNamePattern).test(body.node.hostName)) ctx.addIssue({ code: 'custom', path: ['node', 'hostName'], message: 'must be a DNS host name' });
  if (!new RegExp(addressPattern).test(body.cluster.sharedAddress)) ctx.addIssue({ code: 'custom', path: ['cluster', 'sharedAddress'], message: 'must be a host name or IP address, optionally with :port' });
});

export function agentLinkRoutes(agents: AgentLinkService): Router {
  const router = Router();

  router.post('/agent/register', async (req, res) => {
    const secret = secretOf(req);
    const body = parse(registration, req.body);
    res.json(await agents.register(body, secret, req.ip ?? null));
  });

  router.post('/agent/report', async (req, res) => {
    const secret = secretOf(req);
    const body = parse(reportRequestSchema, req.body);
    res.json(await agents.report(body, secret));
  });

  return router;
}

function secretOf(req: Request): string {
  const token = bearerToken(req.get('authorization'));
  if (token === null) throw unauthorized('send the cluster secret as Authorization: Bearer <secret>');
  return token;
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw validationFailed(parsed.error.issues.slice(0, 50).map((issue) => ({ path: `/body${issue.path.map((p) => `/${String(p)}`).join('')}`, message: issue.message })));
}

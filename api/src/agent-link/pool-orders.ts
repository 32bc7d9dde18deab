// The pool supervisor's orders to agents (contracts/pool-v1.ts): takeover, release,
// hot-standby and become-protected to a standby's agent, resume to a protected server's agent. The same rules as every call to an
// agent (agent-client.ts): the cluster secret only over pinned HTTPS or loopback HTTP, no
// redirects, answers bounded in time and size and checked against the contract, no raw answer
// or secret in any message. Each function never throws.
import { pinnedFetch } from '../../../shared/tls/pinned-fetch.js';
import { readBodyBounded } from '../../../shared/http-body.js';
import { poolProtectedStatusSchema, poolStandbyStatusSchema, type PoolBecomeProtectedRequest, type PoolHotStandbyRequest, type PoolProtectedStatus, type PoolReleaseRequest, type PoolResumeRequest, type PoolStandbyStatus, type PoolTakeoverRequest } from '../../../contracts/pool-v1.js';
import { agentEndpoint, agentResponseMaxBytes, failureDetail, parseJson, statusHint } from './agent-client.js';

export type PoolOrderOutcome<T> =
  | { readonly kind: 'done'; readonly status: T }
  /** 409 (or 400 for a configuration it will not apply): the agent will not do it; `type` is the problem's type. */
  | { readonly kind: 'refused'; readonly type: string | null; readonly detail: string }
  | { readonly kind: 'unreachable'; readonly detail: string };

export interface PoolOrderTarget {
  readonly agentUrl: string;
  /** The agent API certificate's SHA-256 fingerprint, as registered: required for https. */
  readonly certificateFingerprint: string | null;
  readonly secret: string;
  readonly timeoutMs: number;
}

/** A takeover or hot-standby order carries RecorderConfig.xml (up to 8 MiB as base64), the answer is a status: small. */
async function post<T>(target: PoolOrderTarget, path: string, body: unknown, parse: (value: unknown) => T | null): Promise<PoolOrderOutcome<T>> {
  const endpoint = agentEndpoint(target.agentUrl, path, target.certificateFingerprint);
  if ('refused' in endpoint) return { kind: 'unreachable', detail: endpoint.refused };
  const { url, where } = endpoint;
  const signal = AbortSignal.timeout(target.timeoutMs);
  try {
    const res = await pinnedFetch(url, target.certificateFingerprint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, application/problem+json', authorization: `Bearer ${target.secret}` },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal,
    });
    if (res.status !== 202 && res.status !== 409 && res.status !== 400) {
      await res.body?.cancel().catch(() => {});
      return { kind: 'unreachable', detail: `${where} answered HTTP ${res.status}${statusHint(res.status)}` };
    }
    const text = await readBodyBounded(res, agentResponseMaxBytes);
    if (text === null) return { kind: 'unreachable', detail: `${where} sent an answer larger than ${agentResponseMaxBytes} bytes` };
    const answer = parseJson(text);
    if (res.status !== 202) {
      const problem = typeof answer === 'object' && answer !== null ? (answer as { type?: unknown; detail?: unknown }) : {};
      const type = typeof problem.type === 'string' && /^urn:twinrec:problem:[a-z0-9-]{1,64}$/.test(problem.type) ? problem.type : null;
      const said = typeof problem.detail === 'string' ? problem.detail.replace(/[^\x20-\x7e]/g, ' ').slice(0, 300) : '';
      return { kind: 'refused', type, detail: `${where} refused${type === null ? '' : ` (${type})`}${said === '' ? '' : `: ${said}`}` };
    }
    const status = parse(answer);
    return status === null ? { kind: 'unreachable', detail: `${where} sent an answer that is not a pool status` } : { kind: 'done', status };
  } catch (err) {
    return { kind: 'unreachable', detail: failureDetail(err, where, signal, target.timeoutMs) };
  }
}

const standbyStatus = (value: unknown): PoolStandbyStatus | null => poolStandbyStatusSchema.safeParse(value).data ?? null;
const protectedStatus = (value: unknown): PoolProtectedStatus | null => poolProtectedStatusSchema.safeParse(value).data ?? null;

/** POST /api/v1/pool/takeover on a standby's agent. */
export function sendTakeover(target: PoolOrderTarget, request: PoolTakeoverRequest): Promise<PoolOrderOutcome<PoolStandbyStatus>> {
  return post(target, '/api/v1/pool/takeover', request, standbyStatus);
}

/** POST /api/v1/pool/release on a standby's agent. */
export function sendRelease(target: PoolOrderTarget, request: PoolReleaseRequest): Promise<PoolOrderOutcome<PoolStandbyStatus>> {
  return post(target, '/api/v1/pool/release', request, standbyStatus);
}

/** POST /api/v1/pool/hot-standby on a standby's agent. */
export function sendHotStandby(target: PoolOrderTarget, request: PoolHotStandbyRequest): Promise<PoolOrderOutcome<PoolStandbyStatus>> {
  return post(target, '/api/v1/pool/hot-standby', request, standbyStatus);
}

/** POST /api/v1/pool/become-protected on a standby's agent (a replacement: it becomes the protected server). */
export function sendBecomeProtected(target: PoolOrderTarget, request: PoolBecomeProtectedRequest): Promise<PoolOrderOutcome<PoolStandbyStatus>> {
  return post(target, '/api/v1/pool/become-protected', request, standbyStatus);
}

/** POST /api/v1/pool/resume on a protected server's agent. */
export function sendResume(target: PoolOrderTarget, request: PoolResumeRequest): Promise<PoolOrderOutcome<PoolProtectedStatus>> {
  return post(target, '/api/v1/pool/resume', request, protectedStatus);
}

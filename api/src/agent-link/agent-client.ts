// Relays an operator command to a node's agent: `POST {agentUrl}/api/v1/commands` of
// agent-api-v1, with the cluster secret as Bearer token. The agent is trusted with the secret
// but its answer is not trusted with anything: redirects are never followed (a redirect could
// carry the secret elsewhere), the answer is bounded in time and size and parsed against the
// protocol's schema, and no error message ever includes the secret or the agent's raw answer.
// The secret goes only over HTTPS to the certificate the agent registered (its fingerprint is
// pinned: the connection is dropped before a byte is sent to any other), or over plain HTTP on
// loopback (the demo); never in clear across a network.
import { isLoopbackHost } from '../../../shared/tls/loopback.js';
import { pinnedFetch } from '../../../shared/tls/pinned-fetch.js';
import {
  agentSupportSnapshotSchema,
  commandResultSchema,
  type AgentSupportSnapshot,
  refusalReasons,
  type CommandRequest,
  type CommandResult,
  type RefusalReason,
} from '../../../contracts/agent-api-v1.js';
import { readBodyBounded } from '../../../shared/http-body.js';

/** Largest answer read from an agent; a command result is a few hundred bytes. */
export const agentResponseMaxBytes = 64 * 1024;

export type AgentCommandOutcome =
  | { readonly kind: 'done'; readonly result: CommandResult }
  /** The agent answered 409: it will not do it now. `reason` is null if it gave none we know. */
  | { readonly kind: 'refused'; readonly reason: RefusalReason | null; readonly detail: string }
  /** No usable answer: refused connection, timeout, redirect, wrong secret, oversized or invalid answer. */
  | { readonly kind: 'unreachable'; readonly detail: string };

export interface AgentCommandOptions {
  readonly timeoutMs: number;
  /** The agent API certificate's SHA-256 fingerprint, as the agent registered it: required for an https agentUrl. */
  readonly certificateFingerprint: string | null;
  readonly maxResponseBytes?: number;
}

/** The agent's URL for `path`, or why the cluster secret must not be sent there (pool-orders.ts uses it too). */
export function agentEndpoint(agentUrl: string, path: string, pin: string | null): { readonly url: URL; readonly where: string } | { readonly refused: string } {
  let url: URL;
  try {
    url = new URL(`${agentUrl.replace(/\/+$/, '')}${path}`);
  } catch {
    return { refused: 'the agent URL is not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { refused: 'the agent URL is not http or https' };
  // Credentials in the URL would be sent along and show up in messages: refuse them.
  if (url.username !== '' || url.password !== '') return { refused: 'the agent URL must not contain credentials' };
  const where = `the agent at ${url.origin}`;
  if (url.protocol === 'https:' && pin === null) return { refused: `${where} has registered no certificate fingerprint to pin: the cluster secret is not sent to an unverified server (restart the agent so that it registers again)` };
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return { refused: `${where} speaks plain HTTP beyond loopback: the cluster secret would cross the network in clear (turn on the agent's api.tls; it then registers its https URL and certificate)` };
  return { url, where };
}

/** Why a request to an agent got no answer, in words that never quote a header or the secret. */
export function failureDetail(err: unknown, where: string, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `${where} did not answer within ${timeoutMs} ms`;
  const code = causeCode(err);
  if (code === 'CERT_PIN_MISMATCH') return `${where} showed another certificate than the one it registered: nothing was sent (a rebuilt agent registers its new certificate when it starts)`;
  return `${where} cannot be reached (${code})`;
}

/**
 * Sends one command and classifies the answer. Never throws.
 *
 * @example
 *   const outcome = await sendAgentCommand('https://rec-a:8741', secret, { command: 'switch', actor: 'admin' }, { timeoutMs: 10_000, certificateFingerprint: node.agentCertificateFingerprint });
 *   if (outcome.kind === 'done') outcome.result.handover // { to: 'rec-b', expectedEpoch: 7 }
 */
export async function sendAgentCommand(agentUrl: string, secret: string, command: CommandRequest, options: AgentCommandOptions): Promise<AgentCommandOutcome> {
  const endpoint = agentEndpoint(agentUrl, '/api/v1/commands', options.certificateFingerprint);
  if ('refused' in endpoint) return { kind: 'unreachable', detail: endpoint.refused };
  const { url, where } = endpoint;
  const pin = options.certificateFingerprint;
  const maxBytes = options.maxResponseBytes ?? agentResponseMaxBytes;
  const signal = AbortSignal.timeout(options.timeoutMs);

  try {
    const res = await pinnedFetch(url, pin, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, application/problem+json', authorization: `Bearer ${secret}` },
      body: JSON.stringify(command),
      redirect: 'manual',
      signal,
    });
    if (res.status !== 200 && res.status !== 409) {
      await res.body?.cancel().catch(() => {});
      return { kind: 'unreachable', detail: `${where} answered HTTP ${res.status}${statusHint(res.status)}` };
    }
    const text = await readBodyBounded(res, maxBytes);
    if (text === null) return { kind: 'unreachable', detail: `${where} sent an answer larger than ${maxBytes} bytes` };
    const body = parseJson(text);
    if (res.status === 409) return refusal(body, where);
    const parsed = commandResultSchema.safeParse(body);
    if (!parsed.success) return { kind: 'unreachable', detail: `${where} sent an answer that is not a command result` };
    if (parsed.data.command !== command.command) return { kind: 'unreachable', detail: `${where} answered for command ${parsed.data.command}, not ${command.command}` };
    return { kind: 'done', result: parsed.data };
  } catch (err) {
    return { kind: 'unreachable', detail: failureDetail(err, where, signal, options.timeoutMs) };
  }
}

/** A support snapshot is bigger than a command result: its log lines (contracts/agent-api-v1.ts). */
export const agentSnapshotMaxBytes = 16 * 1024 * 1024;

/**
 * The agent's part of a support snapshot (`GET /api/v1/support/snapshot`), checked against the
 * contract; with the same rules for the secret as a command. Never throws.
 */
export async function fetchAgentSupportSnapshot(agentUrl: string, secret: string, options: AgentCommandOptions): Promise<{ readonly kind: 'done'; readonly snapshot: AgentSupportSnapshot } | { readonly kind: 'unreachable'; readonly detail: string }> {
  const endpoint = agentEndpoint(agentUrl, '/api/v1/support/snapshot', options.certificateFingerprint);
  if ('refused' in endpoint) return { kind: 'unreachable', detail: endpoint.refused };
  const { url, where } = endpoint;
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const res = await pinnedFetch(url, options.certificateFingerprint, { method: 'GET', headers: { accept: 'application/json', authorization: `Bearer ${secret}` }, redirect: 'manual', signal });
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => {});
      return { kind: 'unreachable', detail: `${where} answered HTTP ${res.status}${statusHint(res.status)}` };
    }
    const maxBytes = options.maxResponseBytes ?? agentSnapshotMaxBytes;
    const text = await readBodyBounded(res, maxBytes);
    if (text === null) return { kind: 'unreachable', detail: `${where} sent a snapshot larger than ${maxBytes} bytes` };
    const parsed = agentSupportSnapshotSchema.safeParse(parseJson(text));
    return parsed.success ? { kind: 'done', snapshot: parsed.data } : { kind: 'unreachable', detail: `${where} sent an answer that is not a support snapshot` };
  } catch (err) {
    return { kind: 'unreachable', detail: failureDetail(err, where, signal, options.timeoutMs) };
  }
}

export function statusHint(status: number): string {
  if (status >= 300 && status < 400) return ': redirects are not followed';
  if (status === 401 || status === 403) return ': it does not accept the cluster secret';
  return '';
}

function refusal(body: unknown, where: string): AgentCommandOutcome {
  const problem = typeof body === 'object' && body !== null ? (body as { reason?: unknown; detail?: unknown }) : {};
  const reason = refusalReasons.find((r) => r === problem.reason) ?? null;
  // The agent's own words, cut short and kept to printable text.
  const said = typeof problem.detail === 'string' ? problem.detail.replace(/[^\x20-\x7e]/g, ' ').slice(0, 300) : '';
  return { kind: 'refused', reason, detail: `${where} refused${reason === null ? '' : ` (${reason})`}${said === '' ? '' : `: ${said}`}` };
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A system error code such as ECONNREFUSED, never a message that could quote a header. */
function causeCode(err: unknown): string {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) return code;
  }
  return 'connection failed';
}

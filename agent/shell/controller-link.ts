// The agent's link to the controller: register once, then report status and queued events on
// a fixed interval. The report's answer is also the witness answer (does the controller still
// hear the peer?). Both answers carry the cluster policy, handed to `onPolicy` as it came: its
// validation is the policy keeper's, so a policy the agent refuses never costs it the witness
// answer. While the controller is away the agent keeps working: events wait in a bounded
// queue, and `onWitness(null)` lets the shell fall back to the TCP witness.
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import {
  maxEventsPerReport,
  registerResponseSchema,
  reportResponseSchema,
  type NodeStatus,
  type RegisterRequest,
  type RegisterResponse,
  type ReportResponse,
  peerReportHeader,
} from '../../contracts/controller-v1.js';
import type { PeerReport } from '../core/decide.js';
import { readBodyBounded } from '../../shared/http-body.js';
import { fetchTrusting, type ServerTrust } from '../../shared/tls/server-trust.js';
import type { EventQueue } from './event-queue.js';
import type { WitnessAnswer } from './ports.js';
import { WakeableSleep } from '../shared/wakeable-sleep.js';
import { urgentReportIntervalMs } from '../core/witness.js';

export interface ControllerLinkOptions {
  readonly url: string;
  /**
   * How an https controller is trusted (agent.yaml controller.fingerprint, caFile or
   * systemTrust): with a fingerprint, a controller showing another certificate never gets a
   * byte of the request, so never the cluster secret. Null or absent: plain http:// only.
   */
  readonly trust?: ServerTrust | null;
  readonly secret: string;
  /** What to register with, read at each registration (it carries the policy the agent runs then). */
  readonly registration: () => RegisterRequest;
  /** Read before each wait: it follows the failover profile in force. */
  readonly reportIntervalMs: () => number;
  readonly timeoutMs: number;
  /** How long the controller may go without the peer's report and still call it alive: the peer timeout in force. */
  readonly witnessWindowMs: () => number;
  readonly status: () => NodeStatus;
  readonly events: EventQueue;
  /** A witness answer after each report; null when the controller could not be asked. */
  readonly onWitness: (answer: WitnessAnswer | null) => void;
  /** The cluster policy in a register or report answer, unvalidated; not called when the answer has none (an older controller). */
  readonly onPolicy: (policy: unknown, source: 'register' | 'report') => void;
  /**
   * While true, the next report starts urgentReportIntervalMs after the last one started, not
   * the report interval: the peer fell silent and the standby needs the witness's word on it now.
   */
  readonly urgent?: () => boolean;
  readonly log: Logger;
}

export interface ControllerLink {
  readonly registered: () => RegisterResponse | null;
  /** True if the last report was answered. */
  readonly connected: () => boolean;
  /** Cuts the wait before the next report short (the peer just fell silent). */
  wake(): void;
  close(): Promise<void>;
}

const responseMaxBytes = 64 * 1024;
const registerRetryMaxMs = 30_000;
export { urgentReportIntervalMs };

class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

export function startControllerLink(o: ControllerLinkOptions): ControllerLink {
  // Config loading refuses this too; here it guards every other caller.
  if (new URL(o.url).protocol === 'https:' && (o.trust ?? null) === null) throw new RangeError(`the controller ${o.url} is https: say how to trust it (a fingerprint, a CA file or the system's CAs)`);
  let ids: RegisterResponse | null = null;
  let connected = false;
  let stopped = false;
  const sleeper = new WakeableSleep();
  let failureLogged = false;

  const post = async (path: string, body: unknown): Promise<unknown> => {
    const res = await fetchTrusting(new URL(path, o.url), o.trust ?? null, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${o.secret}`, [peerReportHeader]: '1' },
      body: JSON.stringify(body),
      redirect: 'error',
      signal: AbortSignal.timeout(o.timeoutMs),
    });
    const text = await readBodyBounded(res, responseMaxBytes);
    if (text === null) throw new Error('controller answer too large');
    if (!res.ok) throw new HttpError(res.status);
    return JSON.parse(text) as unknown;
  };

  const sleep = (ms: number): Promise<void> => sleeper.sleep(ms);

  const failed = (what: string, err: unknown): void => {
    connected = false;
    o.onWitness(null);
    // Once per outage, not on every attempt.
    if (!failureLogged) o.log.warn({ controller: o.url, err: failureText(err) }, `controller ${what} failed; working on, events queued`);
    failureLogged = true;
  };

  const loop = async (): Promise<void> => {
    let backoffMs = 500;
    while (!stopped) {
      if (ids === null) {
        try {
          const { answer, policy } = withoutPolicy(await post('/api/v1/agent/register', o.registration()));
          ids = registerResponseSchema.parse(answer);
          o.log.info({ controller: o.url, clusterId: ids.clusterId, nodeId: ids.nodeId }, 'registered with the controller');
          backoffMs = 500;
          if (policy !== undefined) o.onPolicy(policy, 'register');
        } catch (err) {
          failed('registration', err);
          await sleep(backoffMs * (0.75 + Math.random() * 0.5));
          backoffMs = Math.min(registerRetryMaxMs, backoffMs * 2);
          continue;
        }
      }
      // Monotonic: a wall clock stepped back must not stretch the wait by the step.
      const started = performance.now();
      const events = o.events.peek(maxEventsPerReport);
      try {
        const body = withoutPolicy(await post('/api/v1/agent/report', { clusterId: ids.clusterId, nodeId: ids.nodeId, status: o.status(), events, witnessWindowMs: o.witnessWindowMs() }));
        const answer = reportResponseSchema.parse(body.answer);
        o.events.ack(events.map((e) => e.id));
        if (!connected && failureLogged) o.log.info({ controller: o.url }, 'controller reachable again');
        connected = true;
        failureLogged = false;
        // `started` is no later than the send: the controller's view of this node dates from at least then.
        o.onWitness({ reachable: true, peerAlive: answer.peer.alive, sentAtMs: started, peerReport: peerReportOf(answer.peer) });
        if (body.policy !== undefined) o.onPolicy(body.policy, 'report');
      } catch (err) {
        // The controller lost us (new database, cluster deleted): register again.
        if (err instanceof HttpError && err.status === 404) ids = null;
        failed('report', err);
      }
      // From start to start: a slow answer is not followed by a full interval more (the core's release rule counts from the send).
      await sleep(Math.max(0, (o.urgent?.() === true ? urgentReportIntervalMs : o.reportIntervalMs()) - (performance.now() - started)));
    }
  };
  const running = loop();

  return {
    registered: () => ids,
    connected: () => connected,
    wake: () => sleeper.wakeAll(),
    close: async () => {
      stopped = true;
      sleeper.wakeAll();
      await running;
    },
  };
}

/** An error with its causes: `fetch failed` alone hides a refused certificate (a pin mismatch, an unknown CA). */
function failureText(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; parts.length < 4 && e !== undefined && e !== null; e = e instanceof Error ? e.cause : undefined) parts.push(e instanceof Error ? e.message : String(e));
  return parts.join(': ');
}

/** The peer's last report as the answer relays it; null when the controller does not say (an older one) or has none. */
function peerReportOf(peer: ReportResponse['peer']): PeerReport | null {
  if (peer.state === undefined || peer.serving === undefined) return null;
  const upMs = peer.uptimeSeconds === undefined ? null : peer.uptimeSeconds * 1000 + (peer.lastReportAgoMs ?? 0);
  return { state: peer.state, serving: peer.serving, epoch: peer.epoch ?? 0, upMs };
}

/** Sets an answer's `policy` aside, so the rest is checked on its own. */
function withoutPolicy(body: unknown): { answer: unknown; policy: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('policy' in body)) return { answer: body, policy: undefined };
  const { policy, ...answer } = body as Record<string, unknown>;
  return { answer, policy };
}

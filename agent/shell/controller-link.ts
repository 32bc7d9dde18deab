// The agent's link to the controller: register once, then report status and queued events on
// a fixed interval. The report's answer is also the witness answer (does the controller still
// hear the peer?). Both answers carry the cluster policy, handed to `onPolicy` as it came: its
// validation is the policy keeper's, so a policy the agent refuses never costs it the witness
// answer. While the controller is away the agent keeps working: events wait in a bounded
// queue, and `onWitness(null)` lets the shell fall back to the TCP witness.
// Several controllers may share one database (issue 19): the link uses one at a time and moves
// to the next when a request fails (controller-link-rotation.ts). Nothing is lost in a move:
// events leave the queue only once a controller acknowledged them, a report whose answer was
// lost is sent again, and controllers store each event once, by its id.
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
import { fetchTrusting } from '../../shared/tls/server-trust.js';
import { afterAnswer, afterFailure, initialRotation, type RotationState } from './controller-link-rotation.js';
import { ControllerPins, type ControllerTrust } from './controller-link-trust.js';
import type { EventQueue } from './event-queue.js';
import type { WitnessAnswer } from './ports.js';
import { WakeableSleep } from '../shared/wakeable-sleep.js';
import { urgentReportIntervalMs } from '../core/witness.js';

export interface ControllerLinkOptions {
  /** The controllers, in the order they are tried (agent.yaml controller.urls): 1 to 8, sharing one database. */
  readonly urls: readonly string[];
  /**
   * How the https controllers are trusted (agent.yaml controller.fingerprint or fingerprints,
   * caFile or systemTrust): with fingerprints, a controller showing a certificate not listed
   * never gets a byte of the request, so never the cluster secret. Null or absent: plain
   * http:// only.
   */
  readonly trust?: ControllerTrust | null;
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
  /** Each successful registration (at start, and again after the controller lost this node), with the ids to report under. */
  readonly onRegistered?: (ids: RegisterResponse) => void;
  readonly log: Logger;
}

export interface ControllerLink {
  readonly registered: () => RegisterResponse | null;
  /** True if the last report was answered. */
  readonly connected: () => boolean;
  /** The controller in use (its origin): the one that answered last, or the one asked next. */
  readonly controllerUrl: () => string;
  /** Cuts the wait before the next report short (the peer just fell silent). */
  wake(): void;
  /**
   * POSTs `body` to `path` of the controller in use, as registrations and reports go (the cluster
   * secret, the pinned certificate, the timeout); resolves on a 2xx answer, whose body is ignored.
   * A failure does not move the link to another controller: its own requests decide that.
   */
  send(path: string, body: unknown, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

const responseMaxBytes = 64 * 1024;
export { urgentReportIntervalMs };

class HttpError extends Error {
  constructor(
    readonly status: number,
    body = '',
  ) {
    // A refusal's problem type and detail, so that the log says why (e.g. a registration refused 409 pool-shared-address-taken).
    super(`HTTP ${status}${problemSummary(body)}`);
  }
}

/** ` <type slug>: <detail>` of a problem+json answer, bounded; '' for any other body. */
function problemSummary(body: string): string {
  try {
    const problem = JSON.parse(body) as { type?: unknown; detail?: unknown } | null;
    if (typeof problem !== 'object' || problem === null || typeof problem.type !== 'string') return '';
    const detail = typeof problem.detail === 'string' ? `: ${problem.detail}` : '';
    return ` ${problem.type.replace(/^urn:twinrec:problem:/, '')}${detail}`.slice(0, 512);
  } catch {
    return '';
  }
}

export function startControllerLink(o: ControllerLinkOptions): ControllerLink {
  const count = o.urls.length;
  if (count < 1 || count > 8) throw new RangeError(`controllers listed: ${count} (1 to 8)`);
  // Config loading refuses this too; here it guards every other caller.
  const https = o.urls.find((url) => new URL(url).protocol === 'https:');
  if (https !== undefined && (o.trust ?? null) === null) throw new RangeError(`the controller ${https} is https: say how to trust it (a fingerprint, a CA file or the system's CAs)`);
  const origins = o.urls.map((url) => new URL(url).origin);
  const pins = new ControllerPins(o.urls, o.trust ?? null);
  let rotation: RotationState = initialRotation;
  let ids: RegisterResponse | null = null;
  let connected = false;
  let stopped = false;
  const sleeper = new WakeableSleep();
  let outageLogged = false;

  /** The answer's text of a 2xx answer; an HttpError otherwise. */
  const postTo = async (index: number, path: string, body: unknown, timeoutMs: number): Promise<string> => {
    const res = await fetchTrusting(new URL(path, o.urls[index]), pins.trustOf(index), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${o.secret}`, [peerReportHeader]: '1' },
      body: JSON.stringify(body),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await readBodyBounded(res, responseMaxBytes);
    if (text === null) throw new Error('controller answer too large');
    if (!res.ok) throw new HttpError(res.status, text);
    return text;
  };
  // A controller showing another of the listed certificates got nothing: ask it again, pinned to that one.
  const postText = async (path: string, body: unknown, timeoutMs: number): Promise<string> => {
    const index = rotation.index;
    try {
      return await postTo(index, path, body, timeoutMs);
    } catch (err) {
      if (!pins.learn(index, err)) throw err;
      const pinned = pins.trustOf(index);
      o.log.info({ controller: origins[index], fingerprint: pinned?.kind === 'fingerprint' ? pinned.fingerprint : null }, `controller ${origins[index]} shows another of the listed certificates; pinned to it`);
      return await postTo(index, path, body, timeoutMs);
    }
  };
  const post = async (path: string, body: unknown): Promise<unknown> => JSON.parse(await postText(path, body, o.timeoutMs)) as unknown;

  const sleep = (ms: number): Promise<void> => sleeper.sleep(ms);

  /** Takes a failed request: the witness falls back (as with one controller), and the rotation says where and when to go on. */
  const failed = (phase: 'register' | 'report', err: unknown): number | 'pace' => {
    connected = false;
    o.onWitness(null);
    const from = rotation.index;
    const step = afterFailure(rotation, { count, phase, rotate: rotates(err), random: Math.random() });
    rotation = step.state;
    const reason = failureText(err);
    if (step.movedTo !== null && step.firstRound) o.log.warn({ from: origins[from], to: origins[step.movedTo], phase, err: reason }, `controller ${origins[from]} failed (${phase}: ${reason}); moving to ${origins[step.movedTo]}`);
    // Once per outage, not on every attempt.
    if (step.allFailed && !outageLogged) o.log.warn({ controllers: origins, err: reason }, `${count === 1 ? `controller ${phase === 'register' ? 'registration' : 'report'} failed` : `no controller answers (${phase})`}; working on, events queued`);
    outageLogged ||= step.allFailed;
    return step.wait;
  };
  const answered = (): void => {
    if (outageLogged) o.log.info({ controller: origins[rotation.index] }, `controller ${origins[rotation.index]} answers; reporting to it`);
    rotation = afterAnswer(rotation);
    outageLogged = false;
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      if (ids === null) {
        try {
          const { answer, policy } = withoutPolicy(await post('/api/v1/agent/register', o.registration()));
          ids = registerResponseSchema.parse(answer);
          o.log.info({ controller: origins[rotation.index], clusterId: ids.clusterId, nodeId: ids.nodeId }, 'registered with the controller');
          answered();
          if (policy !== undefined) o.onPolicy(policy, 'register');
          o.onRegistered?.(ids);
        } catch (err) {
          const wait = failed('register', err);
          // Registration has no pace of its own: a whole round that failed waits the backoff.
          if (wait !== 0) await sleep(wait === 'pace' ? o.reportIntervalMs() : wait);
          continue;
        }
      }
      // Monotonic: a wall clock stepped back must not stretch the wait by the step.
      const started = performance.now();
      const events = o.events.peek(maxEventsPerReport);
      let wait: number | 'pace' = 'pace';
      try {
        const body = withoutPolicy(await post('/api/v1/agent/report', { clusterId: ids.clusterId, nodeId: ids.nodeId, status: o.status(), events, witnessWindowMs: o.witnessWindowMs() }));
        const answer = reportResponseSchema.parse(body.answer);
        // Only now: a report whose answer was lost goes again, to whichever controller answers next (each event is stored once, by its id).
        o.events.ack(events.map((e) => e.id));
        answered();
        connected = true;
        // `started` is no later than the send: the controller's view of this node dates from at least then.
        o.onWitness({ reachable: true, peerAlive: answer.peer.alive, sentAtMs: started, peerReport: peerReportOf(answer.peer) });
        if (body.policy !== undefined) o.onPolicy(body.policy, 'report');
      } catch (err) {
        // The controller lost us (new database, cluster deleted): register again.
        if (err instanceof HttpError && err.status === 404) ids = null;
        wait = failed('report', err);
      }
      // Another controller is still untried in this round: report to it at once, so that the Serving node's acknowledgements keep coming.
      if (wait === 0) continue;
      // From start to start: a slow answer is not followed by a full interval more (the core's release rule counts from the send).
      await sleep(Math.max(0, (o.urgent?.() === true ? urgentReportIntervalMs : o.reportIntervalMs()) - (performance.now() - started)));
    }
  };
  const running = loop();

  return {
    registered: () => ids,
    connected: () => connected,
    controllerUrl: () => origins[rotation.index] as string,
    wake: () => sleeper.wakeAll(),
    send: async (path, body, timeoutMs) => {
      await postText(path, body, timeoutMs);
    },
    close: async () => {
      stopped = true;
      sleeper.wakeAll();
      await running;
    },
  };
}

/**
 * Whether another controller may answer where this one failed: yes for no answer (refused,
 * reset, timed out, a certificate not trusted), a server error (503 while its database is down)
 * or an answer that is not a controller's; no when the controller refused the request itself
 * (401 secret, 400 body, 413), which every controller sharing its database would repeat, or
 * lost this node (404: register again, with it).
 */
function rotates(err: unknown): boolean {
  if (!(err instanceof HttpError)) return true;
  return err.status >= 500 || err.status === 408 || err.status === 429;
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

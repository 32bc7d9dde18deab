// Playing agents against a real controller: what an agent registers and reports over the
// agent link (contracts/controller-v1.ts), and a pair of fake agents that post it to
// POST /api/v1/agent/register and /report with their cluster secret, as live agents do.
// Every builder starts from a healthy node; a test overrides what it is about. Calls a test
// makes as an operator use the admin `authHeader` of test/helpers/controller.ts instead.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { peerReportHeader, type AgentEvent, type RegisterRequest, type RegisterResponse, type ReportRequest, type ReportResponse } from '../../contracts/controller-v1.js';
import { cameraStatus, defaultStorage, nodeStatus, type CameraStatusWire, type NodeStatusOverrides } from '../../contracts/controller-v1.fixtures.js';

export { defaultStorage, nodeStatus, type NodeStatusOverrides };

export { cameraStatus, type CameraStatusWire };

/** The recorder id both nodes of a pair register (a cloned pair shares its RecorderConfig.xml). */
export const testRecorderId = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';

/** A cluster secret unique to the cluster, so that a leak of one into another's answer would show. */
export const secretFor = (cluster: string): string => `s3cret-${cluster}-${randomUUID()}`;

/**
 * What node `node` of `cluster` registers: host `<node>.example`, its agent on port 8741 and
 * its recorder's web server on 7563 there, the cluster's shared address `<cluster>-rs.example`.
 */
export function registration(cluster: string, node: string, peer: string, rank: 0 | 1, o: { agentUrl?: string | undefined; recorderId?: string } = {}): RegisterRequest {
  const host = `${node.toLowerCase()}.example`;
  return {
    cluster: { name: cluster, sharedAddress: `${cluster.toLowerCase()}-rs.example:7563` },
    node: { name: node, peerName: peer, rank, hostName: host, agentUrl: o.agentUrl ?? `http://${host}:8741`, recorderId: o.recorderId ?? testRecorderId, webServerUri: `http://${host}:7563/` },
    agentVersion: '0.1.0',
  };
}

/** An agent event of `kind`: info, at a fixed time, "<kind> happened", no data. */
export function agentEvent(kind: string, overrides: Partial<AgentEvent> = {}): AgentEvent {
  return { id: randomUUID(), time: '2026-11-22T10:11:12.345Z', kind, severity: 'info', message: `${kind} happened`, data: {}, ...overrides };
}

/** A problem answer (application/problem+json), as far as tests read it. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: Array<{ path: string; message: string }>;
}

/** The controller's answer to an agent: `T` when it took the request, a problem when not. */
export interface AgentAnswer<T> {
  readonly status: number;
  readonly body: Partial<T & ProblemBody>;
}

/** Where the controller listens (a TestController, or the URL of a `twinrec serve`), with an admin's header when known. */
export interface ControllerAddress {
  readonly url: string;
  /** `authorization: Bearer trk_…` of an admin: agentPair then enrolls the cluster as an admin does. */
  readonly authHeader?: { readonly authorization: string };
}

/**
 * Enrolls a cloned pair as an admin does before its agents register: creates the cluster
 * (named and addressed as registration() says) and sets its agent secret. Returns its id.
 */
export async function enrollCluster(controller: ControllerAddress & { readonly authHeader: { readonly authorization: string } }, cluster: string, secret: string): Promise<string> {
  const call = async (method: string, path: string, body: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`${controller.url}${path}`, { method, headers: { 'content-type': 'application/json', ...controller.authHeader }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
    const answer = (await res.json()) as Record<string, unknown>;
    assert.ok(res.status === 200 || res.status === 201, `${method} ${path}: ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  const created = await call('POST', '/api/v1/clusters', { name: cluster, mode: 'cloning', sharedAddress: registration(cluster, 'x', 'y', 0).cluster.sharedAddress });
  const clusterId = String(created.id);
  await call('PUT', `/api/v1/clusters/${clusterId}/agent-secret`, { secret });
  return clusterId;
}

/** POSTs `body` to an agent-link endpoint as an agent does: JSON, with the cluster secret as the Bearer token. */
export async function postAsAgent<T = ReportResponse>(controller: ControllerAddress, secret: string, endpoint: 'register' | 'report', body: unknown, headers: Readonly<Record<string, string>> = {}): Promise<AgentAnswer<T>> {
  const res = await fetch(`${controller.url}/api/v1/agent/${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}`, ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as AgentAnswer<T>['body'] };
}

/** Registers one agent; asserts 200 and returns its cluster and node ids. */
export async function registerAgent(controller: ControllerAddress, secret: string, request: RegisterRequest): Promise<RegisterResponse> {
  const answer = await postAsAgent<RegisterResponse>(controller, secret, 'register', request);
  assert.equal(answer.status, 200, `register ${request.node.name}: ${JSON.stringify(answer.body)}`);
  return answer.body as RegisterResponse;
}

export type PairNodeKey = 'a' | 'b';

export interface PairOptions {
  /** The secret both agents present; secretFor(cluster) unless given. */
  secret?: string;
  recorderId?: string;
  /** Each agent's local API, else `http://<node>.example:8741`. */
  agentUrls?: { a?: string; b?: string };
  /** What every report of the pair says unless a report overrides it. */
  status?: NodeStatusOverrides;
  /**
   * Create the cluster and set its secret through the API first, as an admin does (enrollCluster):
   * the default when the controller's admin header is known. Off, the agents' registration must
   * create it (agents.trustOnFirstUse).
   */
  enroll?: boolean;
}

export interface ReportExtras {
  events?: AgentEvent[];
  /** 5 s unless given. */
  witnessWindowMs?: number;
  /** Send the header of an agent that reads the peer's report in the answer (peerReportHeader). */
  peerReport?: boolean;
}

/** Two agents, `<cluster>-A` (rank 0) and `<cluster>-B` (rank 1), registered in one cluster. */
export interface AgentPair {
  readonly cluster: string;
  readonly secret: string;
  readonly clusterId: string;
  readonly a: { readonly name: string; readonly id: string };
  readonly b: { readonly name: string; readonly id: string };
  /** The report node `which` would post: its status (a healthy SECOND unless overridden) and these events. */
  reportBody(which: PairNodeKey, status?: NodeStatusOverrides, extras?: ReportExtras): ReportRequest;
  /** Posts a report of node `which` and returns the answer, whatever it is. */
  send(which: PairNodeKey, status?: NodeStatusOverrides, extras?: ReportExtras): Promise<AgentAnswer<ReportResponse>>;
  /** Posts a report of node `which`, asserts 200 and returns the answer: events stored and the witness. */
  report(which: PairNodeKey, status?: NodeStatusOverrides, extras?: ReportExtras): Promise<ReportResponse>;
  /** Reports both nodes' status (a PRIM and b SECOND unless told otherwise); null leaves a node silent. */
  reportBoth(a: NodeStatusOverrides | null, b: NodeStatusOverrides | null): Promise<void>;
}

/** Registers the two agents of `cluster` with one cluster secret; asserts that both land in the same cluster. */
export async function agentPair(controller: ControllerAddress, cluster: string, options: PairOptions = {}): Promise<AgentPair> {
  const secret = options.secret ?? secretFor(cluster);
  const [a, b] = [`${cluster}-A`, `${cluster}-B`];
  const recorderId = options.recorderId ?? testRecorderId;
  const admin = controller.authHeader;
  if (options.enroll ?? admin !== undefined) {
    assert.ok(admin !== undefined, 'enrolling a cluster needs the controller\'s admin header');
    await enrollCluster({ url: controller.url, authHeader: admin }, cluster, secret);
  }
  const ra = await registerAgent(controller, secret, registration(cluster, a, b, 0, { agentUrl: options.agentUrls?.a, recorderId }));
  const rb = await registerAgent(controller, secret, registration(cluster, b, a, 1, { agentUrl: options.agentUrls?.b, recorderId }));
  assert.equal(ra.clusterId, rb.clusterId, 'both agents register in one cluster');
  const reportBody = (which: PairNodeKey, status: NodeStatusOverrides = {}, extras: ReportExtras = {}): ReportRequest => {
    const [self, peer, ids] = which === 'a' ? [a, b, ra] : [b, a, rb];
    return { clusterId: ids.clusterId, nodeId: ids.nodeId, status: nodeStatus(cluster, self, peer, { ...options.status, ...status }), events: extras.events ?? [], witnessWindowMs: extras.witnessWindowMs ?? 5_000 };
  };
  const send = (which: PairNodeKey, status?: NodeStatusOverrides, extras?: ReportExtras) => postAsAgent(controller, secret, 'report', reportBody(which, status, extras), extras?.peerReport === true ? { [peerReportHeader]: '1' } : {});
  const report = async (which: PairNodeKey, status?: NodeStatusOverrides, extras?: ReportExtras): Promise<ReportResponse> => {
    const answer = await send(which, status, extras);
    assert.equal(answer.status, 200, `report of ${which === 'a' ? a : b}: ${JSON.stringify(answer.body)}`);
    return answer.body as ReportResponse;
  };
  return {
    cluster,
    secret,
    clusterId: ra.clusterId,
    a: { name: a, id: ra.nodeId },
    b: { name: b, id: rb.nodeId },
    reportBody,
    send,
    report,
    reportBoth: async (oa, ob) => {
      if (oa !== null) await report('a', { state: 'PRIM', ...oa });
      if (ob !== null) await report('b', { state: 'SECOND', ...ob });
    },
  };
}

/**
 * Runs `check` until it passes, calling `refresh` (agents report every second) before each try:
 * for what the controller caches or lets go stale. Throws check's last failure after `timeoutMs`.
 */
export async function eventually(refresh: () => Promise<void>, check: () => Promise<void>, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await refresh();
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}

// A small typed client for the controller's REST API. The session cookie is HttpOnly and
// same-origin, so fetch sends it itself; every error becomes an ApiError holding the
// problem+json the controller returned (or one made up for a network failure), so screens
// can show the operator the controller's own words.
import type {
  AgentSecretRequest,
  AgentSecretSet,
  BackfillAction,
  BackfillCommandAccepted,
  BackfillCommandRequest,
  CameraPage,
  ClusterBackfill,
  CameraQuery,
  ClusterPage,
  ClusterPolicy,
  ClusterState,
  ControllerTls,
  EventPage,
  FailoverGroup,
  FailoverGroupCreate,
  FailoverGroupUpdate,
  FailoverReplaceRequest,
  FailoverStartRequest,
  FailoverStopRequest,
  Focus,
  FocusRequest,
  LoginRequest,
  LoginResult,
  MaintenanceRequest,
  MaintenanceSet,
  NodeDetail,
  PolicySettings,
  Pool,
  PoolFailover,
  PoolStandby,
  PoolStandbyUpdate,
  Problem,
  ProtectedServer,
  ProtectedServerFailoverUpdate,
  Session,
  SwitchAccepted,
  SwitchRequest,
  Timeline,
  Webhook,
  WebhookCreate,
  WebhookDelivery,
  WebhookTestResult,
  WebhookUpdate,
  WebhookWithSecret,
} from './types';

export type { CameraQuery };

/** Longest any request may take; the controller answers far sooner or not at all. */
const requestTimeoutMs = 15_000;

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail !== '' ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }
  get status(): number {
    return this.problem.status;
  }
  /** The slug of `urn:twinrec:problem:<slug>`. */
  get slug(): string {
    return this.problem.type.replace(/^urn:twinrec:problem:/, '');
  }
}

/** What the operator reads for an error: the detail, or the title when there is none. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    const reason = typeof err.problem.reason === 'string' ? ` (reason: ${err.problem.reason})` : '';
    return `${err.problem.detail !== '' ? err.problem.detail : err.problem.title}${reason}`;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

let onUnauthenticated: (() => void) | null = null;

/** Called when a request other than login finds the session gone (expired, logged out elsewhere). */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Login and the session probe answer 401 as part of their job: no redirect for those. */
  expect401?: boolean;
  /** The ETag the change is based on: the controller answers 412 if the resource has moved on. */
  ifMatch?: string;
}

/** An answer with the version it is (its `ETag`), for a change sent with `If-Match`. */
export interface Tagged<T> {
  body: T;
  etag: string | null;
}

async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await exchange<T>(path, options)).body;
}

async function exchange<T>(path: string, options: RequestOptions): Promise<Tagged<T>> {
  const timeout = AbortSignal.timeout(requestTimeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = options.ifMatch;
  let res: Response;
  try {
    res = await fetch(path, {
      method: options.method ?? 'GET',
      credentials: 'same-origin',
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal,
    });
  } catch (err) {
    if (options.signal?.aborted === true) throw err;
    const detail = timeout.aborted ? `No answer within ${requestTimeoutMs / 1000} s` : 'The controller cannot be reached';
    throw new ApiError({ type: 'urn:twinrec:problem:network-error', title: 'Network error', status: 0, detail });
  }
  if (res.ok) {
    const etag = res.headers.get('etag');
    if (res.status === 204) return { body: undefined as T, etag };
    return { body: (await res.json()) as T, etag };
  }
  const problem = await problemOf(res);
  if (res.status === 401 && options.expect401 !== true) onUnauthenticated?.();
  throw new ApiError(problem);
}

async function problemOf(res: Response): Promise<Problem> {
  const text = await res.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as Partial<Problem>;
    if (typeof parsed.type === 'string' && typeof parsed.title === 'string') {
      return { ...parsed, type: parsed.type, title: parsed.title, status: parsed.status ?? res.status, detail: parsed.detail ?? '' };
    }
  } catch {
    // Not JSON: a proxy's page or an empty body; described below.
  }
  return { type: 'about:blank', title: res.statusText || `HTTP ${res.status}`, status: res.status, detail: text.slice(0, 200) };
}

const query = (params: Record<string, string | number | boolean | undefined>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
};
const id = encodeURIComponent;

export const api = {
  session: (signal?: AbortSignal) => request<Session>('/api/v1/auth/session', { signal, expect401: true }),
  login: (username: string, password: string) => request<LoginResult>('/api/v1/auth/login', { method: 'POST', body: { username, password } satisfies LoginRequest, expect401: true }),
  logout: () => request<void>('/api/v1/auth/logout', { method: 'POST', expect401: true }),

  /** Whether the controller serves HTTPS, and its certificate's fingerprint (public). */
  tls: (signal?: AbortSignal) => request<ControllerTls>('/api/v1/tls', { signal }),
  clusters: (signal?: AbortSignal) => request<ClusterPage>(`/api/v1/clusters${query({ limit: 500 })}`, { signal }),
  clusterState: (clusterId: string, signal?: AbortSignal) => request<ClusterState>(`/api/v1/clusters/${id(clusterId)}/state`, { signal }),
  node: (clusterId: string, nodeId: string, signal?: AbortSignal) => request<NodeDetail>(`/api/v1/clusters/${id(clusterId)}/nodes/${id(nodeId)}`, { signal }),
  cameras: (clusterId: string, q: CameraQuery, signal?: AbortSignal) =>
    request<CameraPage>(`/api/v1/clusters/${id(clusterId)}/cameras${query({ problems: q.problems ? true : undefined, q: q.q.trim(), sort: q.sort, limit: q.limit, offset: q.offset })}`, { signal }),

  /** `force`: switch even though the node that would serve lacks data (else 409 `target-missing-data`). */
  switchServing: (clusterId: string, reason: string, force = false) =>
    request<SwitchAccepted>(`/api/v1/clusters/${id(clusterId)}/switch`, {
      method: 'POST',
      body: { ...(reason.trim() === '' ? {} : { reason: reason.trim() }), ...(force ? { force: true } : {}) } satisfies SwitchRequest,
    }),
  clusterBackfill: (clusterId: string, signal?: AbortSignal) => request<ClusterBackfill>(`/api/v1/clusters/${id(clusterId)}/backfill`, { signal }),
  /** Relays backfill-start/-pause/-resume to the node named (else the controller's default nodes). */
  backfillCommand: (clusterId: string, action: BackfillAction, node: string | null, reason: string) =>
    request<BackfillCommandAccepted>(`/api/v1/clusters/${id(clusterId)}/backfill/${action}`, {
      method: 'POST',
      body: { ...(node === null ? {} : { node }), ...(reason.trim() === '' ? {} : { reason: reason.trim() }) } satisfies BackfillCommandRequest,
    }),
  maintenance: (clusterId: string, on: boolean) => request<MaintenanceSet>(`/api/v1/clusters/${id(clusterId)}/maintenance`, { method: 'POST', body: { on } satisfies MaintenanceRequest }),
  focus: (clusterId: string, nodeId: string) => request<Focus>(`/api/v1/clusters/${id(clusterId)}/focus`, { method: 'POST', body: { nodeId } satisfies FocusRequest }),
  unfocus: (clusterId: string) => request<void>(`/api/v1/clusters/${id(clusterId)}/focus`, { method: 'DELETE' }),

  /** The cluster policy with its ETag (`"p<version>"`), which a change sends back as If-Match. */
  clusterPolicy: (clusterId: string, signal?: AbortSignal) => exchange<ClusterPolicy>(`/api/v1/clusters/${id(clusterId)}/policy`, { signal }),
  /** Sets every setting (admin); 412 when the policy is no longer the version `etag` names. */
  replaceClusterPolicy: (clusterId: string, settings: PolicySettings, etag: string) =>
    exchange<ClusterPolicy>(`/api/v1/clusters/${id(clusterId)}/policy`, { method: 'PUT', body: settings, ifMatch: etag }),

  /** Generates the cluster's agent secret (admin); `replace` confirms replacing one it has (else 409 `agent-secret-exists`). */
  generateAgentSecret: (clusterId: string, replace: boolean) =>
    request<AgentSecretSet>(`/api/v1/clusters/${id(clusterId)}/agent-secret`, { method: 'PUT', body: { generate: true, ...(replace ? { replace: true } : {}) } satisfies AgentSecretRequest }),

  /** The availability timeline of [from, to) (1 minute to 30 days). */
  timeline: (clusterId: string, from: Date, to: Date, signal?: AbortSignal) =>
    request<Timeline>(`/api/v1/clusters/${id(clusterId)}/timeline${query({ from: from.toISOString(), to: to.toISOString() })}`, { signal }),
  /** The failover history report as CSV, for a download link (the browser sends the session cookie). */
  failoverHistoryCsvUrl: (clusterId: string, from: Date, to: Date): string =>
    `/api/v1/reports/failover-history${query({ format: 'csv', clusterId, from: from.toISOString(), to: to.toISOString() })}`,

  /** A failover pool (mode `pool`): viewers read it, admins change it, operators command failovers. */
  pool: (clusterId: string, signal?: AbortSignal) => request<Pool>(`/api/v1/clusters/${id(clusterId)}/pool`, { signal }),
  createFailoverGroup: (clusterId: string, name: string) => request<FailoverGroup>(`/api/v1/clusters/${id(clusterId)}/failover-groups`, { method: 'POST', body: { name } satisfies FailoverGroupCreate }),
  /** `version`: the group's version the rename is based on (409 `failover-group-version-conflict` when it moved on). */
  renameFailoverGroup: (clusterId: string, groupId: string, name: string, version: number) =>
    request<FailoverGroup>(`/api/v1/clusters/${id(clusterId)}/failover-groups/${id(groupId)}`, { method: 'PATCH', body: { name, version } satisfies FailoverGroupUpdate }),
  deleteFailoverGroup: (clusterId: string, groupId: string) => request<void>(`/api/v1/clusters/${id(clusterId)}/failover-groups/${id(groupId)}`, { method: 'DELETE' }),
  /** Sets the group's whole sequence, first first; standbys left out leave the group. */
  setFailoverGroupStandbys: (clusterId: string, groupId: string, standbyNodeIds: string[]) =>
    request<FailoverGroup>(`/api/v1/clusters/${id(clusterId)}/failover-groups/${id(groupId)}/standbys`, { method: 'PUT', body: { standbyNodeIds } }),
  /** 409 `pool-failed-over-confirm` while the server is failed over, unless `confirm` is true. */
  setProtectedServerFailover: (clusterId: string, nodeId: string, body: ProtectedServerFailoverUpdate) =>
    request<ProtectedServer>(`/api/v1/clusters/${id(clusterId)}/nodes/${id(nodeId)}/failover`, { method: 'PUT', body }),
  setPoolStandby: (clusterId: string, nodeId: string, body: PoolStandbyUpdate) => request<PoolStandby>(`/api/v1/clusters/${id(clusterId)}/nodes/${id(nodeId)}/standby`, { method: 'PUT', body }),
  startFailover: (clusterId: string, nodeId: string, body: FailoverStartRequest) =>
    request<PoolFailover>(`/api/v1/clusters/${id(clusterId)}/nodes/${id(nodeId)}/failover/start`, { method: 'POST', body }),
  stopFailover: (clusterId: string, nodeId: string, body: FailoverStopRequest) =>
    request<PoolFailover>(`/api/v1/clusters/${id(clusterId)}/nodes/${id(nodeId)}/failover/stop`, { method: 'POST', body }),
  finishFailback: (clusterId: string, nodeId: string) => request<PoolFailover>(`/api/v1/clusters/${id(clusterId)}/nodes/${id(nodeId)}/failover/finish-failback`, { method: 'POST' }),
  /** Permanent (admin): the standby serving the server becomes it. */
  replaceProtectedServer: (clusterId: string, nodeId: string, body: FailoverReplaceRequest) =>
    request<PoolFailover>(`/api/v1/clusters/${id(clusterId)}/nodes/${id(nodeId)}/failover/replace`, { method: 'POST', body }),

  events: (limit: number, signal?: AbortSignal) => request<EventPage>(`/api/v1/events${query({ limit })}`, { signal }),

  /** Webhooks (admin): the secret is in the create and rotate answers only. */
  webhooks: (signal?: AbortSignal) => request<{ items: Webhook[] }>('/api/v1/webhooks', { signal }),
  createWebhook: (body: WebhookCreate) => request<WebhookWithSecret>('/api/v1/webhooks', { method: 'POST', body }),
  /** `body.version`: the version the change is based on (409 `webhook-version-conflict` when it moved on). */
  updateWebhook: (webhookId: string, body: WebhookUpdate) => request<Webhook>(`/api/v1/webhooks/${id(webhookId)}`, { method: 'PATCH', body }),
  deleteWebhook: (webhookId: string) => request<void>(`/api/v1/webhooks/${id(webhookId)}`, { method: 'DELETE' }),
  rotateWebhookSecret: (webhookId: string) => request<WebhookWithSecret>(`/api/v1/webhooks/${id(webhookId)}/rotate-secret`, { method: 'POST' }),
  testWebhook: (webhookId: string) => request<WebhookTestResult>(`/api/v1/webhooks/${id(webhookId)}/test`, { method: 'POST' }),
  webhookDeliveries: (webhookId: string, signal?: AbortSignal) => request<{ items: WebhookDelivery[] }>(`/api/v1/webhooks/${id(webhookId)}/deliveries${query({ limit: 50 })}`, { signal }),
};

/** The SSE stream's URL; EventSource sends the same-origin session cookie itself. */
export function eventStreamUrl(since?: string): string {
  return `/api/v1/events/stream${query({ since })}`;
}

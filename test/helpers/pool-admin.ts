// A failover pool through a controller's REST API, as its administrator and operators see it:
// the pool the lab's agents registered (`lab-pool`), its view and its events, and the
// administrator's setup (one failover group with every standby, each protected server's primary
// group, a pool policy). The agents' side is in pool-lab.ts.
import type { PoolSettings } from '../../contracts/cluster-policy-v1.js';

/** A controller as the admin reaches it (an API token). */
export interface AdminApi {
  readonly url: string;
  readonly authHeader: { readonly authorization: string };
}

export interface PoolView {
  protectedServers: Array<{ nodeId: string; name: string; reachable: boolean; failover: { state: string; standby: { nodeId: string; nodeName: string } | null }; recorderConfig: { sha256: string } | null }>;
  standbys: Array<{ nodeId: string; name: string; reachable: boolean; lease: { state: string; epoch: number }; serving: { nodeId: string } | null }>;
}

export interface StoredEvent {
  readonly id: string;
  readonly time: string;
  readonly kind: string;
  readonly nodeId: string | null;
  readonly data: Record<string, unknown>;
}

/** One admin request, bounded; throws with the answer unless it is 2xx. */
export async function adminRequest<T>(api: AdminApi, method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${api.url}${path}`, { method, headers: { ...api.authHeader, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${api.url}${path}: HTTP ${res.status} ${text.slice(0, 500)}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** The id of the pool the lab's agents registered, once there is one. */
export async function poolClusterId(api: AdminApi): Promise<string | undefined> {
  const clusters = await adminRequest<{ items: Array<{ id: string; name: string; mode: string }> }>(api, 'GET', '/api/v1/clusters');
  return clusters.items.find((c) => c.name === 'lab-pool' && c.mode === 'pool')?.id;
}

export function poolView(api: AdminApi, clusterId: string): Promise<PoolView> {
  return adminRequest<PoolView>(api, 'GET', `/api/v1/clusters/${clusterId}/pool`);
}

/** The pool's events (kinds pool.*), oldest first (the newest 1,000 events of the cluster). */
export async function poolEvents(api: AdminApi, clusterId: string): Promise<StoredEvent[]> {
  const page = await adminRequest<{ items: StoredEvent[] }>(api, 'GET', `/api/v1/events?clusterId=${clusterId}&limit=1000`);
  return page.items.filter((e) => e.kind.startsWith('pool.')).reverse();
}

/** Waits until the pool lists `protectedCount` servers (each with its RecorderConfig.xml on record) and `standbyCount` standbys, all reporting. */
export async function registeredPool(api: AdminApi, clusterId: string, protectedCount: number, standbyCount: number): Promise<PoolView | undefined> {
  const view = await poolView(api, clusterId);
  const complete = view.protectedServers.length === protectedCount && view.standbys.length === standbyCount;
  return complete && [...view.protectedServers, ...view.standbys].every((n) => n.reachable) && view.protectedServers.every((s) => s.recorderConfig !== null) ? view : undefined;
}

/** The administrator's setup: a failover group with every standby, each protected server's primary group, and `settings`. */
export async function setUpPool(api: AdminApi, clusterId: string, view: PoolView, settings: PoolSettings): Promise<void> {
  const pool = `/api/v1/clusters/${clusterId}`;
  const group = await adminRequest<{ id: string }>(api, 'POST', `${pool}/failover-groups`, { name: 'Hall' });
  await adminRequest(api, 'PUT', `${pool}/failover-groups/${group.id}/standbys`, { standbyNodeIds: view.standbys.map((s) => s.nodeId) });
  for (const server of view.protectedServers) await adminRequest(api, 'PUT', `${pool}/nodes/${server.nodeId}/failover`, { primaryGroupId: group.id, secondaryGroupId: null, hotStandbyNodeId: null, standbySelection: 'sequence' });
  await adminRequest(api, 'PATCH', `${pool}/policy`, { pool: settings });
}

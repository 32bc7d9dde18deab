// `twinrec demo --pool P:S` (issue 17 §8): once the lab's pool agents have registered, the demo
// sets the pool up as an administrator would, through the REST API: one failover group with
// every standby in its sequence, that group as each protected server's primary group, and a
// pool policy quick enough to watch (failover after 10 s, failback after 30 s healthy).
import { defaultPoolSettings, type PoolSettings } from '../contracts/cluster-policy-v1.js';
import { CliError, exitCodes } from '../shared/exit-codes.js';

export interface PoolShape {
  readonly protected: number;
  readonly standbys: number;
}

/** `P:S` as `--pool` takes it; the lab checks the bounds (it refuses more than it can start). */
export function parsePoolShape(text: string): PoolShape {
  const match = /^(\d{1,3}):(\d{1,3})$/.exec(text.trim());
  if (match === null || Number(match[1]) < 1 || Number(match[2]) < 1) throw new CliError(`--pool: expected P:S, protected recording servers and standbys, each at least 1 (e.g. 3:1), not ${JSON.stringify(text)}`, exitCodes.usage);
  return { protected: Number(match[1]), standbys: Number(match[2]) };
}

/**
 * The demo's pool policy: the defaults (a host silent for 10 s fails over) with a hold-down short
 * enough to watch the failback, and the lab's test-pattern recordings discarded at failback, so
 * the standby is free again at once.
 */
export const demoPoolSettings: PoolSettings = { ...defaultPoolSettings, holdDownSeconds: 30, failbackRecordings: 'discard' };

export const demoFailoverGroupName = 'Demo failover group';

export interface DemoPool {
  readonly clusterId: string;
  readonly failoverGroup: { readonly id: string; readonly name: string };
  readonly protectedServers: ReadonlyArray<{ readonly nodeId: string; readonly name: string; readonly sharedAddress: string | null }>;
  readonly standbys: ReadonlyArray<{ readonly nodeId: string; readonly name: string }>;
}

interface PoolView {
  protectedServers: Array<{ nodeId: string; name: string; reachable: boolean; settings: { sharedAddress: string | null }; recorderConfig: { sha256: string } | null }>;
  failoverGroups: Array<{ id: string; name: string }>;
  standbys: Array<{ nodeId: string; name: string; reachable: boolean }>;
}

/** One REST call as the signed-in admin (the session cookie), bounded by requestTimeoutMs. */
type Call = <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown) => Promise<T>;

const requestTimeoutMs = 10_000;
const pollIntervalMs = 500;

/**
 * Waits (at most `registeredTimeoutMs`) until the pool `clusterName` lists `shape`'s protected
 * servers and standbys, every one reporting, then sets it up. Stops waiting when `signal` aborts.
 */
export async function setUpDemoPool(o: { controllerUrl: string; admin: { username: string; password: string }; clusterName: string; shape: PoolShape; registeredTimeoutMs: number; signal: AbortSignal }): Promise<DemoPool> {
  const api = `${o.controllerUrl}/api/v1`;
  // Signed in with a session, as in the console: no API token is left behind in the database.
  const login = await fetch(`${api}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(o.admin), signal: AbortSignal.any([o.signal, AbortSignal.timeout(requestTimeoutMs)]) });
  const cookie = login.headers.get('set-cookie')?.split(';')[0];
  if (login.status !== 200 || cookie === undefined) throw new CliError(`the demo could not sign in to its controller as ${o.admin.username}: HTTP ${login.status}`, exitCodes.failure);
  const call: Call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${api}${path}`, { method, headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.any([o.signal, AbortSignal.timeout(requestTimeoutMs)]) });
    const text = await res.text();
    if (!res.ok) throw new CliError(`the demo's pool setup: ${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`, exitCodes.failure);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };

  const deadline = Date.now() + o.registeredTimeoutMs;
  let seen = 'no pool registered yet';
  let registered: { clusterId: string; view: PoolView } | null = null;
  while (registered === null) {
    if (Date.now() > deadline) throw new CliError(`the pool's agents did not all register within ${o.registeredTimeoutMs / 1000} s (${seen}); their logs are in the lab folder's logs/`, exitCodes.failure);
    const clusters = await call<{ items: Array<{ id: string; name: string; mode: string }> }>('GET', '/clusters');
    const cluster = clusters.items.find((c) => c.name === o.clusterName && c.mode === 'pool');
    if (cluster !== undefined) {
      const view = await call<PoolView>('GET', `/clusters/${cluster.id}/pool`);
      const reporting = [...view.protectedServers, ...view.standbys].filter((n) => n.reachable).length;
      // A takeover clones the server's RecorderConfig.xml: the pool is ready once every one is on record.
      const configs = view.protectedServers.filter((s) => s.recorderConfig !== null).length;
      seen = `${view.protectedServers.length} protected, ${view.standbys.length} standby, ${reporting} reporting, ${configs} RecorderConfig.xml on record`;
      if (view.protectedServers.length === o.shape.protected && view.standbys.length === o.shape.standbys && reporting === o.shape.protected + o.shape.standbys && configs === o.shape.protected) registered = { clusterId: cluster.id, view };
    }
    if (registered === null) await abortableSleep(pollIntervalMs, o.signal);
  }

  const { clusterId, view } = registered;
  const pool = `/clusters/${clusterId}`;
  // A demo started again on its data folder finds its group: it is used again.
  const group = view.failoverGroups.find((g) => g.name === demoFailoverGroupName) ?? (await call<{ id: string; name: string }>('POST', `${pool}/failover-groups`, { name: demoFailoverGroupName }));
  await call('PUT', `${pool}/failover-groups/${group.id}/standbys`, { standbyNodeIds: view.standbys.map((s) => s.nodeId) });
  for (const server of view.protectedServers) await call('PUT', `${pool}/nodes/${server.nodeId}/failover`, { primaryGroupId: group.id, secondaryGroupId: null, hotStandbyNodeId: null, standbySelection: 'sequence' });
  await call('PATCH', `${pool}/policy`, { pool: demoPoolSettings });
  return {
    clusterId,
    failoverGroup: { id: group.id, name: group.name },
    protectedServers: view.protectedServers.map((s) => ({ nodeId: s.nodeId, name: s.name, sharedAddress: s.settings.sharedAddress })),
    standbys: view.standbys.map((s) => ({ nodeId: s.nodeId, name: s.name })),
  };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(done, ms);
    function done(): void {
      signal.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted(): void {
      clearTimeout(timer);
      reject(signal.reason as Error);
    }
    signal.addEventListener('abort', aborted, { once: true });
  });
}

/** What to try, in words: the lab commands that make the pool fail over and back. */
export function poolWalkthrough(labDir: string, protectedName: string, standbyName: string, settings: PoolSettings = demoPoolSettings): string {
  const fault = (action: string, target: string): string => `twinrec lab fault ${action} ${target} --dir ${labDir}`;
  return `  Try a failover: the protected server's host dies (its agent and its recorder):
    $ ${fault('crash', `agent-${protectedName}`)}
    $ ${fault('crash', protectedName)}
  After ${settings.triggers.disconnectedSeconds} s without a report the controller gives ${standbyName} the server's identity;
  the pool view says "Failed over → ${standbyName}" and live view through the server's shared address comes from it.
  Bring the host back:
    $ ${fault('start', protectedName)}
    $ ${fault('start', `agent-${protectedName}`)}
  After ${settings.holdDownSeconds} s healthy the pool fails back (recordings made on the standby: ${settings.failbackRecordings}).
  A crashed recorder alone (its agent up) fails over after ${settings.triggers.serviceDown.seconds} s of "service not running".
`;
}

// The controller of an HA lab (ha-lab.ts) as a tool reaches it, over its REST API with the
// admin token: the lab cluster's id and its nodes' ids, the live state, the cluster policy
// (read, set, and waited for until both agents report running it); and what an agent's log
// (pino JSON lines, appended across restarts) says.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultPolicySettings } from '../../contracts/cluster-policy-v1.js';
import { mergeDeep } from '../../api/src/domain/cluster-policy-rules.js';
import type { ClusterState } from '../../api/src/model/cluster.js';
import type { ClusterPolicyView, PolicySettings, PolicySettingsPatch } from '../../api/src/model/cluster-policy.js';
import { waitFor } from '../../lab/testing/harness.js';
import type { HaLab } from './ha-lab.js';

export type { ClusterState, ClusterPolicyView, PolicySettings, PolicySettingsPatch };

export interface Answer<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly etag: string | null;
}

/**
 * Every policy setting: the defaults of a cluster nobody configured (contracts/), with each
 * patch merged over them in turn, as the REST API names them (the preferred node by id).
 *
 * @example policySettings({ failover: { capCount: 100 } }, { failover: { profile: 'fast' } }).failover // { profile: 'fast', …, capCount: 100, … }
 */
export function policySettings(...patches: PolicySettingsPatch[]): PolicySettings {
  const { preferredNode: _byName, ...rest } = defaultPolicySettings;
  return patches.reduce<PolicySettings>((settings, patch) => mergeDeep(settings, patch), { preferredNodeId: null, ...rest });
}

export class LabController {
  private constructor(
    private readonly url: string,
    private readonly auth: Readonly<Record<string, string>>,
    readonly clusterId: string,
    private readonly nodeIds: ReadonlyMap<string, string>,
  ) {}

  /** The lab cluster (`lab-pair-1`), once both of its agents have registered. */
  static async of(ha: HaLab, timeoutMs = 60_000): Promise<LabController> {
    assert.ok(ha.controller !== null, 'the lab runs with a controller');
    const { url, authHeader } = ha.controller;
    const name = ha.description.pairs[0]?.cluster?.name ?? 'lab-pair-1';
    const cluster = await waitFor(
      `both agents to register ${name} with the controller`,
      async () => {
        const res = await fetch(`${url}/api/v1/clusters?q=${encodeURIComponent(name)}`, { headers: authHeader, signal: AbortSignal.timeout(10_000) });
        const found = ((await res.json()) as { items?: Array<{ id: string; name: string; nodes: Array<{ id: string; name: string }> }> }).items?.find((c) => c.name === name);
        return found !== undefined && ha.recorders.every((r) => found.nodes.some((n) => n.name === r)) ? found : undefined;
      },
      timeoutMs,
      250,
    );
    return new LabController(url, authHeader, cluster.id, new Map(cluster.nodes.map((n) => [n.name, n.id])));
  }

  /** The controller's id of the node named `name` (the recorder's name). */
  nodeId(name: string): string {
    const id = this.nodeIds.get(name);
    assert.ok(id !== undefined, `node ${name} is registered`);
    return id;
  }

  /** The node's name, from its id. */
  nodeName(id: string | null): string | null {
    for (const [name, nodeId] of this.nodeIds) if (nodeId === id) return name;
    return null;
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { ...this.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as T, etag: res.headers.get('etag') };
  }

  get policyPath(): string {
    return `/api/v1/clusters/${this.clusterId}/policy`;
  }

  async state(): Promise<ClusterState> {
    const answer = await this.call<ClusterState>('GET', `/api/v1/clusters/${this.clusterId}/state`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  }

  async policy(): Promise<Answer<ClusterPolicyView>> {
    const answer = await this.call<ClusterPolicyView>('GET', this.policyPath);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer;
  }

  /** Sets the policy (PUT of every setting, or PATCH of some), then waits until both agents report running the new version. */
  async apply(settings: { put: PolicySettings } | { patch: PolicySettingsPatch }, timeoutMs = 60_000): Promise<ClusterPolicyView> {
    const [method, body] = 'put' in settings ? ['PUT', settings.put] : ['PATCH', settings.patch];
    const answer = await this.call<ClusterPolicyView>(method, this.policyPath, body);
    assert.equal(answer.status, 200, `${method} policy: ${JSON.stringify(answer.body)}`);
    await this.waitPolicyCurrent(answer.body.version, timeoutMs);
    return answer.body;
  }

  /** Waits until the state shows `version` as the cluster's, and every node reporting it (policyCurrent). */
  async waitPolicyCurrent(version: number, timeoutMs = 60_000): Promise<ClusterState> {
    return waitFor(
      `both nodes to report running policy version ${version}`,
      async () => {
        const state = await this.state();
        return state.policyVersion === version && state.nodes.length === 2 && state.nodes.every((n) => n.policyCurrent && n.policyVersion === version) ? state : undefined;
      },
      timeoutMs,
      250,
    );
  }
}

/** One line of an agent's log: pino JSON, `time` in ms since the epoch, `event` on the core's events. */
export interface AgentLogLine {
  readonly time: number;
  readonly msg?: string;
  readonly event?: string;
  readonly [key: string]: unknown;
}

/**
 * The lines an agent logged at or after `sinceMs` (wall clock); with `event`, only that event's.
 *
 * @example agentLog(ha.agentOf('recorder-1a').logPath, t0, 'failover.local-health')[0]?.time
 */
export function agentLog(logPath: string, sinceMs = 0, event?: string): AgentLogLine[] {
  const lines: AgentLogLine[] = [];
  for (const text of readFileSync(logPath, 'utf8').split('\n')) {
    if (text === '' || (event !== undefined && !text.includes(event))) continue;
    try {
      const line = JSON.parse(text) as AgentLogLine;
      if (typeof line.time === 'number' && line.time >= sinceMs && (event === undefined || line.event === event)) lines.push(line);
    } catch {
      // a partial last line, or a line that is not JSON
    }
  }
  return lines;
}

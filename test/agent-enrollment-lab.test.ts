// Real agents, enrolled as an admin does (trust on first use off, the default): a lab pair's
// agents start before their cluster exists and are refused; the cluster is then created and its
// secret set through the REST API, and the agents get in on their next registration attempt,
// report, and take a Switch. No cluster is created or claimed by a registration.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../lab/testing/harness.js';
import { startHaLab, type HaLab } from './helpers/ha-lab.js';

interface ClusterItem {
  id: string;
  name: string;
  agentSecretSet: boolean;
  servingNodeId: string | null;
  nodes: Array<{ id: string; name: string; agentUrl: string | null }>;
}

describe('a lab pair enrolled by an admin', () => {
  let ha: HaLab;
  before(async () => {
    ha = await startHaLab({ enroll: 'admin', cameras: 1 });
  });
  after(async () => {
    await ha?.close();
  });

  const get = async <T>(path: string): Promise<T> => {
    const controller = ha.controller;
    assert.ok(controller !== null);
    const res = await ha.controllerFetch(path, { headers: controller.authHeader, signal: AbortSignal.timeout(10_000) });
    assert.equal(res.status, 200, `GET ${path}`);
    return (await res.json()) as T;
  };

  test('its agents register into the cluster the admin made, report, and take a Switch', { timeout: 240_000 }, async () => {
    const cluster = await waitFor(
      'both agents to register into the enrolled cluster',
      async () => {
        const page = await get<{ items: ClusterItem[] }>('/api/v1/clusters');
        const item = page.items.find((c) => c.name === ha.description.pairs[0]?.cluster?.name);
        return item !== undefined && item.nodes.length === 2 && item.nodes.every((n) => n.agentUrl !== null) && item.servingNodeId !== null ? { item, count: page.items.length } : undefined;
      },
      90_000,
      500,
    );
    assert.equal(cluster.count, 1, 'one cluster: the one the admin made');
    assert.equal(cluster.item.agentSecretSet, true);
    assert.deepEqual(cluster.item.nodes.map((n) => n.name).sort(), [...ha.recorders].sort());

    const audit = await get<{ items: Array<{ action: string; actor: string; outcome: string }> }>('/api/v1/audit?limit=1000');
    const actions = audit.items.map((e) => `${e.action}:${e.outcome}`);
    assert.ok(actions.includes('cluster.create:success') && actions.includes('cluster.agent-secret-set:success'), actions.join(', '));
    assert.ok(!actions.includes('cluster.register:success'), 'no registration created or claimed a cluster');

    const { serving } = await ha.steady(60_000);
    const controller = ha.controller;
    assert.ok(controller !== null);
    const switched = await ha.controllerFetch(`/api/v1/clusters/${cluster.item.id}/switch`, { method: 'POST', headers: { ...controller.authHeader, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'enrolled pair' }), signal: AbortSignal.timeout(15_000) });
    assert.equal(switched.status, 202, await switched.text());
    await waitFor('the other node to serve', async () => ((await ha.steady(30_000)).serving !== serving ? true : undefined), 60_000, 500);
  });
});

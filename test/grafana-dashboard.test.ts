// The Grafana dashboard in packaging/grafana queries only metrics the controller serves, and
// failovers reported by agents show up in those metrics.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { agentEvent, agentPair } from './helpers/agent-reports.js';
import { startTestController, type TestController } from './helpers/controller.js';

interface Dashboard {
  uid: string;
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
}

const dashboard = JSON.parse(readFileSync(new URL('../packaging/grafana/twinrec-dashboard.json', import.meta.url), 'utf8')) as Dashboard;

/** Metric families the controller declares on /metrics (`# TYPE name kind`). */
async function families(controller: TestController): Promise<Map<string, string>> {
  const text = await (await fetch(`${controller.url}/metrics`)).text();
  return new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1] as string, m[2] as string]));
}

describe('the Grafana dashboard', () => {
  let controller: TestController;
  before(async () => {
    controller = await startTestController();
  });
  after(async () => {
    await controller?.close();
  });

  test('every metric a panel queries exists on /metrics, with the kind the query needs', async () => {
    const declared = await families(controller);
    const queried = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.matchAll(/\btwinrec_[a-z0-9_]+/g)].map((m) => m[0]))));
    assert.ok(queried.size >= 10, `the dashboard queries ${queried.size} metrics`);
    for (const name of queried) {
      const histogram = /_(bucket|sum|count)$/.test(name) ? name.replace(/_(bucket|sum|count)$/, '') : null;
      if (histogram !== null && declared.get(histogram) === 'histogram') continue;
      assert.ok(declared.has(name), `${name} (queried by the dashboard) is not on /metrics`);
      if (/rate\(|increase\(/.test(dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).find((e) => e.includes(`${name}[`)) ?? '')) {
        assert.ok(['counter', 'gauge'].includes(declared.get(name) ?? ''), `${name} is under rate()/increase()`);
      }
    }
    assert.equal(new Set(dashboard.panels.map((p) => p.title)).size, dashboard.panels.length, 'panel titles are unique');
  });

  test('a failover an agent reports counts in twinrec_failovers_total and its detection time in the histogram', async () => {
    const pair = await agentPair(controller, 'Metrics');
    await pair.report('b', { state: 'ALONE', serving: true }, { events: [agentEvent('failover.claiming', { data: { epoch: 3, reason: 'peer-dead', detectionMs: 812 } })] });
    await pair.report('a', { state: 'WAIT', serving: false }, { events: [agentEvent('failover.local-health', { data: { epoch: 2, detectionMs: 2_140 } }), agentEvent('recorder.started', { data: {} })] });
    const text = await (await fetch(`${controller.url}/metrics`)).text();
    assert.match(text, new RegExp(`^twinrec_failovers_total\\{cluster_id="${pair.clusterId}",reason="peer-dead"\\} 1$`, 'm'));
    assert.match(text, new RegExp(`^twinrec_failovers_total\\{cluster_id="${pair.clusterId}",reason="local-health"\\} 1$`, 'm'));
    assert.match(text, /^twinrec_failover_detection_seconds_count\{reason="peer-dead"\} 1$/m);
    assert.match(text, /^twinrec_failover_detection_seconds_bucket\{le="1",reason="peer-dead"\} 1$/m);
    assert.match(text, /^twinrec_failover_detection_seconds_bucket\{le="2",reason="local-health"\} 0$/m);
    assert.match(text, new RegExp(`^twinrec_node_serving\\{cluster_id="${pair.clusterId}",node_id="${pair.b.id}",node="${pair.b.name}"\\} 1$`, 'm'));
    assert.match(text, new RegExp(`^twinrec_node_serving\\{cluster_id="${pair.clusterId}",node_id="${pair.a.id}",node="${pair.a.name}"\\} 0$`, 'm'));
  });
});

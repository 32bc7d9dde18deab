// Several controllers on one PostgreSQL database (issue 19): node status and events are shared,
// so that whichever controller a console or an agent reaches answers with current data. A lab
// pair reports to controller A; controller B, on the same database, must give the same cluster
// state and Device Overview, show a failover as A does, stream the events A stored (each once),
// and answer as the witness for a node that reports only to A. On the server TWINREC_TEST_PG_URL
// names (set by .ci/run), like the other PostgreSQL suites.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { ClusterState } from '../api/src/model/cluster.js';
import type { CameraPage } from '../api/src/model/camera.js';
import { waitFor } from '../lab/testing/harness.js';
import { agentPair, postAsAgent, type AgentPair } from './helpers/agent-reports.js';
import { startHaLab, type HaLab } from './helpers/ha-lab.js';
import { LabController } from './helpers/lab-controller.js';
import { postgresUrl } from './helpers/postgres.js';
import { getAs, openEventStream, sharedPostgres, startExtraController, type ExtraController, type SharedDatabase } from './helpers/two-controllers.js';

/** What a console reads of a cluster's state, as both controllers must agree on it. */
function stateView(state: ClusterState): unknown {
  return { servingNodeId: state.servingNodeId, conflict: state.conflict, nodes: state.nodes.map((n) => ({ nodeId: n.nodeId, state: n.state, haStatus: n.haStatus, serving: n.serving, epoch: n.epoch, reachable: n.reachable })) };
}

/** What the Device Overview shows of each camera. */
function overviewView(page: CameraPage): unknown {
  return page.items.map((c) => ({ cameraId: c.cameraId, name: c.name, servingNodeId: c.servingNodeId, connected: c.connected, recording: c.recording, problem: c.problem, mismatched: c.mismatched, nodes: c.nodes.map((n) => n.nodeName) }));
}

/** Waits until `read` gives the same view from both controllers, and returns it. */
async function sameOnBoth<T>(what: string, read: (controller: ExtraController) => Promise<T>, controllers: readonly [ExtraController, ExtraController], timeoutMs = 20_000): Promise<T> {
  let last: unknown[] = [];
  try {
    return await waitFor(
      what,
      async () => {
        const [a, b] = await Promise.all(controllers.map(read));
        last = [a, b];
        return JSON.stringify(a) === JSON.stringify(b) ? a : undefined;
      },
      timeoutMs,
      200,
    );
  } catch (err) {
    assert.fail(`${(err as Error).message}: A ${JSON.stringify(last[0])}, B ${JSON.stringify(last[1])}`);
  }
}

if (postgresUrl !== undefined) {
  describe('several controllers on one PostgreSQL database share node status and events', { timeout: 300_000 }, () => {
    let shared: SharedDatabase;
    let ha: HaLab;
    let a: ExtraController;
    let b: ExtraController;
    let lab: LabController;

    before(async () => {
      shared = await sharedPostgres(postgresUrl as string);
      ha = await startHaLab({ cameras: 2, profile: 'fast', controllerEnv: shared.sharedEnv });
      const controller = ha.controller;
      assert.ok(controller !== null);
      a = { url: controller.url, process: controller.process, authHeader: controller.authHeader, stop: () => ha.stopController() };
      b = await startExtraController(shared);
      lab = await LabController.of(ha);
    });

    after(async () => {
      await b?.stop();
      await ha?.close();
      await shared?.drop();
    });

    const state = async (c: ExtraController): Promise<unknown> => {
      const answer = await getAs<ClusterState>(c, `/api/v1/clusters/${lab.clusterId}/state`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return stateView(answer.body);
    };
    const overview = async (c: ExtraController): Promise<unknown> => {
      const answer = await getAs<CameraPage>(c, `/api/v1/clusters/${lab.clusterId}/cameras?limit=100`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return overviewView(answer.body);
    };

    test('controller B gives the cluster state and the Device Overview that A, which the agents report to, gives', async () => {
      const steady = await ha.steady();
      const seen = (await sameOnBoth('the same cluster state on A and B', state, [a, b])) as ReturnType<typeof stateView> & { servingNodeId: string; nodes: Array<{ reachable: boolean; epoch: number }> };
      assert.equal(seen.servingNodeId, lab.nodeId(steady.serving), 'B shows the node that serves');
      assert.ok(seen.nodes.every((n) => n.reachable), 'B shows both nodes reachable, though neither reports to it');
      const cameras = (await sameOnBoth('the same Device Overview on A and B', overview, [a, b])) as Array<{ recording: boolean }>;
      assert.equal(cameras.length, ha.cameraIds.length);
      assert.ok(cameras.every((c) => c.recording));
    });

    test("A's /metrics counts the statuses it shares, most reports as a stamp alone; B, which no agent reports to, writes none", async () => {
      const counts = async (c: ExtraController): Promise<{ status: number; stamp: number; bytes: number }> => {
        const text = await (await fetch(`${c.url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
        const sample = (line: string): number => Number(/ (\S+)$/.exec(text.split('\n').find((l) => l.startsWith(`${line} `)) ?? ' NaN')?.[1]);
        return { status: sample('twinrec_status_share_writes_total{kind="status"}'), stamp: sample('twinrec_status_share_writes_total{kind="stamp"}'), bytes: sample('twinrec_status_share_status_bytes_total') };
      };
      await ha.steady();
      const from = await counts(a);
      // Both agents report every half second (fast profile). In a steady cluster only the statistics change, so a
      // whole status goes when they are statisticsShareIntervalMs (10 s) old. Watch a window longer than that (about
      // 48 reports), then, should the VM be slow, wait for that whole status with a generous bound.
      await new Promise((resolve) => setTimeout(resolve, 12_000));
      const to = await waitFor(
        'A to write a whole status again',
        async () => {
          const now = await counts(a);
          return now.status > from.status ? now : undefined;
        },
        30_000,
        250,
      );
      const [statuses, stamps] = [to.status - from.status, to.stamp - from.stamp];
      assert.ok(to.bytes > from.bytes, `whole statuses written: ${JSON.stringify({ from, to })}`);
      assert.ok(stamps > statuses, `more stamps than whole statuses: ${JSON.stringify({ from, to })}`);
      assert.deepEqual(await counts(b), { status: 0, stamp: 0, bytes: 0 });
    });

    test("a failover shows on B as on A, and an event stream on B gets the failover events A stored, each once", async () => {
      const { serving, standby } = await ha.steady();
      const t0 = new Date(Date.now() - 1_000).toISOString();
      const stream = await openEventStream(b, `?clusterId=${lab.clusterId}`);
      try {
        await ha.labAction(serving, 'crash');
        const after = (await sameOnBoth('both controllers to show the standby serving', async (c) => {
          const view = (await state(c)) as { servingNodeId: string | null };
          return view.servingNodeId === lab.nodeId(standby) ? view : { waiting: c === a ? 'A' : 'B' };
        }, [a, b], 60_000)) as { servingNodeId: string };
        assert.equal(after.servingNodeId, lab.nodeId(standby));
        // Every event A stored for the cluster since then, as its history lists them, reaches B's stream once.
        const storedOnA = await waitFor(
          'A to have stored a failover event',
          async () => {
            const answer = await getAs<{ items: Array<{ id: string; kind: string }> }>(a, `/api/v1/events?clusterId=${lab.clusterId}&since=${encodeURIComponent(t0)}&limit=1000`);
            return answer.body.items.some((e) => e.kind.startsWith('failover.')) ? answer.body.items : undefined;
          },
          30_000,
          250,
        );
        const ids = storedOnA.map((e) => e.id);
        await waitFor('B to stream every event A stored', async () => (ids.every((id) => stream.events.some((e) => e.id === id)) ? true : undefined), 10_000, 100).catch(() => {
          assert.fail(`B streamed ${JSON.stringify(stream.events.map((e) => e.kind))}; A stored ${JSON.stringify(storedOnA.map((e) => e.kind))}`);
        });
        // A moment more, for a second copy to show if one were coming.
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const counts = new Map<string, number>();
        for (const e of stream.events) counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
        assert.deepEqual([...counts].filter(([, n]) => n > 1), [], 'no event streamed twice');
        assert.ok(stream.events.some((e) => e.kind.startsWith('failover.')), 'the failover events are among them');
      } finally {
        stream.close();
      }
    });

    describe('the witness and freshness on B for a node that reports only to A', () => {
      let pair: AgentPair;
      before(async () => {
        pair = await agentPair(a, `share-probe-${Date.now()}`);
      });

      test('B answers alive for the peer reporting to A, and not once it stops; a report on A shows on B within about a second', async () => {
        // Node a reports to A only, node b to B only.
        const onB = { url: b.url };
        const reportB = async (witnessWindowMs: number) => {
          const answer = await postAsAgent(onB, pair.secret, 'report', pair.reportBody('b', { state: 'SECOND' }, { witnessWindowMs }));
          assert.equal(answer.status, 200, JSON.stringify(answer.body));
          return answer.body as { peer: { alive: boolean; lastReportAgoMs: number | null } };
        };
        const delaysMs: number[] = [];
        for (let i = 0; i < 20; i += 1) {
          const next = i % 2 === 0 ? 'PRIM' : 'ALONE';
          await pair.report('a', { state: next });
          const sentMs = performance.now();
          await waitFor(
            `B to show node a ${next}`,
            async () => {
              const view = await getAs<ClusterState>(b, `/api/v1/clusters/${pair.clusterId}/state`);
              return view.body.nodes.find((n) => n.nodeId === pair.a.id)?.state === next ? true : undefined;
            },
            5_000,
            10,
          );
          delaysMs.push(performance.now() - sentMs);
          const witness = await reportB(2_000);
          assert.equal(witness.peer.alive, true, `B's witness: node a reported to A ${String(witness.peer.lastReportAgoMs)} ms ago`);
          assert.ok(witness.peer.lastReportAgoMs !== null && witness.peer.lastReportAgoMs < 2_000);
        }
        const sorted = [...delaysMs].sort((x, y) => x - y);
        console.log(`# report on A shown on B: median ${Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0)} ms, max ${Math.round(sorted[sorted.length - 1] ?? 0)} ms over ${sorted.length}`);
        // Node a falls silent: B's witness stops vouching for it once its window passes, as A's would.
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        const witness = await reportB(2_000);
        assert.equal(witness.peer.alive, false, `B's witness after node a's silence: last report ${String(witness.peer.lastReportAgoMs)} ms ago`);
        assert.ok(witness.peer.lastReportAgoMs !== null && witness.peer.lastReportAgoMs >= 2_000);
        // And the other way: A sees node b, which reports only to B, reachable once B shared that report.
        await waitFor(
          'A to show node b reachable',
          async () => {
            const onA = await getAs<ClusterState>(a, `/api/v1/clusters/${pair.clusterId}/state`);
            return onA.body.nodes.find((n) => n.nodeId === pair.b.id)?.reachable === true ? true : undefined;
          },
          2_000,
          20,
        );
        // Deleting the cluster (through B) takes its shared statuses with it.
        const sharedRows = async (): Promise<number> => {
          const client = new pg.Client({ connectionString: shared.url });
          await client.connect();
          try {
            return (await client.query('SELECT node_id FROM node_status_share WHERE cluster_id = $1', [pair.clusterId])).rowCount ?? 0;
          } finally {
            await client.end();
          }
        };
        assert.equal(await sharedRows(), 2, 'both nodes\' statuses are shared');
        const current = await fetch(`${b.url}/api/v1/clusters/${pair.clusterId}`, { headers: b.authHeader });
        const deleted = await fetch(`${b.url}/api/v1/clusters/${pair.clusterId}`, { method: 'DELETE', headers: { ...b.authHeader, 'if-match': current.headers.get('etag') ?? '' } });
        assert.equal(deleted.status, 204, await deleted.text());
        assert.equal(await sharedRows(), 0, 'no shared status outlives its node');
      });
    });
  });
}

// The scripted lab run behind the reporting views' end-to-end tests (issue 18): the controller
// on a given database, a cloned pair of lab recorders with their agents and relay. The Serving
// node's recorder crashes (an automatic failover), the agent restarts it and backfills what it
// missed, then an operator switches back (a manual failover); config sync runs as the agents
// start. Then every view, read over REST (the rows of the SQL views themselves), must hold what
// happened.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BackfillStatus } from '../../contracts/controller-v1.js';
import { waitFor } from '../../lab/testing/harness.js';
import { startHaLab, type HaLab } from './ha-lab.js';
import { LabController, policySettings } from './lab-controller.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Agents report every 500 ms to 1 s: what the controller saw of a moment is this close to it. */
const reportSlackSeconds = 3;
/** What backfill cannot fill while the recorder runs (the lab's recorders start a frame or a few apart, under load more). */
const residualSecondsMax = 1;
/** What of the recording before a kill -9 the crashed node may lack (its recorder's open block, and under load the ones its writer had not reached). */
const crashLossMsMax = 4_000;

type Rows<T> = { rows: T[] };
interface FailoverRow { time: string; from_node: string; to_node: string; reason: string; trigger: string; detection_ms: number | null; switch_ms: number | null }
interface ServingRow { node: string; serving_seconds: number; spans: number }
interface GapRow { node: string; device_id: string; gap_seconds: number; missing_seconds: number; filled_seconds: number; state: string; start_at: string; end_at: string; resolved_at: string | null }
interface JobRow { node: string; state: string; bytes_done: number; missing_seconds_at_start: number; ended_at: string | null }
interface SyncRow { kind: string; node: string }

export function reportingViewsAfterLabRun(backend: string, dbUrl: () => Promise<{ url: string | undefined; drop(): Promise<void> }>): void {
  describe(`the reporting views after a scripted lab run, on ${backend}`, { timeout: 280_000 }, () => {
    let ha: HaLab;
    let lc: LabController;
    let drop: (() => Promise<void>) | undefined;
    let runFrom: string;
    let labFrom: string;

    const report = async <T>(name: string, from = runFrom): Promise<T[]> => {
      const answer = await lc.call<Rows<T>>('GET', `/api/v1/reports/${name}?clusterId=${lc.clusterId}&from=${from}`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body.rows;
    };
    const servingNode = async (): Promise<string | null> => {
      const states = await Promise.all(ha.recorders.map((r) => ha.agentState(r).catch(() => null)));
      return states.find((s) => s?.serving === true)?.nodeName ?? null;
    };
    const backfillOf = async (node: string): Promise<BackfillStatus | null> => ((await ha.agentState(node).catch(() => null)) as unknown as { backfill?: BackfillStatus | null } | null)?.backfill ?? null;

    before(async () => {
      labFrom = new Date().toISOString();
      const db = await dbUrl();
      drop = db.drop;
      ha = await startHaLab({ cameras: 2, fps: 10, profile: 'fast', controllerEnv: db.url === undefined ? {} : { TWINREC_DB_URL: db.url } });
      lc = await LabController.of(ha);
      // Failback by hand only, so that the run holds exactly the two changes it makes.
      await lc.apply({ put: policySettings({ failback: { policy: 'manual', holdDownSeconds: 3 }, failover: { capCount: 100 } }) });
    });
    after(async () => {
      await ha?.close();
      await drop?.();
    });

    test('two failovers (automatic, then a switch), a backfill and a config sync: each view holds them', async () => {
      const start = await ha.steady(60_000);
      // The run's rows from here: the lab's start may make a claim of its own (a peer whose recorder is still starting).
      runFrom = new Date().toISOString();
      await sleep(crashLossMsMax);
      const crashedAtMs = Date.now();
      await ha.labAction(start.serving, 'crash');
      await waitFor(`${start.standby} to serve`, async () => ((await servingNode()) === start.standby ? true : undefined), 30_000, 100);
      const failedOverAtMs = Date.now();
      // The agent restarts the crashed recorder after placeholders, then fills them from its peer.
      await waitFor(`${start.serving}'s backfill complete`, async () => {
        const b = await backfillOf(start.serving);
        return b !== null && b.dataComplete === true && b.placeholderSeconds === 0 && b.state === 'done' && b.bytesDone > 0 ? true : undefined;
      }, 120_000, 500);
      await waitFor(`${start.serving} a ready standby`, async () => {
        const s = await ha.agentState(start.serving);
        return s.state === 'SECOND' && s.healthy ? true : undefined;
      }, 60_000, 250);
      const switched = await waitFor('a switch accepted', async () => {
        const answer = await lc.call('POST', `/api/v1/clusters/${lc.clusterId}/switch`, { reason: 'reporting views lab run' });
        return answer.status === 202 ? answer : undefined;
      }, 30_000, 1_000);
      assert.equal(switched.status, 202);
      const switchedAtMs = Date.now();
      await waitFor(`${start.serving} to serve again`, async () => ((await servingNode()) === start.serving ? true : undefined), 30_000, 100);

      // The failover history: exactly the two, in order, with their figures.
      // Switch times are matched from the new node's endpoint claim (their matching has its own
      // tests in reports.test.ts); here the records themselves, with at least one switch time.
      let lastHistory: FailoverRow[] = [];
      const history = await waitFor('both failovers', async () => {
        const rows = await report<FailoverRow>('failover-history');
        lastHistory = rows;
        return rows.length >= 2 && rows.some((r) => r.switch_ms !== null) ? rows : undefined;
      }, 60_000, 500).catch((err: unknown) => {
        throw new Error(`${(err as Error).message}; the rows: ${JSON.stringify(lastHistory)}`);
      });
      assert.deepEqual(history.map((r) => [r.trigger, r.from_node, r.to_node]), [['automatic', start.serving, start.standby], ['manual', start.standby, start.serving]], JSON.stringify(history));
      assert.equal(history[1]?.reason, 'switch');
      assert.ok(history[0]?.detection_ms !== null && (history[0]?.detection_ms ?? -1) >= 0, 'the automatic one has its detection time');
      const [automaticAt, switchAt] = history.map((r) => Date.parse(r.time)) as [number, number];
      assert.ok(automaticAt >= crashedAtMs - 1_000 && automaticAt <= failedOverAtMs + 1_000, 'the automatic failover at the crash');
      assert.ok(switchAt >= failedOverAtMs && switchAt <= switchedAtMs + 1_000, 'the switch when it was asked for');

      // Serving time: the standby served from the failover to the switch, as the reports confirmed it.
      const serving = await waitFor('serving time of both nodes', async () => {
        const rows = await report<ServingRow>('serving-time-daily');
        const of = (node: string): number => rows.filter((r) => r.node === node).reduce((sum, r) => sum + r.serving_seconds, 0);
        const standbySeconds = of(start.standby);
        return of(start.serving) > 0 && standbySeconds >= (switchAt - automaticAt) / 1_000 - reportSlackSeconds ? { standbySeconds } : undefined;
      }, 60_000, 500);
      assert.ok(serving.standbySeconds <= (switchAt - automaticAt) / 1_000 + reportSlackSeconds, `${start.standby} served ${serving.standbySeconds} s between the two failovers (${(switchAt - automaticAt) / 1_000} s apart)`);

      // Gaps: the crashed node lacked each camera from the crash until its recorder ran again, and
      // backfill filled them: up to what a running recorder cannot reserve (the moment by which
      // the two recorders started apart, which the agent counts as complete; a gap row keeps it
      // as still missing, and is `filled` only once an audit lists nothing in it).
      let lastGaps: GapRow[] = [];
      const gaps = await waitFor('the crashed node\'s gaps, filled', async () => {
        const rows = (await report<GapRow>('camera-gaps')).filter((r) => r.node === start.serving);
        lastGaps = rows;
        const crash = rows.filter((r) => Date.parse(r.end_at) >= crashedAtMs);
        return ha.cameraIds.every((id) => crash.some((r) => r.device_id === id)) && rows.every((r) => r.missing_seconds <= residualSecondsMax) ? crash : undefined;
      }, 60_000, 500).catch((err: unknown) => {
        throw new Error(`${(err as Error).message}; the rows: ${JSON.stringify(lastGaps)}`);
      });
      for (const id of ha.cameraIds) {
        const filledSeconds = gaps.filter((g) => g.device_id === id).reduce((sum, g) => sum + g.filled_seconds, 0);
        assert.ok(filledSeconds >= 1, `${id}: backfill filled the crash gap (${filledSeconds} s): ${JSON.stringify(gaps)}`);
      }
      for (const gap of gaps) {
        assert.ok(gap.filled_seconds >= gap.gap_seconds - residualSecondsMax && (gap.state === 'filled') === (gap.missing_seconds === 0), JSON.stringify(gap));
        // A lab recorder writes a block when it closes it: kill -9 loses the open one, and under load (CI) the one or two
        // before it that its writer had not reached yet (seen: a gap from 2.x s before the crash). Still after the 4 s of
        // steady recording this run began with, so the gap is the crash's.
        assert.ok(Date.parse(gap.start_at) >= crashedAtMs - crashLossMsMax && Date.parse(gap.end_at) <= switchedAtMs, `the gap lies between the crash and the switch: ${JSON.stringify(gap)}, crash at ${new Date(crashedAtMs).toISOString()}`);
      }
      // A gap filled while the peer's newest block was still being written may leave its tail as a
      // second, later row (the part missing once that block landed); the first starts at the crash.
      for (const id of ha.cameraIds) {
        const firstStartMs = Math.min(...gaps.filter((g) => g.device_id === id).map((g) => Date.parse(g.start_at)));
        assert.ok(firstStartMs <= failedOverAtMs, `${id}: the gap starts at the crash: ${JSON.stringify(gaps)}`);
      }
      assert.deepEqual((await report<GapRow>('camera-gaps')).filter((r) => r.node === start.standby && Date.parse(r.end_at) >= crashedAtMs), [], 'the standby recorded throughout: no gap since the crash');

      // The backfill job that filled them.
      const jobs = await waitFor('the backfill job, done', async () => {
        const rows = (await report<JobRow>('backfill-jobs')).filter((r) => r.node === start.serving);
        return rows.some((r) => r.state === 'done') ? rows : undefined;
      }, 60_000, 500);
      const done = jobs.find((j) => j.state === 'done');
      assert.ok(done !== undefined && done.bytes_done > 0 && done.ended_at !== null, JSON.stringify(jobs));

      // Config sync: the pair's agents pushed and applied RecorderConfig.xml as they started.
      const sync = await waitFor('the config sync history', async () => {
        const rows = await report<SyncRow>('config-sync-history', labFrom);
        return rows.some((r) => r.kind.startsWith('config-sync.')) ? rows : undefined;
      }, 60_000, 500);
      assert.ok(sync.every((r) => r.kind.startsWith('config-sync.') && ha.recorders.includes(r.node)), JSON.stringify(sync));
    });
  });
}

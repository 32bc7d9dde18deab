// Backfill and failback end to end, with real processes: the controller, a cloned pair of lab
// recorders, their two agents and the relay. A node that returns after its recorder died gets
// placeholders before its recorder starts, then the peer's blocks over the agent API; only then
// does the automatic failback come. Afterwards both storages hold the same frames for the
// failover window (compared frame by frame on disk), and a client playing back through the
// shared address (ImageServer goto) finds a frame for every second of it. Faults: corruption in
// transit, the source agent killed mid-job, the target's storage full, placeholders mode, and a
// failback held by missing data (said once to the operator, done once a start command filled it).
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { ImageServerClient, labVmsToken, waitFor } from '../lab/testing/harness.js';
import type { EventPage, Event } from '../api/src/model/event.js';
import type { BackfillStatus } from '../contracts/controller-v1.js';
import { startHaLab, type HaLab } from './helpers/ha-lab.js';
import { agentLog, LabController, policySettings } from './helpers/lab-controller.js';
import { fillRecords, framesOnDisk } from './helpers/storage-on-disk.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const fps = 10;


describe('backfill and failback against the lab', { timeout: 600_000 }, () => {
  let ha: HaLab;
  let lc: LabController;
  let preferred: string;
  let other: string;

  const backfillOf = async (node: string): Promise<BackfillStatus> => {
    const state = (await ha.agentState(node)) as unknown as { backfill: BackfillStatus | null };
    assert.ok(state.backfill !== null && state.backfill !== undefined, `${node} reports a backfill status`);
    return state.backfill;
  };
  const agentCall = async (node: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${ha.agentOf(node).apiUrl}${path}`, { method, headers: { authorization: `Bearer ${ha.secret}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }), signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
  };
  const waitComplete = async (node: string, timeoutMs = 120_000): Promise<BackfillStatus> => {
    let last: BackfillStatus | null = null;
    try {
      return await waitFor(`${node}'s backfill to complete with nothing missing`, async () => {
        const b = await backfillOf(node).catch(() => null);
        last = b ?? last;
        // Nothing left to fill. What a placeholder cannot reserve while the recorder runs is the
        // moment by which the lab's two recorders started apart (a frame or a few, under load),
        // which the agent reports and counts as complete (within one block).
        return b !== null && b.dataComplete === true && b.placeholderSeconds === 0 && b.state === 'done' ? b : undefined;
      }, timeoutMs, 500);
    } catch (err) {
      throw new Error(`${(err as Error).message}; last status: ${JSON.stringify(last)}`);
    }
  };
  const servingNode = async (): Promise<string | null> => {
    const states = await Promise.all(ha.recorders.map((r) => ha.agentState(r).catch(() => null)));
    return states.find((s) => s?.serving === true)?.nodeName ?? null;
  };

  /** Before each fault: the preferred node serves again and both are complete. */
  const settled = async (): Promise<void> => {
    await waitFor(`${preferred} serving`, async () => ((await servingNode()) === preferred ? true : undefined), 120_000, 250);
    for (const node of ha.recorders) await waitComplete(node);
  };

  before(async () => {
    ha = await startHaLab({ cameras: 2, fps, profile: 'fast' });
    lc = await LabController.of(ha);
    [preferred, other] = ha.recorders as [string, string];
    await lc.apply({ put: policySettings({ preferredNodeId: lc.nodeId(preferred), failback: { policy: 'automatic', holdDownSeconds: 3 }, failover: { capCount: 100 } }) });
    await ha.steady(60_000);
    // The policy makes `preferred` the failback target: it serves once the hold-down passed.
    await waitFor(`${preferred} to serve`, async () => ((await servingNode()) === preferred ? true : undefined), 60_000, 250);
  });
  after(async () => {
    await ha?.close();
  });
  // A failed test must not leave its backfill settings to the next one (placeholders mode would
  // hold every later fill).
  afterEach(async () => {
    if (lc !== undefined) await lc.apply({ patch: { backfill: { mode: 'enabled', bandwidthMbps: 400, transfersMax: 4 } } });
  });

  test('the whole loop: crash, failover, placeholders, backfill, then failback; both storages equal and playback whole', async () => {
    // Let both record a while so the window has data on both sides of the hole.
    await sleep(6_000);
    const crashedAtMs = Date.now();
    await ha.labAction(preferred, 'crash');
    await waitFor(`${other} to serve`, async () => ((await servingNode()) === other ? true : undefined), 30_000, 100);
    // The agent starts the recorder again (supervision), after placeholders; the peer's blocks follow.
    const placeholders = await waitFor('placeholders before the restart', async () => agentLog(ha.agentOf(preferred).logPath, crashedAtMs, 'backfill.placeholders-created')[0], 60_000, 250);
    const restarted = await waitFor('the recorder restarted by the agent', async () => agentLog(ha.agentOf(preferred).logPath, crashedAtMs, 'recorder.restarting')[0], 60_000, 250);
    assert.ok(placeholders.time >= restarted.time, 'placeholders are made after the restart is decided and before the recorder runs');
    const done = await waitComplete(preferred);
    assert.ok(done.bytesDone > 0 && done.blocksDone > 0, `blocks were copied: ${JSON.stringify(done)}`);
    // Failback only now: the hold-down (3 s) passed long ago, but the node lacked data.
    await waitFor(`failback to ${preferred}`, async () => ((await servingNode()) === preferred ? true : undefined), 60_000, 250);
    const log = agentLog(ha.agentOf(other).logPath, crashedAtMs, 'failback.started');
    assert.equal(log.length, 1, 'one failback');
    const completed = agentLog(ha.agentOf(preferred).logPath, crashedAtMs, 'backfill.completed')[0];
    assert.ok(completed !== undefined && completed.time <= (log[0]?.time ?? 0), 'the failback came after the backfill completed');

    // Frame by frame, for a window around the hole that both nodes have sealed.
    const fromMs = crashedAtMs - 3_000;
    const toMs = restarted.time + 8_000;
    await sleep(Math.max(0, toMs + 6_000 - Date.now()));
    for (const cameraId of ha.cameraIds) {
      const a = framesOnDisk(ha.agentOf(preferred).storageDir, cameraId, fromMs, toMs);
      const b = framesOnDisk(ha.agentOf(other).storageDir, cameraId, fromMs, toMs);
      assert.ok(b.size >= ((toMs - fromMs) / 1000) * fps * 0.95, `${other} recorded the window (${b.size} frames)`);
      assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort(), `${cameraId}: the same frames on both nodes`);
      for (const [timeMs, digest] of a) assert.equal(b.get(timeMs), digest, `${cameraId} frame ${timeMs} equal on both`);
    }

    // Playback through the shared address (now the preferred node): a frame for every second of the hole.
    const client = await ImageServerClient.open(ha.sharedAddress.host, ha.sharedAddress.port, 5_000);
    try {
      const cameraId = ha.cameraIds[0] as string;
      client.connectCamera(cameraId, await labVmsToken(ha.description));
      assert.match(await client.nextXml(5_000), /<connected>yes<\/connected>/);
      for (let t = crashedAtMs; t <= restarted.time + 3_000; t += 1_000) {
        client.send('goto', `<time>${t}</time><compressionrate>90</compressionrate><keyframesonly>no</keyframesonly>`);
        const image = await client.nextImage(5_000);
        const currentMs = Number(image.headers['current']);
        assert.ok(currentMs <= t && t - currentMs <= 2 * (1000 / fps), `a frame at ${t}: got ${currentMs}`);
      }
    } finally {
      client.close();
    }
  });

  test('a failback held by missing data is said once to the operator, and comes once a start command has filled it', async () => {
    await settled();
    // Placeholders mode: the returning preferred node fills nothing until told, so the failback the policy asks for must wait.
    await lc.apply({ patch: { backfill: { mode: 'placeholders' } } });
    const since = new Date(Date.now() - 1_000).toISOString();
    await ha.labAction(preferred, 'crash');
    await waitFor(`${other} to serve`, async () => ((await servingNode()) === other ? true : undefined), 30_000, 100);
    await waitFor(`${preferred} back as a healthy standby, lacking data and waiting for a start command`, async () => {
      const [state, b] = await Promise.all([ha.agentState(preferred), backfillOf(preferred)]);
      return state.state === 'SECOND' && state.healthy && b.missingSeconds > 0 && b.state === 'idle' && /start command/.test(b.reason ?? '') ? true : undefined;
    }, 60_000, 250);
    const eventsOf = async (kind: string): Promise<Event[]> => {
      const answer = await lc.call<EventPage>('GET', `/api/v1/events?clusterId=${lc.clusterId}&since=${encodeURIComponent(since)}&limit=1000`);
      return answer.body.items.filter((e) => e.kind === kind);
    };
    // The hold-down is 3 s: well past it, the Serving node has said why the failback has not come.
    const waiting = await waitFor('failback.waiting among the events', async () => {
      const found = await eventsOf('failback.waiting');
      return found.length > 0 ? found : undefined;
    }, 30_000, 250);
    assert.equal(waiting[0]?.nodeId, lc.nodeId(other), 'said by the Serving node');
    assert.match(waiting[0]?.message ?? '', /lacks recorded data/);
    await sleep(4_000);
    assert.equal(await servingNode(), other, 'no failback while the preferred node lacks data');
    assert.equal((await eventsOf('failback.waiting')).length, 1, 'said once per wait, not on every heartbeat');

    assert.equal((await ha.command(preferred, 'backfill-start')).status, 200);
    await waitComplete(preferred);
    await waitFor(`failback to ${preferred}`, async () => ((await servingNode()) === preferred ? true : undefined), 60_000, 250);
    // Agents send their events with their reports (about once a second): wait for it to be stored.
    const failbacks = await waitFor('failback.started among the events', async () => {
      const found = await eventsOf('failback.started');
      return found.length > 0 ? found : undefined;
    }, 30_000, 250);
    assert.equal(failbacks.length, 1, 'one failback, after the fill');
  });

  test('placeholders mode: placeholders, nothing filled until a start command; a corrupt block in transit is rejected and copied again', async () => {
    await settled();
    await lc.apply({ patch: { backfill: { mode: 'placeholders' } } });
    // The standby (not serving) is stopped by command for a while, then started: a hole of ~8 s.
    const t0 = Date.now();
    assert.equal((await ha.command(other, 'stop')).status, 200);
    await sleep(8_000);
    assert.equal((await ha.command(other, 'start')).status, 200);
    const waiting = await waitFor('placeholders, and filling waiting for a start', async () => {
      const b = await backfillOf(other);
      return b.placeholderSeconds > 0 && b.missingSeconds > 0 && b.state === 'idle' ? b : undefined;
    }, 60_000, 500);
    assert.match(waiting.reason ?? '', /start command/);
    const fillsBefore = ha.cameraIds.map((id) => fillRecords(ha.agentOf(other).storageDir, id).length);
    await sleep(6_000);
    assert.deepEqual(ha.cameraIds.map((id) => fillRecords(ha.agentOf(other).storageDir, id).length), fillsBefore, 'nothing filled without the start command');
    assert.ok((await backfillOf(other)).placeholderSeconds > 0);

    // Two blocks are corrupted on their way from the source (the preferred node's agent).
    const fault = await agentCall(preferred, 'POST', '/api/v1/testing/backfill', { corruptBlocks: 2 });
    assert.equal(fault.status, 200, JSON.stringify(fault.body));
    const started = await ha.command(other, 'backfill-start');
    assert.equal(started.status, 200, JSON.stringify(started.body));
    await waitComplete(other);
    const rejected = agentLog(ha.agentOf(other).logPath, t0, 'backfill.block-rejected');
    assert.ok(rejected.length >= 2, `corrupt blocks rejected (${rejected.length})`);
    assert.equal(agentLog(ha.agentOf(other).logPath, t0, 'backfill.block-failed').length, 0, 'and copied again, not given up');
    for (const cameraId of ha.cameraIds) {
      const fills = fillRecords(ha.agentOf(other).storageDir, cameraId);
      assert.equal(new Set(fills).size, fills.length, `${cameraId}: no block filled twice`);
    }
    await lc.apply({ patch: { backfill: { mode: 'enabled' } } });
  });

  test('the source agent killed mid-job: the job waits, resumes from its cursor and copies no block twice', async () => {
    await settled();
    // A slow budget, so the job is still running when the source goes away.
    await lc.apply({ patch: { backfill: { bandwidthMbps: 1, transfersMax: 1 } } });
    const t0 = Date.now();
    assert.equal((await ha.command(other, 'stop')).status, 200);
    await sleep(15_000);
    assert.equal((await ha.command(other, 'start')).status, 200);
    await waitFor('the job running', async () => ((await backfillOf(other)).blocksDone > 0 && (await backfillOf(other)).state === 'running' ? true : undefined), 60_000, 200);
    const source = `agent-${preferred}`;
    await ha.labAction(source, 'crash');
    await waitFor('the job waiting for the peer', async () => ((await backfillOf(other)).state === 'waiting-for-peer' ? true : undefined), 60_000, 250);
    const doneWhileAway = (await backfillOf(other)).blocksDone;
    await sleep(2_000);
    assert.equal((await backfillOf(other)).blocksDone, doneWhileAway, 'nothing copied while the source is away');
    await ha.labAction(source, 'start');
    await lc.apply({ patch: { backfill: { bandwidthMbps: 400, transfersMax: 4 } } });
    await waitComplete(other);
    for (const cameraId of ha.cameraIds) {
      const fills = fillRecords(ha.agentOf(other).storageDir, cameraId);
      assert.equal(new Set(fills).size, fills.length, `${cameraId}: no block filled twice`);
    }
    assert.ok(agentLog(ha.agentOf(other).logPath, t0, 'backfill.completed').length >= 1);
  });

  test('a Switch to a node that lacks data: 409 with what it lacks; force switches and is audited', async () => {
    await settled();
    await lc.apply({ patch: { backfill: { mode: 'placeholders' } } });
    assert.equal((await ha.command(other, 'stop')).status, 200);
    await sleep(5_000);
    assert.equal((await ha.command(other, 'start')).status, 200);
    const lacking = await waitFor(`${other} lacking data, reported to the controller`, async () => {
      const answer = await lc.call<{ nodes: Array<{ name: string; backfill: BackfillStatus | null }> }>('GET', `/api/v1/clusters/${lc.clusterId}/backfill`);
      const node = answer.body.nodes.find((n) => n.name === other);
      return node?.backfill != null && node.backfill.missingSeconds > 0 && node.backfill.dataComplete === false ? node.backfill : undefined;
    }, 60_000, 500);
    await waitFor(`${other} a healthy standby again`, async () => {
      const state = await ha.agentState(other);
      return state.state === 'SECOND' && state.healthy ? true : undefined;
    }, 60_000, 250);
    const refused = await lc.call<Record<string, unknown>>('POST', `/api/v1/clusters/${lc.clusterId}/switch`, { reason: 'test' });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.type, 'urn:twinrec:problem:target-missing-data');
    assert.equal(refused.body.nodeName, other);
    assert.ok((refused.body.missingSeconds as number) > 0 && (refused.body.cameras as unknown[]).length === ha.cameraIds.length, JSON.stringify(refused.body));
    assert.ok(lacking.missingSeconds > 0);
    assert.equal(await servingNode(), preferred, 'nothing switched');

    // The Serving agent hears the standby healthy by heartbeat, a moment after the standby says so
    // itself: until then it refuses with peer-not-ready, which is not what this test is about.
    const forced = await waitFor('the forced switch accepted', async () => {
      const answer = await lc.call<Record<string, unknown>>('POST', `/api/v1/clusters/${lc.clusterId}/switch`, { reason: 'test', force: true });
      return answer.status === 409 && answer.body.reason === 'peer-not-ready' ? undefined : answer;
    }, 30_000, 500);
    assert.equal(forced.status, 202, JSON.stringify(forced.body));
    await waitFor(`${other} serving`, async () => ((await servingNode()) === other ? true : undefined), 30_000, 250);
    const audit = await lc.call<{ items: Array<{ action: string; outcome: string; details: Record<string, unknown> | null }> }>('GET', '/api/v1/audit?limit=20');
    const switches = audit.body.items.filter((entry) => entry.action === 'cluster.switch').map((entry) => [entry.outcome, entry.details?.forced]);
    assert.deepEqual(switches[0], ['success', true], JSON.stringify(switches));
    assert.ok(switches.some(([outcome, forced]) => outcome === 'failure' && forced === false), JSON.stringify(switches));

    // The preferred node lacks nothing: the automatic failback to it follows the hold-down.
    await waitFor(`failback to ${preferred}`, async () => ((await servingNode()) === preferred ? true : undefined), 60_000, 250);
    const fillsOnDisk = (): number => ha.cameraIds.reduce((sum, id) => sum + fillRecords(ha.agentOf(other).storageDir, id).length, 0);
    const fillsBefore = fillsOnDisk();
    assert.equal((await ha.command(other, 'backfill-start')).status, 200);
    await waitFor('blocks filled on command', async () => (fillsOnDisk() > fillsBefore ? true : undefined), 60_000, 250);
    // Back to automatic: a later stop of its recorder (a config sync after the failback) fills by itself.
    await lc.apply({ patch: { backfill: { mode: 'enabled' } } });
    await waitComplete(other);
  });

  test('a recorder started by hand, before the agent could place placeholders: a warning event, and backfill still converges', async () => {
    await settled();
    const t0 = Date.now();
    assert.equal((await ha.command(other, 'stop')).status, 200);
    await sleep(6_000);
    // Started through the service manager, not through twinrec (seed 000 warns against exactly this).
    await ha.labAction(other, 'start');
    assert.equal((await ha.command(other, 'start')).status, 200);
    const blocked = await waitFor('the placeholders-blocked warning', async () => agentLog(ha.agentOf(other).logPath, t0, 'backfill.placeholders-blocked')[0], 60_000, 250);
    assert.equal(blocked.level, 40, 'a warning');
    // The standby stops its recorder for a moment to place them, then fills.
    await waitFor('the placeholder window', async () => agentLog(ha.agentOf(other).logPath, t0, 'backfill.placeholder-window')[0], 60_000, 250);
    const frames = (): number[] => ha.cameraIds.map((cameraId) => framesOnDisk(ha.agentOf(other).storageDir, cameraId, t0 + 1_000, t0 + 5_000).size);
    await waitFor('the hole filled', async () => (frames().every((count) => count >= 4 * fps) ? true : undefined), 60_000, 500).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}: ${frames().join(', ')} frames in 4 s`);
    });
    await waitComplete(other);
  });

  test("the target's storage full: backfill pauses with an event and resumes once there is space", async () => {
    await settled();
    const t0 = Date.now();
    // Placeholders mode holds the filling until the storage is full.
    await lc.apply({ patch: { backfill: { mode: 'placeholders' } } });
    assert.equal((await ha.command(other, 'stop')).status, 200);
    await sleep(6_000);
    assert.equal((await ha.command(other, 'start')).status, 200);
    await waitFor('placeholders', async () => ((await backfillOf(other)).placeholderSeconds > 0 ? true : undefined), 60_000, 250);
    const storageFault = (mode: string): Promise<Response> => fetch(`${ha.description.control.url}/lab/recorders/${other}/storage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode }) });
    await waitFor(`${other}'s recorder running`, async () => ((await storageFault('full')).status === 200 ? true : undefined), 60_000, 500);
    // The agent learns it as an XProtect agent would: GetRecordingStorageStatus says no free space.
    await waitFor(`${other}'s agent to see its storage full`, async () => {
      const state = (await ha.agentState(other)) as unknown as { storages: Array<{ freeSpaceBytes: number }> };
      return state.storages.length > 0 && state.storages.every((storage) => storage.freeSpaceBytes === 0) ? true : undefined;
    }, 30_000, 250);
    assert.equal((await ha.command(other, 'backfill-start')).status, 200);
    const paused = await waitFor('backfill paused: storage full', async () => {
      const b = await backfillOf(other);
      return b.state === 'paused' && /full/.test(b.reason ?? '') ? b : undefined;
    }, 60_000, 250);
    assert.ok(paused.missingSeconds > 0);
    assert.ok(agentLog(ha.agentOf(other).logPath, t0, 'backfill.paused').length >= 1, 'a paused event');
    const fillsWhileFull = ha.cameraIds.map((id) => fillRecords(ha.agentOf(other).storageDir, id).length);
    await sleep(3_000);
    assert.deepEqual(ha.cameraIds.map((id) => fillRecords(ha.agentOf(other).storageDir, id).length), fillsWhileFull, 'nothing written while the storage is full');
    assert.equal((await storageFault('online')).status, 200);
    await lc.apply({ patch: { backfill: { mode: 'enabled' } } });
    // What the full storage could not record is reserved at a short stop of this standby, then filled too.
    await waitComplete(other, 180_000);
  });
});

// The faults the failover bench measures, each as one run against a running HA lab (the
// controller, a cloned pair, its two agents, the relay). A run starts from a steady pair
// (one node serves, the other is a SECOND standby, both record every camera), injects its
// fault at t0, measures, and puts the pair back together so the next run starts steady.
import { profileTimings, type FailoverProfile } from '../contracts/cluster-policy-v1.js';
import { waitFor } from '../lab/testing/harness.js';
import { loggedEventTimes } from '../test/helpers/agent-events.js';
import { allRecording, type HaLab, type LiveViewer } from '../test/helpers/ha-lab.js';
import { camerasNotReceivedByAll, fetchEmitted } from './hub-emitted.js';

export const faultKinds = ['recorder-kill', 'host-death', 'host-freeze', 'partition'] as const;
export type FaultKind = (typeof faultKinds)[number];

export const faultTitles: Readonly<Record<FaultKind, string>> = {
  'recorder-kill': 'kill -9 of the Serving recorder',
  'host-death': "host death: the Serving node's agent and recorder SIGKILLed together",
  'host-freeze': "host freeze: the Serving node's agent and recorder SIGSTOPped, then resumed",
  partition: 'peer partition: heartbeats cut both ways, the controller reachable by both',
};

/** What a failover run measured, in ms after the fault. */
export interface FailoverFigures {
  readonly kind: 'failover';
  /** Wall-clock time of the fault. */
  readonly faultAtMs: number;
  readonly detectionMs: number;
  readonly relayMs: number;
  readonly frameMs: number;
  /** host-freeze only: whether the resumed node stepped down (and the relay never went back to it). */
  readonly steppedDown: { readonly ok: boolean; readonly detail: string } | null;
}

/** What a partition run measured. */
export interface PartitionFigures {
  readonly kind: 'partition';
  readonly faultAtMs: number;
  /** When the standby logged that the link is down but the witness still sees the peer, ms after the cut; null if it did not. */
  readonly linkDownMs: number | null;
  /** `failover.claiming` events from either agent while the link was cut and just after. */
  readonly failovers: number;
  /** The same node serves under the same epoch after the link is back. */
  readonly servingUnchanged: boolean;
}

export type RunFigures = FailoverFigures | PartitionFigures;

export interface RunContext {
  readonly ha: HaLab;
  readonly viewer: LiveViewer;
  readonly profile: FailoverProfile;
}


const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How long both recorders must have received every camera before a fault: longer than a recorder's write-behind. */
const redundantForMs = 2_000;

/**
 * A steady pair (one Serving, a SECOND standby, both reporting every camera recording) that is
 * redundant: the camera hub wrote every frame of the last `redundantForMs` of every camera to
 * both recorders. A recorder loses the frames it accepted but had not written yet when it is
 * killed (up to about a second at 64 cameras on a loaded machine); only a peer that received
 * them too makes that no loss, so a fault before then would measure a double failure.
 */
async function steadyStart(ctx: RunContext): Promise<{ serving: string; standby: string; epoch: number }> {
  await ctx.ha.steady(120_000);
  await allRecording(ctx.ha, 100);
  let lacking: string[] = [];
  await waitFor(
    `both recorders receiving every camera for ${redundantForMs} ms`,
    async () => {
      // The newest 200 ms may not be due yet at the hub's last tick.
      const toMs = Date.now() - 200;
      const fromMs = toMs - redundantForMs;
      lacking = camerasNotReceivedByAll(await fetchEmitted(ctx.ha.description.cameraHub.url, fromMs, toMs), ctx.ha.cameraIds, ctx.ha.recorders, fromMs, toMs);
      return lacking.length === 0 ? true : undefined;
    },
    60_000,
    200,
  ).catch((err: unknown) => {
    throw new Error(`${(err as Error).message} (${lacking.length} camera(s) not sent to both, e.g. ${lacking[0] ?? ''})`);
  });
  return ctx.ha.steady(120_000);
}

/** Relay move and first live frame through the shared address after t0, as a Smart Client sees them. */
async function clientSide(ctx: RunContext, standby: string, t0: number): Promise<{ relayMs: number; frameMs: number }> {
  let relayAt = 0;
  await waitFor(
    'the relay to move',
    async () => {
      if ((await ctx.ha.relayTarget()) !== standby) return undefined;
      relayAt = Date.now();
      return true;
    },
    60_000,
    5,
  );
  // The first frame on a connection opened after the fault: frames already in flight from the
  // old Serving recorder do not count.
  const frameAt = await waitFor('a live frame through the shared address', () => ctx.viewer.connections.find((c) => c.connectedAtMs > t0)?.firstFrameAtMs, 60_000, 5);
  return { relayMs: relayAt - t0, frameMs: frameAt - t0 };
}

function eventAfter(ctx: RunContext, node: string, kind: string, t0: number, timeoutMs = 30_000): Promise<number> {
  return waitFor(`${kind} in the log of ${node}'s agent`, () => loggedEventTimes(ctx.ha.agentOf(node).logPath, kind, t0)[0], timeoutMs, 100);
}

/** kill -9 of the Serving recorder: its own agent sees it (`failover.local-health`) and hands over. */
async function recorderKill(ctx: RunContext): Promise<RunFigures> {
  const start = await steadyStart(ctx);
  const t0 = Date.now();
  await ctx.ha.labAction(start.serving, 'crash');
  const client = await clientSide(ctx, start.standby, t0);
  const detectedAt = await eventAfter(ctx, start.serving, 'failover.local-health', t0);
  // The agent restarts its recorder by itself; the next run's steady start waits for it.
  return { kind: 'failover', faultAtMs: t0, detectionMs: detectedAt - t0, ...client, steppedDown: null };
}

/** Power loss of the Serving host: nobody on it says anything; the peer must notice the silence. */
async function hostDeath(ctx: RunContext): Promise<RunFigures> {
  const start = await steadyStart(ctx);
  const agent = ctx.ha.agentOf(start.serving).name;
  const t0 = Date.now();
  await Promise.all([ctx.ha.labAction(agent, 'crash'), ctx.ha.labAction(start.serving, 'crash')]);
  const client = await clientSide(ctx, start.standby, t0);
  const detectedAt = await eventAfter(ctx, start.standby, 'failover.claiming', t0);
  // The host comes back: its agent starts and starts its recorder (placeholders first), as after a reboot.
  await ctx.ha.labAction(agent, 'start');
  return { kind: 'failover', faultAtMs: t0, detectionMs: detectedAt - t0, ...client, steppedDown: null };
}

/** A frozen Serving host (both processes SIGSTOPped): the peer takes over; once resumed, the old node must step down. */
async function hostFreeze(ctx: RunContext): Promise<RunFigures> {
  const start = await steadyStart(ctx);
  const agent = ctx.ha.agentOf(start.serving).name;
  const t0 = Date.now();
  await Promise.all([ctx.ha.labAction(agent, 'hang'), ctx.ha.labAction(start.serving, 'hang')]);
  let figures: { relayMs: number; frameMs: number };
  let detectedAt: number;
  try {
    figures = await clientSide(ctx, start.standby, t0);
    detectedAt = await eventAfter(ctx, start.standby, 'failover.claiming', t0);
  } finally {
    await Promise.all([ctx.ha.labAction(start.serving, 'resume'), ctx.ha.labAction(agent, 'resume')]);
  }
  const steppedDown = await watchResumed(ctx, start.serving, start.standby, start.epoch);
  return { kind: 'failover', faultAtMs: t0, detectionMs: detectedAt - t0, ...figures, steppedDown };
}

/**
 * After a frozen node resumes: it must stop claiming the Serving role (its agent says it does
 * not serve and is SECOND), the peer must serve under an epoch above the frozen node's, and the
 * relay must stay on the peer meanwhile (sampled for 5 s).
 */
async function watchResumed(ctx: RunContext, resumed: string, peer: string, frozenEpoch: number): Promise<{ ok: boolean; detail: string }> {
  const resumedAt = Date.now();
  let relaySamplesOnResumed = 0;
  const watchRelay = (async (): Promise<void> => {
    while (Date.now() - resumedAt < 5_000) {
      const target = await ctx.ha.relayTarget().catch(() => null);
      if (target !== null && target !== peer) relaySamplesOnResumed += 1;
      await sleep(20);
    }
  })();
  try {
    const steppedDownAfterMs = await waitFor(
      `${resumed} to step down after resuming`,
      async () => {
        const s = await ctx.ha.agentState(resumed);
        return !s.serving && s.state === 'SECOND' ? Date.now() - resumedAt : undefined;
      },
      60_000,
      50,
    );
    const peerState = await ctx.ha.agentState(peer);
    await watchRelay;
    const ok = relaySamplesOnResumed === 0 && peerState.serving && peerState.epoch > frozenEpoch;
    return { ok, detail: `${resumed} SECOND ${steppedDownAfterMs} ms after resuming; ${peer} serves under epoch ${peerState.epoch} (frozen node's: ${frozenEpoch}); relay samples on ${resumed}: ${relaySamplesOnResumed}` };
  } catch (err) {
    await watchRelay;
    return { ok: false, detail: (err as Error).message };
  }
}

/**
 * Heartbeats cut both ways while both agents still report to the controller: the witness
 * vouches for the peer, so nobody may fail over. Held for twice the peer timeout plus two
 * seconds after the standby notices, then the link is restored.
 */
async function partition(ctx: RunContext): Promise<RunFigures> {
  const start = await steadyStart(ctx);
  const t0 = Date.now();
  const holdMs = 2 * profileTimings[ctx.profile].peerTimeoutMs + 2_000;
  let linkDownAt: number | null = null;
  await Promise.all(ctx.ha.recorders.map((n) => ctx.ha.dropHeartbeats(n, true)));
  try {
    linkDownAt = await eventAfter(ctx, start.standby, 'peer.link-down', t0, 20_000).catch(() => null);
    await sleep(holdMs);
  } finally {
    await Promise.all(ctx.ha.recorders.map((n) => ctx.ha.dropHeartbeats(n, false)));
  }
  // A claim decided just before the link came back would show within a report interval or two.
  await sleep(2_000);
  const failovers = ctx.ha.recorders.reduce((sum, n) => sum + loggedEventTimes(ctx.ha.agentOf(n).logPath, 'failover.claiming', t0).length, 0);
  const end = await ctx.ha.steady(120_000);
  return { kind: 'partition', faultAtMs: t0, linkDownMs: linkDownAt === null ? null : linkDownAt - t0, failovers, servingUnchanged: end.serving === start.serving && end.epoch === start.epoch };
}

export const runFault: Readonly<Record<FaultKind, (ctx: RunContext) => Promise<RunFigures>>> = {
  'recorder-kill': recorderKill,
  'host-death': hostDeath,
  'host-freeze': hostFreeze,
  partition,
};

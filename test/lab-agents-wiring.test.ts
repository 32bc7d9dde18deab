// `twinrec lab up --with-agents`: per pair a relay on the cluster's shared address and one
// twinrec agent per recorder, supervised by the lab's control process like every other lab
// process. Real processes throughout: the agents elect one Serving node, it claims the relay,
// and a client of the shared address reaches that node's recording server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { loadAgentConfig } from '../agent/config/agent-config.js';
import { labEntry } from '../lab/spawn.js';
import { readLabState } from '../lab/state.js';
import { isRunning } from '../lab/up.js';
import { startLab, waitFor, type AgentEndpoints, type ClusterEndpoints, type RecorderEndpoints } from '../lab/testing/harness.js';

interface AgentState {
  readonly nodeName: string;
  readonly state: string;
  readonly serving: boolean;
  readonly healthy: boolean;
  readonly service: string;
}

/** How long the settled pair must stay settled (config sync runs within the first seconds). */
const HOLD_MS = 15_000;

/** The last lines of an agent's log, reduced to their events and messages, for failure messages. */
function logTail(path: string | null, lines = 8): string {
  if (path === null) return '(no log)';
  try {
    return readFileSync(path, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((line) => {
        try {
          const entry = JSON.parse(line) as { event?: unknown; msg?: unknown };
          return `  ${String(entry.event ?? '-')}: ${String(entry.msg ?? '').slice(0, 300)}`;
        } catch {
          return `  ${line.slice(0, 300)}`;
        }
      })
      .join('\n');
  } catch {
    return `(cannot read ${path})`;
  }
}

async function getJson(url: string, secret: string | null): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { headers: secret === null ? {} : { authorization: `Bearer ${secret}` }, signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  return { status: res.status, body: text.length > 0 ? (JSON.parse(text) as unknown) : null };
}

/** Runs `twinrec lab <args>` and returns its exit code and stderr (for argument errors). */
function labExit(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  const entry = labEntry();
  return new Promise((resolve) => {
    execFile(entry.command, [...entry.args, 'lab', ...args], { timeout: 60_000, killSignal: 'SIGKILL' }, (err, _stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stderr });
    });
  });
}

describe('lab up --with-agents', () => {
  it('refuses a --controller that is not an http(s) URL and an unknown --agent-profile (exit 2)', async () => {
    const badController = await labExit(['up', '--with-agents', '--controller', 'ftp://127.0.0.1:21', '--dir', '/nonexistent/never-created']);
    assert.equal(badController.code, 2);
    assert.match(badController.stderr, /--controller.*http:\/\/ or https:\/\//s);
    const badProfile = await labExit(['up', '--with-agents', '--agent-profile', 'reckless', '--dir', '/nonexistent/never-created']);
    assert.equal(badProfile.code, 2);
    assert.match(badProfile.stderr, /conservative or fast/);
    const withoutAgents = await labExit(['up', '--agent-profile', 'fast', '--dir', '/nonexistent/never-created']);
    assert.equal(withoutAgents.code, 2);
    assert.match(withoutAgents.stderr, /need --with-agents/);
  });

  it('starts a relay and two agents per pair; one agent serves, claims the relay, and the shared address reaches its recorder', async () => {
    const lab = await startLab(['--pairs', '1', '--cameras', '2', '--fps', '5', '--with-agents']);
    try {
      const pair = lab.description.pairs[0];
      assert.ok(pair !== undefined);
      const cluster = pair.cluster as ClusterEndpoints;
      assert.ok(cluster !== undefined, 'the pair describes its cluster');
      assert.equal(cluster.name, 'lab-pair-1');
      assert.equal(cluster.sharedAddress.host, '127.0.0.1');
      assert.equal(typeof cluster.relay.pid, 'number');
      assert.equal(cluster.relay.status, 'running');
      assert.match(cluster.relay.controlUrl, /^http:\/\/127\.0\.0\.1:\d+$/);

      const recorders = pair.recorders as [RecorderEndpoints, RecorderEndpoints];
      assert.equal(recorders.length, 2);
      const agents = recorders.map((r) => {
        const agent = r.agent as AgentEndpoints;
        assert.ok(agent !== undefined, `${r.name} describes its agent`);
        assert.equal(agent.name, `agent-${r.name}`);
        assert.equal(typeof agent.pid, 'number');
        assert.equal(agent.status, 'running');
        assert.match(agent.apiUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
        assert.ok(agent.heartbeatPort > 0);
        return agent;
      });

      // Every pid is known to the harness and to lab.json (so `lab down` stops them too).
      const pids = lab.pids();
      for (const pid of [cluster.relay.pid, ...agents.map((a) => a.pid)]) assert.ok(typeof pid === 'number' && pids.includes(pid) && isRunning(pid), `pid ${String(pid)} runs`);
      const state = await readLabState(lab.dir);
      for (const name of ['relay-pair-1', 'agent-recorder-1a', 'agent-recorder-1b']) assert.equal(state.processes.find((p) => p.name === name)?.status, 'running', `${name} in lab.json`);

      // The files: secrets 0600, agent.json valid for the agent's own schema.
      const secret = readFileSync(cluster.secretFile, 'utf8').trim();
      assert.ok(secret.length >= 32);
      assert.equal(statSync(cluster.secretFile).mode & 0o777, 0o600);
      for (const [rank, recorder] of recorders.entries()) {
        const agent = agents[rank] as AgentEndpoints;
        const config = loadAgentConfig(agent.configPath);
        assert.equal(config.node.id, recorder.name);
        assert.equal(config.node.rank, rank);
        assert.equal(config.configSync.role, rank === 0 ? 'source' : 'target');
        assert.equal(config.failover.preferredNodeId, 'recorder-1a');
        assert.equal(config.testing.faultInjection, true);
        assert.equal(config.controller, undefined);
        assert.equal(config.recorder.recorderConfigPath, recorder.recorderConfigPath);
        assert.deepEqual(config.storage, { adapter: 'lab-format', root: recorder.storageDir, refreshIntervalMs: 5_000, maxCameras: 4_096, retainMinutes: 1_440 }, 'the agent reads its recorder\'s storage for the spans and backfill, with the site\'s retention');
        assert.equal(statSync(config.recorder.passwordFile as string).mode & 0o777, 0o600);
      }

      // Each agent's API answers, with the cluster secret only.
      for (const agent of agents) {
        assert.equal((await getJson(`${agent.apiUrl}/api/v1/state`, null)).status, 401);
        assert.equal((await getJson(`${agent.apiUrl}/api/v1/state`, secret)).status, 200, `${agent.name} answers`);
      }

      // The generic lifecycle routes know agents: a start while running is refused.
      const again = await fetch(`${lab.description.control.url}/lab/processes/agent-recorder-1a/start`, { method: 'POST', signal: AbortSignal.timeout(5_000) });
      assert.equal(again.status, 409);
      await again.body?.cancel();

      const logs = (): string => agents.map((a) => `${a.name} (${a.logPath ?? '?'}):\n${logTail(a.logPath)}`).join('\n');
      const states = async (): Promise<AgentState[]> => Promise.all(agents.map(async (a) => (await getJson(`${a.apiUrl}/api/v1/state`, secret)).body as AgentState));

      // Exactly one serves, the other is SECOND, and the relay points at the serving one.
      const settled = await waitFor(
        'one Serving agent, the other SECOND, and the relay pointing at the Serving one',
        async () => {
          const now = await states();
          const serving = now.filter((s) => s.serving);
          const second = now.filter((s) => !s.serving && s.state === 'SECOND');
          if (serving.length !== 1 || second.length !== 1) return undefined;
          const relay = await getJson(`${cluster.relay.controlUrl}/state`, secret);
          const target = (relay.body as { target: { nodeId: string; host: string; port: number } | null }).target;
          if (relay.status !== 200 || target?.nodeId !== serving[0]?.nodeName) return undefined;
          return { serving: serving[0] as AgentState, target: target as { nodeId: string; host: string; port: number } };
        },
        60_000,
        500,
      ).catch((err: unknown) => {
        throw new Error(`${(err as Error).message}\n${logs()}`);
      });
      const servingRecorder = recorders.find((r) => r.name === settled.serving.nodeName);
      assert.ok(servingRecorder !== undefined, `the serving node ${settled.serving.nodeName} is a recorder of the pair`);
      assert.equal(settled.target.port, servingRecorder.imageServer.port);

      // A client of the shared address reaches the serving recorder's web server.
      const wsdl = await fetch(`http://${cluster.sharedAddress.host}:${cluster.sharedAddress.port}/RecorderStatusService/RecorderStatusService2.asmx?wsdl`, { signal: AbortSignal.timeout(10_000) });
      assert.equal(wsdl.status, 200);
      const text = await wsdl.text();
      assert.match(text, /definitions/);
      assert.match(text, /XProtectCSRecorderStatus2/);

      // And it stays so: config sync between the two agents must not take either recorder down
      // (both recorders keep running, the standby stays SECOND and healthy).
      const holdUntil = Date.now() + HOLD_MS;
      while (Date.now() < holdUntil) {
        const [now, lab2] = await Promise.all([states(), getJson(`${lab.description.control.url}/lab`, null)]);
        const recorderStatus = ((lab2.body as { pairs: Array<{ recorders: Array<{ name: string; status: string }> }> }).pairs[0]?.recorders ?? []).map((r) => `${r.name}=${r.status}`);
        const summary = `agents: ${now.map((s) => `${s.nodeName} ${s.state} serving=${String(s.serving)} healthy=${String(s.healthy)} service=${s.service}`).join('; ')}; recorders: ${recorderStatus.join(', ')}`;
        const ok =
          recorderStatus.every((r) => r.endsWith('=running')) &&
          now.some((s) => s.serving && s.nodeName === settled.serving.nodeName) &&
          now.some((s) => !s.serving && s.state === 'SECOND' && s.healthy);
        assert.ok(ok, `the pair did not stay settled: ${summary}\n${logs()}`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    } finally {
      await lab.stop();
    }
    // stop() has collected the pids of every process the lab reported, restarted ones included.
    const pids = lab.pids();
    assert.ok(pids.length >= 8, `control, hub, management, 2 recorders, relay, 2 agents: ${pids.length} pids`);
    await waitFor('every lab pid gone', () => (pids.every((pid) => !isRunning(pid)) ? true : undefined), 10_000);
  });
});

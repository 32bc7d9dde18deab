// The pool standby tests' setting, written once: a lab with two recording servers' identities
// (recorder-1a is the protected server, recorder-2a the standby), a relay on the protected
// server's shared address, and the standby's agent.yaml (no peer, no controller); and
// `twinrec agent` started with it, or the standby service in-process on the same state folder.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { poolStandbyStatusSchema, type PoolStandbyStatus } from '../../contracts/pool-v1.js';
import { RelayEndpoint } from '../../agent/endpoint/relay-client.js';
import { soapRecorderProbe } from '../../agent/health/recorder-probe.js';
import { labRecorderService } from '../../agent/platform/lab-service.js';
import { probeAskingFor, type StandbyServiceOptions } from '../../agent/pool/standby-service.js';
import { startLab, type RunningLab } from '../../lab/testing/harness.js';
import { agentCall, type AgentAnswer } from './pool-lab.js';
import { runTwinrec, type TwinrecProcess } from './process.js';

export interface StandbyLab {
  readonly lab: RunningLab;
  readonly relay: { readonly listenPort: number; readonly control: string };
  /** The standby's agent.json. */
  readonly agentConfigFile: string;
  readonly stateDir: string;
}

/** A lab recorder by name (recorder-1a, recorder-2a, …). */
export function labRecorder(lab: RunningLab, name: string) {
  const found = lab.description.pairs.flatMap((p) => p.recorders).find((r) => r.name === name);
  assert.ok(found !== undefined, name);
  return found;
}

/**
 * Starts the lab and the relay, and writes the standby's agent.json in `dir`; `pool` adds keys to
 * its pool section (e.g. `rulesFile`). Every process started is pushed to `running`.
 *
 * @example const { lab, relay, agentConfigFile, stateDir } = await startStandbyLab(tempDir(), running, secret);
 */
export async function startStandbyLab(dir: string, running: TwinrecProcess[], secret: string, pool: Record<string, unknown> = {}): Promise<StandbyLab> {
  const lab = await startLab(['--pairs', '2', '--cameras', '2', '--block-duration-ms', '1000', '--no-fsync']);
  const secretFile = join(dir, 'cluster.secret');
  writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
  const proc = runTwinrec(['relay', '--listen', '127.0.0.1:0', '--control', '127.0.0.1:0', '--secret-file', secretFile, '--state-file', join(dir, 'relay-state.json')]);
  running.push(proc);
  const line = JSON.parse(await proc.waitForLine((l) => l.startsWith('{'))) as { listen: string; control: string };
  const relay = { listenPort: Number(line.listen.split(':').pop()), control: line.control };
  const stateDir = join(dir, 'standby-state');
  // The standby's agent.yaml: no peer; the protected server's shared address (the relay) in pool.endpoints.
  const own = labRecorder(lab, 'recorder-2a');
  const passwordFile = join(dir, 'recorder.password');
  writeFileSync(passwordFile, lab.description.credentials.password, { mode: 0o600 });
  const agentConfigFile = join(dir, 'agent.json');
  writeFileSync(agentConfigFile, JSON.stringify({
    cluster: { name: 'pool-1', sharedAddress: `127.0.0.1:${relay.listenPort}`, secretFile },
    node: { id: 'standby-2a' },
    api: { listen: { host: '127.0.0.1', port: 0 } },
    recorder: { webServerUrl: own.webServerUri, tokenUrl: lab.description.managementServer.tokenUrl, username: lab.description.credentials.username, passwordFile, recorderConfigPath: own.recorderConfigPath },
    service: { kind: 'lab', controlUrl: lab.description.control.url, recorderName: own.name },
    pool: { role: 'standby', cameraCapacity: 8, endpoints: [{ sharedAddress: `127.0.0.1:${relay.listenPort}`, kind: 'relay', controlUrl: relay.control }], stopTimeoutMs: 60_000, healthyTimeoutMs: 90_000, ...pool },
    stateDir,
  }));
  return { lab, relay, agentConfigFile, stateDir };
}

/** The standby's `twinrec agent`, started (and started again) with its agent.json, and its local API. */
export class StandbyAgent {
  private apiUrl = '';

  constructor(private readonly agentConfigFile: string, private readonly running: TwinrecProcess[], private readonly secret: string) {}

  /** Starts the agent; resolves once it listens. */
  async start(): Promise<TwinrecProcess> {
    const proc = runTwinrec(['agent', '--config', this.agentConfigFile]);
    this.running.push(proc);
    const listening = JSON.parse(await proc.waitForLine((l) => l.includes('"listening"'), 60_000)) as { api: string; heartbeatPort: number | null; node: string };
    assert.equal(listening.node, 'standby-2a');
    assert.equal(listening.heartbeatPort, null, 'a pool standby has no heartbeats');
    this.apiUrl = listening.api;
    return proc;
  }

  /** A request to the agent last started; `token` null sends none. */
  call(method: 'GET' | 'POST', path: string, body?: unknown, token: string | null = this.secret): Promise<AgentAnswer> {
    return agentCall(this.apiUrl, token, method, path, body);
  }

  async status(): Promise<PoolStandbyStatus> {
    const answer = await this.call('GET', '/api/v1/pool');
    assert.equal(answer.status, 200);
    return poolStandbyStatusSchema.parse(answer.body);
  }
}

/**
 * The standby service's options for the lab's standby, in-process (no events, no log), on the
 * agent's state folder; its probe goes to `probes`, to be closed by the test.
 */
export function inProcessStandbyOptions(setting: StandbyLab, secret: string, probes: Array<{ close(): Promise<void> }>): StandbyServiceOptions {
  const { lab, relay, stateDir } = setting;
  const own = labRecorder(lab, 'recorder-2a');
  const { credentials, managementServer } = lab.description;
  const silent = pino({ level: 'silent' });
  const probe = probeAskingFor((cameraIds, port) => soapRecorderProbe({ webServerUrl: `http://${own.imageServer.host}:${port}/`, tokenUrl: managementServer.tokenUrl, username: credentials.username, password: credentials.password, timeoutMs: 5_000, cameraIds, log: silent }));
  probes.push(probe);
  return {
    nodeId: 'standby-2a',
    servingHost: own.imageServer.host,
    configPath: own.recorderConfigPath,
    stateDir,
    service: labRecorderService({ controlUrl: lab.description.control.url, recorderName: own.name, timeoutMs: 60_000 }),
    probe,
    endpointFor: () => new RelayEndpoint(relay.control, secret),
    healthyTimeoutMs: 90_000,
    stopTimeoutMs: 60_000,
    log: silent,
    emit: () => undefined,
  };
}

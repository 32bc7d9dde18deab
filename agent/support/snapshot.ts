// An agent's part of a support snapshot (contracts/agent-api-v1.ts, GET /api/v1/support/snapshot):
// its version, its agent.yaml as loaded with secrets masked, the node status it reports, the
// cluster policy it runs and the newest lines of its log file. The controller collects one from
// each agent into its zip (api/src/support/).
import { platform, release } from 'node:os';
import { supportLogLineBytesMax, supportLogLinesMax, type AgentSupportSnapshot } from '../../contracts/agent-api-v1.js';
import type { NodeStatus } from '../../contracts/controller-v1.js';
import { rolledLogFiles } from '../../shared/log-file.js';
import { maskSecretsDeep, productVersion, tailLines } from '../../shared/support/support-data.js';
import type { AgentConfig } from '../config/agent-config.js';

/** The newest 1 MB of the log file at most: a snapshot is for reading, not for archiving. */
const logBytesMax = 1024 * 1024;

export interface AgentSnapshotSources {
  readonly config: AgentConfig;
  readonly status: () => NodeStatus;
  readonly policy: () => { readonly version: number; readonly settings: unknown };
  /** The log file the agent writes (agent.yaml log.file.path), or null. */
  readonly logFile: string | null;
}

export function agentSupportSnapshot(sources: AgentSnapshotSources, nowMs: number = Date.now()): AgentSupportSnapshot {
  // pino-roll writes agent.log as agent.1.log, agent.2.log …: the newest is the one being written.
  const current = sources.logFile === null ? undefined : rolledLogFiles(sources.logFile, 1)[0];
  const logLines = current === undefined ? [] : (tailLines(current.path, { bytesMax: logBytesMax, linesMax: supportLogLinesMax, lineBytesMax: supportLogLineBytesMax }) ?? []);
  return {
    v: 1,
    createdAt: new Date(nowMs).toISOString(),
    version: productVersion(),
    node: sources.config.node.id,
    platform: `${platform()} ${release()}`.slice(0, 64),
    uptimeSeconds: Math.round(process.uptime()),
    config: maskSecretsDeep(sources.config) as Record<string, unknown>,
    status: sources.status() as unknown as Record<string, unknown>,
    policy: sources.policy(),
    logFile: current?.path ?? null,
    logLines,
  };
}

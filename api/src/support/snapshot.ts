// A support snapshot (seed 004's "snapshot to send to support"): one zip an administrator can
// hand over, made by `GET /api/v1/support/snapshot` (admins, audited) or `twinrec support
// snapshot`. It holds what support asks for first, and no secret:
//   manifest.json                what is in it, versions, host, and what could not be collected
//   controller/config.json       the effective configuration, secrets masked
//   controller/clusters.json     every cluster with its nodes' live state, policy versions
//   controller/events.json       the newest 1000 events
//   controller/audit.json        the newest 1000 audit entries
//   controller/logs/…            the controller's log files (log.file), newest first, 32 MB at most
//   agents/<cluster>/<node>.json each agent's own snapshot, fetched through its API
// Secrets: configuration values are masked (shared/support/support-data.ts), log lines were
// redacted by the logger before they were written, the agents mask their own, and cluster
// secrets never leave the database (they are only used to ask the agents).
import { readFileSync } from 'node:fs';
import { hostname, platform, release } from 'node:os';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import yazl from 'yazl';
import { rolledLogFiles } from '../../../shared/log-file.js';
import { maskSecretsDeep, productVersion } from '../../../shared/support/support-data.js';
import { fetchAgentSupportSnapshot } from '../agent-link/agent-client.js';
import { loadClusterWithNodes } from '../agent-link/command-relay.js';
import type { ControllerConfig } from '../config/schema.js';
import type { Database } from '../db/database.js';
import type { ClusterRow, NodeRow } from '../db/entities/index.js';
import { DomainError } from '../domain/errors.js';
import type { AuditLog } from '../domain/audit-log.js';
import type { ClusterService } from '../domain/clusters.js';
import type { EventService } from '../domain/events.js';

/** Log bytes in one snapshot, at most: the newest files first, the oldest one cut. */
export const snapshotLogBytesMax = 32 * 1024 * 1024;
const clustersMax = 5_000;
const clusterPageLimit = 500;
const eventsMax = 1_000;
const auditMax = 1_000;
/** Agents asked at once, and how long each may take. */
const agentConcurrency = 8;
const agentTimeoutMs = 10_000;

export interface SupportSnapshotSources {
  readonly config: ControllerConfig;
  readonly db: Database;
  readonly clusters: ClusterService;
  readonly events: EventService;
  readonly audit: AuditLog;
  /** Where the controller's log file is (log.file.path), or null. */
  readonly logFile: string | null;
}

export interface SnapshotManifest {
  readonly createdAt: string;
  readonly version: string;
  readonly node: string;
  readonly platform: string;
  readonly host: string;
  readonly files: string[];
  readonly agents: Array<{ readonly cluster: string; readonly node: string; readonly outcome: 'collected' | 'unreachable'; readonly detail?: string }>;
  readonly notes: string[];
}

const json = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

/** A name safe as one zip path segment (cluster and node names are free text). */
function segment(name: string): string {
  const safe = name.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_').slice(0, 64);
  return safe === '' ? '_' : safe;
}

/** Runs `work` over `items`, `concurrency` at a time. */
async function inBatches<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += concurrency) results.push(...(await Promise.all(items.slice(i, i + concurrency).map(work))));
  return results;
}

/** Collects everything, then streams the zip. Throws only when the database cannot be read. */
export async function buildSupportSnapshot(sources: SupportSnapshotSources, nowMs: number = Date.now()): Promise<{ readonly manifest: SnapshotManifest; readonly zip: Readable }> {
  const entries: Array<{ readonly name: string; readonly data: Buffer }> = [];
  const notes: string[] = [];
  entries.push({ name: 'controller/config.json', data: json(maskSecretsDeep(sources.config)) });

  const clusters = [];
  for (let offset = 0; offset < clustersMax; offset += clusterPageLimit) {
    const page = await sources.clusters.list({ limit: clusterPageLimit, offset });
    clusters.push(...page.items);
    if (offset + clusterPageLimit >= page.total) break;
    if (offset + clusterPageLimit >= clustersMax) notes.push(`only the first ${clustersMax} clusters of ${page.total}`);
  }
  entries.push({ name: 'controller/clusters.json', data: json(clusters) });
  entries.push({ name: 'controller/events.json', data: json((await sources.events.list({}, { limit: eventsMax })).items) });
  entries.push({ name: 'controller/audit.json', data: json((await sources.audit.list({}, { limit: auditMax })).items) });

  if (sources.logFile === null) notes.push('the controller writes no log file (log.file): only stderr, which a snapshot cannot read');
  let logBytesLeft = snapshotLogBytesMax;
  for (const file of sources.logFile === null ? [] : rolledLogFiles(sources.logFile)) {
    if (logBytesLeft <= 0) {
      notes.push(`older log files left out (over ${snapshotLogBytesMax} bytes)`);
      break;
    }
    try {
      const bytes = readFileSync(file.path);
      const kept = bytes.length > logBytesLeft ? bytes.subarray(bytes.length - logBytesLeft) : bytes;
      logBytesLeft -= kept.length;
      entries.push({ name: `controller/logs/${segment(basename(file.path))}`, data: kept });
    } catch (err) {
      notes.push(`cannot read ${file.path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }

  // Each cluster (its secret and nodes) read once; then its agents asked, a few at a time.
  const targets: Array<{ readonly cluster: ClusterRow; readonly node: NodeRow }> = [];
  for (const summary of clusters) {
    try {
      const { cluster, nodes } = await loadClusterWithNodes(sources.db, summary.id);
      for (const node of nodes) targets.push({ cluster, node });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      notes.push(`cluster ${summary.name} was deleted while the snapshot was made`);
    }
  }
  const agents = await inBatches(targets, agentConcurrency, async ({ cluster, node }) => {
    const names = { cluster: cluster.name, node: node.name };
    if (node.agentUrl === null || cluster.agentSecret === null || cluster.agentSecret === undefined) return { ...names, outcome: 'unreachable' as const, detail: 'no agent has registered for this node' };
    const got = await fetchAgentSupportSnapshot(node.agentUrl, cluster.agentSecret, { timeoutMs: agentTimeoutMs, certificateFingerprint: node.agentCertificateFingerprint });
    if (got.kind !== 'done') return { ...names, outcome: 'unreachable' as const, detail: got.detail };
    entries.push({ name: `agents/${segment(cluster.name)}/${segment(node.name)}.json`, data: json(got.snapshot) });
    return { ...names, outcome: 'collected' as const };
  });

  const manifest: SnapshotManifest = {
    createdAt: new Date(nowMs).toISOString(),
    version: productVersion(),
    node: process.version,
    platform: `${platform()} ${release()}`,
    host: hostname(),
    files: ['manifest.json', ...entries.map((e) => e.name)],
    agents,
    notes,
  };
  const zip = new yazl.ZipFile();
  const mtime = new Date(nowMs);
  zip.addBuffer(json(manifest), 'manifest.json', { mtime, mode: 0o600 });
  for (const entry of entries) zip.addBuffer(entry.data, entry.name, { mtime, mode: 0o600 });
  zip.end();
  return { manifest, zip: zip.outputStream as unknown as Readable };
}

/** The file name a download suggests: twinrec-support-<host>-<UTC time>.zip. */
export function snapshotFileName(nowMs: number): string {
  return `twinrec-support-${segment(hostname())}-${new Date(nowMs).toISOString().replace(/[:.]/g, '-')}.zip`;
}

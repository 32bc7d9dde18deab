// The controller's side of the agent link (contracts/controller-v1.ts): agents register
// their node, then report status and events. Reports land in the node status cache; events
// land in SQL exactly once; the answer tells the agent whether its peer still reports (the
// witness) and carries the cluster policy, which is how both nodes get it. A sweep announces
// agents that fall silent and those that come back. Events, once committed, go to the event
// bus (the live event streams); each report also updates the cluster's data-missing observation.
// An agent's credential is checked before its body (authenticateRegistration, authenticateReport),
// so that a stranger cannot make the controller validate megabytes; an admin enrolls a cluster by
// setting its secret (ClusterService.setAgentSecret), unless agents.trustOnFirstUse lets the first agent do it.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Between, In, IsNull, type EntityManager, type QueryDeepPartialEntity } from 'typeorm';
import { secretsEqual } from '../../../shared/secret.js';
import type { AgentEvent, RegisterRequest, RegisterResponse, ReportRequest, ReportResponse } from '../../../contracts/controller-v1.js';
import { describe, type Database } from '../db/database.js';
import { AuditEntryEntity, ClusterEntity, EventEntity, FailoverRecordEntity, NodeEntity, PoolServerEntity, PoolStandbyEntity, type ClusterRow, type EventRow, type NodeRow } from '../db/entities/index.js';
import { endpointClaimedKind, failoverRecordOf, switchMatchWindowMs, switchMsOf } from '../domain/failover-history.js';
import { isUniqueViolation } from '../db/errors.js';
import { auditRow, type Actor } from '../domain/audit.js';
import { policyRenumberedAction, policyTarget, type AgentPolicyCache } from '../domain/cluster-policy.js';
import { retryOnRace } from '../domain/cluster-rows.js';
import { checkNodes } from '../domain/cluster-rules.js';
import type { DataMissingTracker } from '../domain/data-missing.js';
import { conflict, DomainError, notFound, unauthorized } from '../domain/errors.js';
import type { EventBus } from '../domain/event-bus.js';
import type { CachedNodeStatus, NodeStatusCache } from '../domain/node-status.js';
import { failbackHoldDownSecondsDefault, type EventSeverity, type NodeRole } from '../model/vocabulary.js';
import { AgentClusterCache, type AgentCluster, type AgentClusterCacheOptions } from './agent-cluster-cache.js';
import type { ReportingRecords } from './reporting-records.js';
import { storeRecorderConfigPush } from './recorder-config-push.js';
import type { RecorderConfigPush } from '../../../contracts/pool-v1.js';

/** Bounds on a cluster secret (set by an admin, or introduced by an agent on first use); agents require 16 characters too. */
export const agentSecretLengthMin = 16;
export const agentSecretLengthMax = 256;

/**
 * The one detail of every 401 on the agent link: a missing or wrong secret, an unknown cluster
 * name, a cluster without a secret all read the same, so an answer never tells whether a
 * cluster exists.
 */
export const agentCredentialRefusedDetail = 'the cluster secret is missing or not accepted: send the secret an admin set for the cluster (PUT /api/v1/clusters/{clusterId}/agent-secret) as Authorization: Bearer <secret>';

/** The 401 of the agent link (agentCredentialRefusedDetail). */
export const agentCredentialRefused = (): DomainError => unauthorized(agentCredentialRefusedDetail);

export interface AgentLinkOptions {
  /**
   * agents.trustOnFirstUse: a registration may create its cluster, or give a cluster without a
   * secret the one it presents. Off, registration never creates clusters and needs the secret
   * an admin set.
   */
  readonly trustOnFirstUse?: boolean;
  /** How long reports believe a cached cluster, secret and nodes (agent-cluster-cache.ts); for tests. */
  readonly clusterCache?: AgentClusterCacheOptions;
}

/** Most silent agents announced per sweep; the rest wait for the next one. */
const sweepBatchMax = 500;
/** Rows per INSERT: 8 columns × 100 stays far below SQL Server's 2100 parameters. */
const insertChunkRows = 100;

/** Who else hears of what the agents report. */
export interface AgentLinkObservers {
  /** Gets every event once it is stored. */
  readonly events?: EventBus;
  /** Sees every report's cluster. */
  readonly dataMissing?: DataMissingTracker;
  /** Records serving spans, camera gaps and backfill jobs from every report. */
  readonly records?: ReportingRecords;
}

export class AgentLinkService {
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping = false;
  private sweepFailing = false;
  /**
   * Whether this controller runs the sweep: with several controllers on one database, only the
   * holder of the `agent-sweep` lease (controller-leases.ts) announces lost and returned agents,
   * so that each silence is announced once, whichever controller the agent reports to.
   */
  private sweepHeld = false;
  /** Nodes whose `node.agent-lost` is stored and whose return is not yet: the time of their last report before the silence. */
  private readonly returnsPending = new Map<string, Date>();

  constructor(
    private readonly db: Database,
    private readonly statuses: NodeStatusCache,
    private readonly policies: AgentPolicyCache,
    private readonly log: Logger,
    private readonly observers: AgentLinkObservers = {},
    private readonly options: AgentLinkOptions = {},
  ) {
    this.clusters = new AgentClusterCache(db, options.clusterCache);
  }

  /** The clusters agents report for, read once per change or ttlMs instead of on every report (agent-cluster-cache.ts). */
  private readonly clusters: AgentClusterCache;

  /**
   * Checks a registration's credential before its body is validated: `clusterName` is read
   * from the raw body (null when it is not a string). Passes when the secret matches the
   * cluster's, or, with trust on first use, when the cluster is unknown or has no secret and the
   * secret has a valid length (the registration's transaction then decides). A refusal is
   * audited as a denied `node.register` and answered with agentCredentialRefusedDetail.
   */
  async authenticateRegistration(clusterName: string | null, nodeName: string | null, secret: string | null, address: string | null): Promise<void> {
    const cluster = clusterName === null ? null : await clusterWithSecret(this.db.dataSource.manager, { name: clusterName });
    // Always one comparison, so that an unknown name takes as long as a wrong secret.
    const matches = secretsEqual(secret ?? '', cluster?.agentSecret ?? '');
    const claimable = this.options.trustOnFirstUse === true && clusterName !== null && (cluster === null || !hasSecret(cluster)) && secret !== null && isValidSecret(secret);
    if (matches || claimable) return;
    const actor: Actor = { name: `agent:${(nodeName ?? '?').slice(0, 64)}`, address };
    await this.db.dataSource.getRepository(AuditEntryEntity).insert(auditRow(actor, 'node.register', `cluster/${(clusterName ?? '?').slice(0, 64)}/node/${(nodeName ?? '?').slice(0, 64)}`, 'denied')).catch(() => {});
    throw agentCredentialRefused();
  }

  /**
   * Checks a report's credential before its body is validated: `clusterId` is read from the raw
   * body. Returns the cluster (with its secret) the report may then be taken for. An unknown
   * id is a 404 (its agent registers again: the controller's database was recreated); ids are
   * random UUIDs, so that says nothing about clusters a caller does not already know.
   */
  async authenticateReport(clusterId: string | null, secret: string | null): Promise<ClusterRow> {
    if (clusterId === null || !uuidPattern.test(clusterId) || secret === null) throw agentCredentialRefused();
    const known = await this.clusters.get(clusterId);
    // A secret that does not match the cached one may have been set since (on another controller): the database decides.
    const matches = (c: AgentCluster | null): boolean => c !== null && secretsEqual(secret, c.cluster.agentSecret ?? '');
    const found = matches(known.value) || !known.cached ? known.value : await this.clusters.reload(clusterId);
    if (found === null) throw notFound('cluster', clusterId);
    if (!matches(found)) throw agentCredentialRefused();
    return found.cluster;
  }

  /**
   * Registers an agent's node; the secret must match the cluster's. With trust on first use, an
   * unknown cluster is created with the presented secret, and a cluster without a secret adopts
   * it. Concurrent first registrations of both agents of a pair make one cluster: the loser of
   * the unique-name race looks again.
   */
  async register(request: RegisterRequest, secret: string, address: string | null): Promise<RegisterResponse> {
    const actor: Actor = { name: `agent:${request.node.name}`, address };
    try {
      return await retryOnAgentRace(() => this.db.dataSource.transaction((m) => this.registerIn(m, request, secret, actor)));
    } catch (err) {
      if (err instanceof DomainError) {
        const outcome = err.status === 401 ? 'denied' : 'failure';
        // A refusal says why (its problem type and what it names); a denied credential says nothing more.
        const details = err.status === 401 ? null : { type: err.type, ...err.extensions };
        await this.db.dataSource.getRepository(AuditEntryEntity).insert(auditRow(actor, 'node.register', `cluster/${request.cluster.name}/node/${request.node.name}`, outcome, details)).catch(() => {});
      }
      if (isUniqueViolation(err) || err instanceof SecretRaceError) throw conflict('node-name-taken', 'the node registered twice at the same moment; register again');
      throw err;
    }
  }

  private async registerIn(m: EntityManager, request: RegisterRequest, secret: string, actor: Actor): Promise<RegisterResponse> {
    let cluster = await clusterWithSecret(m, { name: request.cluster.name });
    const trustOnFirstUse = this.options.trustOnFirstUse === true;
    if (cluster === null || !hasSecret(cluster)) {
      // Checked again here, in the transaction: an admin may have set a secret since authenticateRegistration.
      if (!trustOnFirstUse || !isValidSecret(secret)) throw agentCredentialRefused();
    } else if (!secretsEqual(secret, cluster.agentSecret ?? '')) {
      throw agentCredentialRefused();
    }
    if (cluster === null) {
      const id = randomUUID();
      cluster = await m.save(ClusterEntity, {
        id,
        name: request.cluster.name,
        // A pool's agent creates a pool (trust on first use, like the secret); a pair's agent a cloned pair.
        mode: request.pool === undefined ? 'cloning' : 'pool',
        sharedAddress: request.cluster.sharedAddress,
        ...firstPolicyColumns(request.proposedPolicy),
        // At the version the agent runs, so that its stored policy is not refused as older.
        policyVersion: Math.max(1, request.runningPolicyVersion ?? 0),
        policyUpdatedAt: null,
        description: '',
        agentSecret: secret,
      });
      await m.insert(AuditEntryEntity, auditRow(actor, 'cluster.register', `cluster/${id}`, 'success'));
    } else if (!hasSecret(cluster)) {
      // Conditional, so that of two agents adopting different secrets at once only one wins.
      const adopted = await m.update(ClusterEntity, { id: cluster.id, agentSecret: IsNull() }, { agentSecret: secret });
      if (adopted.affected !== 1) throw new SecretRaceError();
      await m.insert(AuditEntryEntity, auditRow(actor, 'cluster.register', `cluster/${cluster.id}`, 'success'));
    }

    const clusterId = cluster.id;
    const nodes = await m.find(NodeEntity, { where: { clusterId } });
    const existing = nodes.find((n) => n.name === request.node.name);
    const role = registeredRole(cluster, request, existing);
    // The fingerprint the controller pins for commands, set only here, like agentUrl.
    const fields = { role, hostName: request.node.hostName, agentUrl: request.node.agentUrl, agentCertificateFingerprint: request.node.agentCertificateFingerprint ?? null, recorderId: request.node.recorderId, webServerUri: request.node.webServerUri };
    const now = new Date();
    const next: NodeRow = existing !== undefined ? { ...existing, ...fields } : { id: randomUUID(), clusterId, name: request.node.name, addresses: [], createdAt: now, updatedAt: now, version: 1, ...fields };
    const violation = checkNodes(cluster.mode, existing !== undefined ? nodes.map((n) => (n.id === next.id ? next : n)) : [...nodes, next]);
    if (violation !== null) throw conflict(violation.type, violation.detail);
    if (request.pool?.role === 'protected') await refuseTakenIdentity(m, clusterId, next, nodes, request.pool.sharedAddress);
    await m.save(NodeEntity, next);
    if (request.pool !== undefined) await savePoolRole(m, clusterId, next.id, request.pool);
    await m.insert(AuditEntryEntity, auditRow(actor, 'node.register', `cluster/${clusterId}/node/${next.id}`, 'success'));
    // A new certificate (a rebuilt host, a lost state folder) is taken on the cluster secret's word, and audited.
    if (existing !== undefined && existing.agentCertificateFingerprint !== next.agentCertificateFingerprint) await m.insert(AuditEntryEntity, auditRow(actor, 'node.certificate-changed', `cluster/${clusterId}/node/${next.id}`, 'success', { from: existing.agentCertificateFingerprint, to: next.agentCertificateFingerprint }));
    cluster = await resolvePendingPreferred(m, cluster, next);
    return { clusterId, nodeId: next.id, ...this.policyField(cluster, existing !== undefined ? nodes : [...nodes, next]) };
  }

  /**
   * Stores a pool's protected recording server's RecorderConfig.xml (recorder-config-push.ts) for
   * `cluster`, the one authenticateReport took its secret for.
   */
  async storeRecorderConfig(push: RecorderConfigPush, cluster: ClusterRow, address: string | null): Promise<void> {
    if (push.clusterId !== cluster.id) throw agentCredentialRefused();
    await storeRecorderConfigPush(this.db, cluster, push, address);
  }

  /** The answer's `policy`: the cluster's, unless its stored settings make none (then agents keep theirs). */
  private policyField(cluster: ClusterRow, nodes: readonly NodeRow[]): Pick<ReportResponse, 'policy'> {
    const policy = this.policies.policyOf(cluster, nodes);
    return policy === undefined ? {} : { policy };
  }

  /**
   * Takes a report for `cluster` (authenticateReport's): events stored exactly once (by the
   * agent's event id), the status cached, state changes and returns from silence recorded as
   * controller events, and the witness answer computed from the peer's last report.
   */
  async report(request: ReportRequest, cluster: ClusterRow, options: { readonly peerReport?: boolean } = {}): Promise<ReportResponse> {
    const { clusterId, nodeId, status } = request;
    if (clusterId !== cluster.id) throw agentCredentialRefused();
    const source = this.db.dataSource;
    const known = await this.clusters.get(clusterId);
    // A node the cache does not know may have registered since (on another controller): the database decides.
    const { nodes } = (known.value?.nodes.some((n) => n.id === nodeId) === true || !known.cached ? known.value : await this.clusters.reload(clusterId)) ?? { nodes: [] };
    const node = nodes.find((n) => n.id === nodeId);
    if (node === undefined) throw notFound('node', nodeId);

    const current = await this.numberAbove(cluster, node, status.policyVersion ?? 0);
    const previous = this.statuses.get(nodeId) ?? null;
    const ours = this.controllerEventsFor(node, previous, request);
    const peer = nodes.find((n) => n.id !== nodeId && n.name === status.peer.name) ?? (nodes.length === 2 ? nodes.find((n) => n.id !== nodeId) : undefined);
    const peerNodeId = peer?.id ?? null;
    // Most reports carry no events: no transaction for them.
    const stored = request.events.length === 0 && ours.length === 0 ? [] : await retryOnAgentRace(() => source.transaction((m) => storeEvents(m, clusterId, nodeId, request.events, ours, peerNodeId)));
    // Cached only once stored: a report that failed is retried by the agent and seen anew.
    this.statuses.record(clusterId, nodeId, status);
    this.statuses.clearLost(nodeId);
    this.returnsPending.delete(nodeId);
    this.observers.dataMissing?.observe(clusterId, nodes.map((n) => n.id));
    this.observers.records?.observe(clusterId, nodeId, status);
    this.observers.events?.publish(stored);

    const peerAgeMs = peer === undefined ? null : this.statuses.ageMs(peer.id);
    // Only to an agent that says it reads them (contracts/controller-v1.ts peerReportHeader): an older one would refuse the answer.
    const peerStatus = peer === undefined || options.peerReport !== true ? undefined : this.statuses.get(peer.id)?.status;
    // The witness keeps the agent's own window (its peer timeout), never the controller's shorter idea of reachable: split-brain checks rest on it.
    return {
      eventsStored: request.events.length,
      peer: {
        alive: peerAgeMs !== null && peerAgeMs <= request.witnessWindowMs,
        lastReportAgoMs: peerAgeMs === null ? null : Math.round(peerAgeMs),
        // What the peer said last: a standby cut off from its heartbeats takes over from a peer that is alive but not serving.
        ...(peerStatus === undefined ? {} : { state: peerStatus.state, serving: peerStatus.serving, epoch: peerStatus.epoch, uptimeSeconds: peerStatus.uptimeSeconds }),
      },
      ...this.policyField(current, nodes),
    };
  }

  /**
   * A node that runs a policy version above the controller's (its database was recreated or
   * restored from before the last changes) would refuse every policy the controller sends as
   * older: the controller's policy is numbered above it instead, settings unchanged, audited.
   * Conditional on the version read, so concurrent reports renumber once.
   */
  private async numberAbove(cluster: ClusterRow, node: NodeRow, reportedVersion: number): Promise<ClusterRow> {
    if (reportedVersion <= cluster.policyVersion) return cluster;
    const changed = { policyVersion: reportedVersion + 1, policyUpdatedAt: new Date(), version: cluster.version + 1, updatedAt: new Date() };
    const renumbered = await this.db.dataSource.transaction(async (m) => {
      const done = await m.update(ClusterEntity, { id: cluster.id, policyVersion: cluster.policyVersion }, changed);
      if (done.affected !== 1) return false;
      await m.insert(AuditEntryEntity, auditRow({ name: `agent:${node.name}`, address: null }, policyRenumberedAction, policyTarget(cluster.id), 'success', { fromVersion: cluster.policyVersion, toVersion: changed.policyVersion, nodeVersion: reportedVersion }));
      return true;
    });
    if (!renumbered) return (await clusterWithSecret(this.db.dataSource.manager, { id: cluster.id })) ?? cluster;
    this.log.warn({ clusterId: cluster.id, node: node.name, nodeVersion: reportedVersion, fromVersion: cluster.policyVersion, toVersion: changed.policyVersion }, 'cluster policy renumbered above the version a node runs (the database was recreated or restored?)');
    return { ...cluster, ...changed };
  }

  /** Events the controller itself records on a report: a changed node state, a return from silence. */
  private controllerEventsFor(node: NodeRow, previous: CachedNodeStatus | null, request: ReportRequest): EventRow[] {
    const rows: EventRow[] = [];
    const { status } = request;
    if (previous === null) return rows;
    // Only the sweep's holder speaks of silences; it hears of returns to other controllers through the shared status (its sweep announces those).
    const announced = this.returnsPending.has(node.id);
    if (this.sweepHeld && (announced || this.statuses.isSilent(node.id))) {
      // The sweep may not have caught the silence yet: record it now, so that lost and returned pair up.
      if (!announced) rows.push(lostEvent(node, previous, this.statuses.staleAfterMs));
      const silentMs = Math.round(this.statuses.ageMs(node.id) ?? 0);
      rows.push(returnedEvent(node, silentMs));
    }
    if (previous.status.state !== status.state) {
      const severity: EventSeverity = status.state === 'STOP' || status.state === 'WAIT' ? 'warning' : 'info';
      rows.push(controllerEvent(node, 'node.state-changed', severity, `${node.name}: ${previous.status.state} → ${status.state}`, { from: previous.status.state, to: status.state, epoch: status.epoch }));
    }
    return rows;
  }

  /**
   * Stores one `node.agent-lost` event for each node that reported once and has now been
   * silent for agents.staleAfterMs, and one `node.agent-returned` for each announced one that
   * reports again (to another controller: the shared status says so; a return to this one is
   * announced by its report). A silence a former holder announced already (the node's latest
   * stored lost/returned event is a loss) is taken over without a second event. Nodes deleted
   * meanwhile are forgotten instead. Only while this controller holds the sweep (startSweep).
   */
  async sweep(): Promise<number> {
    if (this.sweeping || !this.sweepHeld) return 0;
    this.sweeping = true;
    const silent = this.statuses.newlySilent().slice(0, sweepBatchMax);
    const returned = this.takeReturns(sweepBatchMax);
    // Marked first, so that a report arriving while the rows are written does not announce the silence again.
    for (const entry of silent) {
      this.statuses.markLost(entry.nodeId);
      this.returnsPending.set(entry.nodeId, entry.receivedAt);
    }
    try {
      if (silent.length === 0 && returned.length === 0) return 0;
      const m = this.db.dataSource.manager;
      const nodes = await m.find(NodeEntity, { where: { id: In([...silent.map((e) => e.nodeId), ...returned.map((r) => r.nodeId)]) } });
      const byId = new Map(nodes.map((n) => [n.id, n]));
      const announcedBefore = silent.length === 0 ? new Set<string>() : await lostAnnounced(m, silent.map((e) => e.nodeId));
      const rows: EventRow[] = [];
      for (const entry of silent) {
        const node = byId.get(entry.nodeId);
        if (node === undefined) this.statuses.forget(entry.nodeId);
        else if (!announcedBefore.has(entry.nodeId)) rows.push(lostEvent(node, entry, this.statuses.staleAfterMs));
      }
      for (const back of returned) {
        const node = byId.get(back.nodeId);
        if (node !== undefined) rows.push(returnedEvent(node, back.silentMs, back.at));
      }
      await insertChunked(m, rows);
      this.observers.events?.publish(rows);
      if (this.sweepFailing) this.log.info('agent sweep working again');
      this.sweepFailing = false;
      return rows.length;
    } catch (err) {
      // Announce them on the next sweep instead, unless they have reported meanwhile.
      for (const entry of silent) {
        if (!this.statuses.isSilent(entry.nodeId)) continue;
        this.statuses.clearLost(entry.nodeId);
        this.returnsPending.delete(entry.nodeId);
      }
      for (const back of returned) if (!this.returnsPending.has(back.nodeId)) this.returnsPending.set(back.nodeId, back.lastReportAt);
      if (!this.sweepFailing) this.log.warn({ err: describe(err) }, 'agent sweep could not store node.agent-lost/returned events; retrying');
      this.sweepFailing = true;
      return 0;
    } finally {
      this.sweeping = false;
    }
  }

  /** Announced silences that have ended (the node reports again, here or elsewhere): taken out of returnsPending at once, so that no report announces them too. */
  private takeReturns(max: number): { nodeId: string; lastReportAt: Date; at: Date; silentMs: number }[] {
    const back: { nodeId: string; lastReportAt: Date; at: Date; silentMs: number }[] = [];
    for (const [nodeId, lastReportAt] of this.returnsPending) {
      if (back.length >= max) break;
      const entry = this.statuses.get(nodeId);
      if (entry === undefined) this.returnsPending.delete(nodeId);
      else if (!this.statuses.isSilent(nodeId)) back.push({ nodeId, lastReportAt, at: entry.receivedAt, silentMs: Math.max(0, entry.receivedAt.getTime() - lastReportAt.getTime()) });
    }
    for (const b of back) this.returnsPending.delete(b.nodeId);
    return back;
  }

  /**
   * Takes the sweep (this controller holds its lease; the only one, on SQLite): sweeps on an
   * interval, a quarter of staleAfterMs, between 100 ms and 1 s. What this controller marked
   * before is forgotten: the first sweeps take silences from the stored events.
   */
  startSweep(): void {
    if (this.sweepTimer !== null) return;
    for (const entry of this.statuses.all()) this.statuses.clearLost(entry.nodeId);
    this.returnsPending.clear();
    this.sweepHeld = true;
    const intervalMs = Math.min(1_000, Math.max(100, Math.floor(this.statuses.staleAfterMs / 4)));
    this.sweepTimer = setInterval(() => void this.sweep(), intervalMs);
    this.sweepTimer.unref();
  }

  /** Gives the sweep up (its lease lost, or the controller stops): no more lost or returned announcements from here. */
  stopSweep(): void {
    this.sweepHeld = false;
    this.returnsPending.clear();
    if (this.sweepTimer !== null) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
  }
}

/** A cluster with its agent secret, which is loaded only here and in the command relay. */
export async function clusterWithSecret(m: EntityManager, where: { id: string } | { name: string }): Promise<ClusterRow | null> {
  const query = m.createQueryBuilder(ClusterEntity, 'c').addSelect('c.agentSecret');
  return 'id' in where ? query.where('c.id = :id', { id: where.id }).getOne() : query.where('c.name = :name', { name: where.name }).getOne();
}

function hasSecret(cluster: ClusterRow): boolean {
  return cluster.agentSecret !== null && cluster.agentSecret !== undefined && cluster.agentSecret !== '';
}

/** A secret an agent may introduce on first use: within the bounds an admin's must keep too. */
function isValidSecret(secret: string): boolean {
  return secret.length >= agentSecretLengthMin && secret.length <= agentSecretLengthMax;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Another agent adopted a secret for the cluster between our read and our write. */
class SecretRaceError extends Error {
  constructor() {
    super('cluster secret adopted concurrently');
    this.name = 'SecretRaceError';
  }
}

/**
 * The role a registration gives its node: a pair's by rank (0 primary, 1 secondary); a pool's by
 * what it is (a standby is a `failover` node, a protected server a `primary`), peerName and rank
 * ignored. A pool agent never joins a cloned pair nor a pair's agent a pool (409
 * `pool-mode-mismatch`), and a pool node keeps its role: a standby registering as a protected
 * server (or the reverse) is refused (`role-conflict`) until an admin deletes the node, so that
 * no group, hot-standby assignment or lease is left naming a node in the wrong role.
 */
function registeredRole(cluster: ClusterRow, request: RegisterRequest, existing: NodeRow | undefined): NodeRole {
  const pool = request.pool;
  if ((cluster.mode === 'pool') !== (pool !== undefined)) {
    const detail = pool === undefined
      ? `${cluster.name} is a failover pool: this agent registers as a cloned pair's node (its agent.yaml has no pool section)`
      : `${cluster.name} is a cloned pair: this agent registers as a failover pool's ${pool.role === 'standby' ? 'standby' : 'protected server'} (its agent.yaml has pool)`;
    throw conflict('pool-mode-mismatch', detail);
  }
  if (pool === undefined) return request.node.rank === 0 ? 'primary' : 'secondary';
  const role: NodeRole = pool.role === 'standby' ? 'failover' : 'primary';
  if (existing !== undefined && existing.role !== role) throw conflict('role-conflict', `${existing.name} is this pool's ${existing.role === 'failover' ? 'standby' : 'protected server'}; delete the node to register it as a ${pool.role === 'standby' ? 'standby' : 'protected server'}`);
  return role;
}

/**
 * A protected server registering must not take another pool node's shared address (two servers
 * would claim one endpoint) nor its recorder id (two recorders would run one identity). The case
 * in practice: a replaced server's agent whose host still runs comes back after the replace
 * command deleted its node and moved its address and recorder id to the replacing node. Refused
 * 409 (`pool-shared-address-taken`, `pool-recorder-id-taken`) naming the node that has them; the
 * agent backs off and retries (agent/shell/controller-link.ts), logging the refusal.
 */
async function refuseTakenIdentity(m: EntityManager, clusterId: string, node: NodeRow, nodes: readonly NodeRow[], sharedAddress: string): Promise<void> {
  const nameOf = (nodeId: string): string => nodes.find((n) => n.id === nodeId)?.name ?? nodeId;
  const holder = (await m.find(PoolServerEntity, { select: { nodeId: true }, where: { clusterId, sharedAddress } })).find((row) => row.nodeId !== node.id);
  if (holder !== undefined) {
    throw conflict('pool-shared-address-taken', `${nameOf(holder.nodeId)} serves ${sharedAddress} in this pool: ${node.name} cannot register with it (a replaced server's agent? retire its host, or give it another pool.endpoint.sharedAddress)`, { nodeId: holder.nodeId, nodeName: nameOf(holder.nodeId), sharedAddress });
  }
  const recorderId = node.recorderId?.toLowerCase() ?? null;
  const twin = recorderId === null ? undefined : nodes.find((n) => n.id !== node.id && n.recorderId?.toLowerCase() === recorderId);
  if (twin !== undefined) {
    throw conflict('pool-recorder-id-taken', `${twin.name} runs recorder ${recorderId} in this pool: ${node.name} cannot register with that identity (a replaced server's agent? retire its host)`, { nodeId: twin.id, nodeName: twin.name, recorderId });
  }
}

/**
 * A pool agent's own facts, as it registers them: a standby's camera capacity (the first time
 * only: then the REST API's), a protected server's shared address (its failover settings, an
 * admin's, kept). Update, else insert (in the
 * registration's transaction; a concurrent insert is a unique violation, which registers again).
 */
async function savePoolRole(m: EntityManager, clusterId: string, nodeId: string, pool: NonNullable<RegisterRequest['pool']>): Promise<void> {
  // The tables have no database default for updated_at: it is set here, on every dialect.
  const updatedAt = new Date();
  if (pool.role === 'standby') {
    // The capacity its agent.yaml gives is the first one; after that an admin's (PUT …/standby) stands.
    if ((await m.findOneBy(PoolStandbyEntity, { nodeId })) === null) await m.insert(PoolStandbyEntity, { nodeId, clusterId, cameraCapacity: pool.cameraCapacity, updatedAt });
    return;
  }
  const updated = await m.update(PoolServerEntity, { nodeId }, { sharedAddress: pool.sharedAddress, updatedAt });
  if (updated.affected !== 1) await m.insert(PoolServerEntity, { nodeId, clusterId, primaryGroupId: null, secondaryGroupId: null, hotStandbyNodeId: null, standbySelection: 'sequence', sharedAddress: pool.sharedAddress, updatedAt });
}

/**
 * Runs work again if it lost a race (unique violation, concurrent adoption); the next look sees
 * the winner. A registration inserts up to three things another one may insert first (the
 * cluster, its secret, the node): raceAttemptsMax covers them.
 */
function retryOnAgentRace<T>(work: () => Promise<T>): Promise<T> {
  return retryOnRace(work, (err) => isUniqueViolation(err) || err instanceof SecretRaceError);
}

/**
 * Stores the events not stored before, and the controller's own, with the failover records they
 * make (domain/failover-history.ts); returns the event rows inserted.
 */
async function storeEvents(m: EntityManager, clusterId: string, nodeId: string, events: readonly AgentEvent[], ours: readonly EventRow[], peerNodeId: string | null): Promise<EventRow[]> {
  const ids = [...new Set(events.map((e) => e.id))];
  const stored = ids.length === 0 ? [] : await m.find(EventEntity, { select: { id: true }, where: { id: In(ids) } });
  const seen = new Set(stored.map((e) => e.id));
  const rows: EventRow[] = [];
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    rows.push({ id: event.id, time: new Date(event.time), clusterId, nodeId, kind: event.kind, severity: event.severity, message: event.message, data: event.data });
  }
  const inserted = [...rows, ...ours];
  await insertChunked(m, inserted);
  await recordFailovers(m, inserted, peerNodeId);
  return inserted;
}

/**
 * The failover records of newly stored events, and the switch times they complete: a record
 * finds its new node's endpoint claim if that was stored first, and a claim finds the record it
 * completes otherwise (the two nodes report independently).
 */
async function recordFailovers(m: EntityManager, inserted: readonly EventRow[], peerNodeId: string | null): Promise<void> {
  const ordered = [...inserted].sort((a, b) => a.time.getTime() - b.time.getTime());
  for (const event of ordered) {
    const record = failoverRecordOf(event, peerNodeId);
    if (record !== null) {
      const claimed = record.toNodeId === null ? [] : await m.find(EventEntity, { where: { clusterId: record.clusterId, nodeId: record.toNodeId, kind: endpointClaimedKind, time: Between(record.time, new Date(record.time.getTime() + switchMatchWindowMs)) }, order: { time: 'ASC' }, take: 1 });
      const switchMs = claimed[0] === undefined ? null : switchMsOf(record, claimed[0]);
      await m.insert(FailoverRecordEntity, { ...record, switchMs });
    } else if (event.kind === endpointClaimedKind && event.clusterId !== null) {
      const open = await m.find(FailoverRecordEntity, { where: { clusterId: event.clusterId, toNodeId: event.nodeId ?? '', switchMs: IsNull(), time: Between(new Date(event.time.getTime() - switchMatchWindowMs), event.time) }, order: { time: 'DESC' }, take: 1 });
      const switchMs = open[0] === undefined ? null : switchMsOf(open[0], event);
      if (open[0] !== undefined && switchMs !== null) await m.update(FailoverRecordEntity, { id: open[0].id }, { switchMs });
    }
  }
}

async function insertChunked(m: EntityManager, rows: readonly EventRow[]): Promise<void> {
  // TypeORM's deep-partial type cannot express `data`'s open record; the rows are complete EventRows.
  for (let i = 0; i < rows.length; i += insertChunkRows) await m.insert(EventEntity, rows.slice(i, i + insertChunkRows) as QueryDeepPartialEntity<EventRow>[]);
}

function controllerEvent(node: NodeRow, kind: string, severity: EventSeverity, message: string, data: Record<string, unknown>, time = new Date()): EventRow {
  return { id: randomUUID(), time, clusterId: node.clusterId, nodeId: node.id, kind, severity, message: message.slice(0, 2048), data };
}

function returnedEvent(node: NodeRow, silentMs: number, at = new Date()): EventRow {
  return controllerEvent(node, 'node.agent-returned', 'info', `${node.name}: agent reporting again after ${Math.round(silentMs / 1000)} s`, { silentMs }, at);
}

/**
 * Of these nodes, those whose latest stored `node.agent-lost`/`node.agent-returned` is a loss:
 * a silence another controller (a former sweep holder) announced already. Two rows per node at most.
 */
async function lostAnnounced(m: EntityManager, nodeIds: readonly string[]): Promise<Set<string>> {
  const raw: { nodeId: string; kind: string; time: Date | string }[] = await m
    .createQueryBuilder(EventEntity, 'e')
    .select('e.nodeId', 'nodeId')
    .addSelect('e.kind', 'kind')
    .addSelect('MAX(e.time)', 'time')
    .where('e.nodeId IN (:...nodeIds) AND e.kind IN (:...kinds)', { nodeIds, kinds: ['node.agent-lost', 'node.agent-returned'] })
    .groupBy('e.nodeId')
    .addGroupBy('e.kind')
    .getRawMany();
  const latest = new Map<string, { kind: string; ms: number }>();
  for (const r of raw) {
    // SQLite answers MAX(time) as text in UTC without a zone; the others a Date.
    const ms = r.time instanceof Date ? r.time.getTime() : Date.parse(`${String(r.time).replace(' ', 'T')}Z`);
    const seen = latest.get(r.nodeId);
    if (seen === undefined || ms > seen.ms || (ms === seen.ms && r.kind === 'node.agent-returned')) latest.set(r.nodeId, { kind: r.kind, ms });
  }
  return new Set([...latest].filter(([, l]) => l.kind === 'node.agent-lost').map(([nodeId]) => nodeId));
}

function lostEvent(node: NodeRow, last: CachedNodeStatus, staleAfterMs: number): EventRow {
  const lostAt = new Date(last.receivedAt.getTime() + staleAfterMs);
  return controllerEvent(node, 'node.agent-lost', 'warning', `${node.name}: no report from its agent for ${Math.round(staleAfterMs / 1000)} s`, { lastReportAt: last.receivedAt.toISOString(), staleAfterMs }, lostAt);
}

/**
 * The policy columns of a cluster its first agent creates: the policy that agent proposes (its
 * agent.yaml failover block), else the defaults. The preferred node, named by the agent, waits
 * by name until that node registers (resolvePendingPreferred).
 */
function firstPolicyColumns(proposed: RegisterRequest['proposedPolicy']): Pick<ClusterRow, 'preferredNodeId' | 'failbackPolicy' | 'failbackHoldDownSeconds' | 'policySettings'> {
  if (proposed === undefined) return { preferredNodeId: null, failbackPolicy: 'automatic', failbackHoldDownSeconds: failbackHoldDownSecondsDefault, policySettings: null };
  const { preferredNode, failback, failover, triggers, boot, maintenance, backfill } = proposed;
  return {
    preferredNodeId: null,
    failbackPolicy: failback.policy,
    failbackHoldDownSeconds: failback.holdDownSeconds,
    policySettings: { failover, triggers, boot, maintenance, backfill, ...(preferredNode === null ? {} : { pendingPreferredNode: preferredNode }) },
  };
}

/**
 * Once the node a proposed policy prefers registers, its id takes the place of its name. The
 * policy agents get is the same either way (the preferred node by name), so the version stays.
 */
async function resolvePendingPreferred(m: EntityManager, cluster: ClusterRow, node: NodeRow): Promise<ClusterRow> {
  const pending = cluster.policySettings?.pendingPreferredNode;
  if (pending === undefined || pending !== node.name || cluster.preferredNodeId !== null) return cluster;
  const { pendingPreferredNode: _resolved, ...rest } = cluster.policySettings as NonNullable<ClusterRow['policySettings']>;
  const policySettings = rest as NonNullable<ClusterRow['policySettings']>;
  const changed = { preferredNodeId: node.id, policySettings, version: cluster.version + 1, updatedAt: new Date() };
  await m.update(ClusterEntity, { id: cluster.id }, changed);
  return { ...cluster, ...changed };
}
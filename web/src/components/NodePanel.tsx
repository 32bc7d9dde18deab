// One node of a cluster, as the Server Cloning panel shows it: host, HA status, SafeKit state,
// uptime, ping to its peer, storages, the cluster policy version it runs (marked when it lags
// behind the controller's), its backfill; and, for operators, Focus and the backfill commands.
import type { ClusterSummary, NodeBackfill, NodeLiveState, NodeSummary } from '../api/types';
import { formatPing, formatTime, formatUptime, policyLag, roleLabel } from '../lib/format';
import { BackfillPanel } from './BackfillPanel';
import { HaStatusBadge, StateBadge } from './Badges';
import { StoragesPanel } from './StoragesPanel';

export interface NodePanelProps {
  cluster: ClusterSummary;
  node: NodeSummary;
  live: NodeLiveState | undefined;
  /** Its entry of GET …/backfill; undefined until that has answered. */
  backfill: NodeBackfill | undefined;
  /** The cluster policy's current version, as the live state says; null before it has answered. */
  policyVersion: number | null;
  focused: boolean;
  canOperate: boolean;
  busy: boolean;
  onFocus: (nodeId: string) => void;
  /** A backfill command was taken: what to tell the operator. */
  onBackfillCommanded: (message: string) => void;
}

export function NodePanel({ cluster, node, live, backfill, policyVersion, focused, canOperate, busy, onFocus, onBackfillCommanded }: NodePanelProps) {
  const serving = node.id === cluster.servingNodeId;
  const title = `${roleLabel(node.role)} node`;
  const headingId = `node-${node.id}`;
  const lag = live === undefined || policyVersion === null ? null : policyLag(live, policyVersion);
  return (
    <section className={`panel node${serving ? ' is-serving' : ''}${focused ? ' is-focused' : ''}`} aria-labelledby={headingId}>
      <header className="panel-head">
        <h3 id={headingId}>
          {title}: {node.name}
        </h3>
        {focused && <span className="flag flag-info">Focused</span>}
      </header>
      <dl className="facts">
        <dt>Host</dt>
        <dd>
          <span className="mono">{node.hostName}</span>
          {node.addresses.length > 0 && <span className="muted"> ({node.addresses.join(', ')})</span>}
        </dd>
        <dt>HA status</dt>
        <dd data-testid="ha-status">
          <HaStatusBadge status={node.haStatus} /> <StateBadge state={node.state} />
          {live?.steppingDown === true && (
            <span className="flag flag-warn" title="It still says it serves, under an older epoch: it is releasing the shared address">
              Stepping down
            </span>
          )}
        </dd>
        <dt>Uptime</dt>
        <dd>{formatUptime(node.uptimeSeconds)}</dd>
        <dt>Ping time</dt>
        <dd>
          {formatPing(node.ping)} <span className="muted">(ms)</span>
        </dd>
        <dt>Storages</dt>
        <dd>{node.storageCount ?? '—'}</dd>
        {live !== undefined && (
          <>
            <dt>Recording Server</dt>
            <dd>
              {live.service ?? '—'}
              {live.healthy === false && <span className="flag flag-down">Unhealthy</span>}
              {live.problem !== null && <span className="muted"> {live.problem}</span>}
            </dd>
            <dt>Last report</dt>
            <dd>{live.lastReportAt === null ? 'never' : formatTime(live.lastReportAt)}</dd>
            <dt>Cluster policy</dt>
            <dd data-testid="node-policy">
              {lag === null ? (
                live.policyVersion === null ? '—' : `v${live.policyVersion}`
              ) : (
                <span className="flag flag-warn policy-lag" data-testid="policy-lag" title="Its agent has not applied the controller's current policy yet">
                  {lag}
                </span>
              )}
            </dd>
          </>
        )}
      </dl>
      {canOperate && (
        <div className="actions">
          <button type="button" onClick={() => onFocus(node.id)} disabled={busy || focused} aria-label={`Focus on ${node.name}`}>
            {focused ? 'Focused' : 'Focus'}
          </button>
        </div>
      )}
      <BackfillPanel clusterId={cluster.id} node={backfill} canOperate={canOperate} busy={busy} onCommanded={onBackfillCommanded} />
      <StoragesPanel clusterId={cluster.id} nodeId={node.id} nodeName={node.name} />
    </section>
  );
}

// Cluster settings: the cluster policy, the one place a cluster's failover behaviour is set.
// Always shown: its version and each node that has not applied it yet (from the live state), and
// whether the cluster has an agent secret (AgentSecret: admins generate one there).
// Opened: every setting, editable by admins and read-only for everyone else (PolicyEditor,
// loaded then, since it brings the contract's bounds and rules, and zod with them).
import { lazy, Suspense, useState } from 'react';
import type { ClusterState, ClusterSummary } from '../api/types';
import { policyLag } from '../lib/format';
import { AgentSecret } from './AgentSecret';

const PolicyEditor = lazy(() => import('./PolicyEditor').then((m) => ({ default: m.PolicyEditor })));

export interface ClusterSettingsProps {
  cluster: ClusterSummary;
  live: ClusterState | null;
  /** The caller is an admin: the settings can be changed. */
  canEdit: boolean;
  /** A new version was saved: the live state will show it. */
  onSaved: () => void;
}

export function ClusterSettings({ cluster, live, canEdit, onSaved }: ClusterSettingsProps) {
  const [open, setOpen] = useState(false);
  const lagging = live === null ? [] : live.nodes.flatMap((n) => {
    const lag = policyLag(n, live.policyVersion);
    return lag === null ? [] : [{ nodeId: n.nodeId, text: `${n.name} ${lag}` }];
  });
  return (
    <section className="panel settings" aria-labelledby="settings-title">
      <header className="panel-head">
        <h2 id="settings-title">Cluster settings</h2>
        {live !== null && (
          <span className="muted small" data-testid="policy-version">
            policy v{live.policyVersion}
          </span>
        )}
        {lagging.map((l) => (
          <span key={l.nodeId} className="flag flag-warn" data-testid="policy-lag" title="Its agent has not applied the controller's current policy yet">
            {l.text}
          </span>
        ))}
        <button type="button" aria-expanded={open} aria-controls="settings-body" onClick={() => setOpen((o) => !o)}>
          {open ? 'Hide settings' : 'Show settings'}
        </button>
      </header>
      <AgentSecret key={cluster.id} clusterId={cluster.id} secretSet={cluster.agentSecretSet} canEdit={canEdit} />
      {open && (
        <div id="settings-body">
          <Suspense fallback={<p className="muted">Loading…</p>}>
            <PolicyEditor clusterId={cluster.id} mode={cluster.mode} nodes={cluster.nodes} liveVersion={live?.policyVersion ?? null} canEdit={canEdit} onSaved={onSaved} />
          </Suspense>
        </div>
      )}
    </section>
  );
}

// One cluster: its live state, the two node panels with their backfill and storages, Focus,
// Switch, maintenance, its availability timeline, its settings (the cluster policy) and its
// Device Overview.
import { useState } from 'react';
import { api, describeError } from '../api/client';
import type { ClusterSummary, Focus, SwitchAccepted } from '../api/types';
import { usePoll } from '../hooks/usePoll';
import { dataColumn } from '../lib/backfill';
import { CameraTable } from './CameraTable';
import { Flag } from './Badges';
import { ClusterSettings } from './ClusterSettings';
import { FocusPanel } from './FocusPanel';
import { NodePanel } from './NodePanel';
import { PoolView } from './PoolView';
import { SwitchDialog } from './SwitchDialog';
import { TimelinePanel } from './TimelinePanel';

const statePollMs = 2_000;
/** Agents audit and report backfill every second or so; its figures move slower than the state. */
const backfillPollMs = 3_000;

export interface ClusterViewProps {
  cluster: ClusterSummary;
  canOperate: boolean;
  /** Admins change the cluster's settings; everyone else sees them read-only. */
  canAdmin: boolean;
  focus: Focus | undefined;
  onFocusChange: (clusterId: string, focus: Focus | null) => void;
  onChanged: () => void;
}

type Message = { kind: 'status' | 'error'; text: string } | null;

export function ClusterView({ cluster, canOperate, canAdmin, focus, onFocusChange, onChanged }: ClusterViewProps) {
  const state = usePoll((signal) => api.clusterState(cluster.id, signal), statePollMs, cluster.id);
  const backfill = usePoll((signal) => api.clusterBackfill(cluster.id, signal), backfillPollMs, cluster.id);
  const [switching, setSwitching] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);

  const serving = cluster.nodes.find((n) => n.id === cluster.servingNodeId);
  const standby = cluster.mode === 'cloning' ? cluster.nodes.find((n) => n.id !== cluster.servingNodeId) : undefined;
  const live = state.data;
  const nameOf = (id: string | null) => cluster.nodes.find((n) => n.id === id)?.name ?? null;
  const operatorOnly = canOperate ? undefined : 'Needs the operator role';

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ kind: 'status', text: await action() });
      state.refresh();
      onChanged();
    } catch (err) {
      setMessage({ kind: 'error', text: describeError(err) });
    } finally {
      setBusy(false);
    }
  };

  const accepted = (result: SwitchAccepted) => {
    setSwitching(false);
    const to = nameOf(result.to);
    setMessage({ kind: 'status', text: `Switch accepted: ${nameOf(result.from) ?? 'the Serving node'} hands over${to !== null ? ` to ${to}` : ''}.` });
    state.refresh();
    onChanged();
  };

  const maintenance = live?.maintenance ?? false;
  return (
    <section className="cluster" aria-labelledby="cluster-title">
      <header className="cluster-head">
        <div>
          <h2 id="cluster-title">{cluster.name}</h2>
          <p className="muted">
            {cluster.mode === 'cloning' ? 'Server Cloning' : 'Failover pool'} · shared address <span className="mono">{cluster.sharedAddress}</span> · failback {cluster.failbackPolicy}
            {cluster.description !== '' && <> · {cluster.description}</>}
          </p>
          <p className="flags">
            {serving !== undefined ? (
              <span>
                Serving: <strong className="serving-name" data-testid="cluster-serving">{serving.name}</strong>
              </span>
            ) : (
              <Flag tone="down">No node serving</Flag>
            )}
            {cluster.dataMissing && (
              <Flag tone="warn" title="What a node lacks of what its peer holds; backfill restores it">
                {dataColumn(cluster).text}
              </Flag>
            )}
            {live?.switchInProgress === true && <Flag tone="info">Switch in progress</Flag>}
            {maintenance && <Flag tone="warn" title="Automatic failover is suspended">Maintenance</Flag>}
            {live?.conflict === true && <Flag tone="down" title="Two reachable nodes both report that they serve">Serving conflict</Flag>}
          </p>
        </div>
        {/* A pool has no pair switch or maintenance (the API refuses them, `cluster-is-pool`): its failovers are per protected server, in the pool view. */}
        {cluster.mode === 'cloning' && (
          <div className="actions" role="group" aria-label="Cluster actions">
            <button
              type="button"
              className="danger"
              disabled={!canOperate || busy || serving === undefined}
              title={operatorOnly}
              onClick={() => {
                setMessage(null);
                setSwitching(true);
              }}
            >
              Switch…
            </button>
            <button type="button" disabled={!canOperate || busy || live === null} title={operatorOnly ?? (maintenance ? 'Resume automatic failover' : 'Suspend automatic failover')} onClick={() => void run(async () => ((await api.maintenance(cluster.id, !maintenance)).maintenance ? 'Maintenance is on: automatic failover is suspended.' : 'Maintenance is off.'))}>
              {maintenance ? 'End maintenance' : 'Start maintenance'}
            </button>
            {!canOperate && <span className="muted small">Read-only: viewer</span>}
          </div>
        )}
      </header>
      {message !== null && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'error' : 'notice'}>
          {message.text}
        </p>
      )}
      {state.error !== null && <p className="error">Live state: {describeError(state.error)}</p>}
      {backfill.error !== null && <p className="error">Backfill: {describeError(backfill.error)}</p>}
      {focus !== undefined && (
        <FocusPanel
          focus={focus}
          canOperate={canOperate}
          busy={busy}
          onClear={() =>
            void run(async () => {
              await api.unfocus(cluster.id);
              onFocusChange(cluster.id, null);
              return 'Focus cleared.';
            })
          }
        />
      )}
      {cluster.mode === 'pool' && <PoolView cluster={cluster} canOperate={canOperate} canAdmin={canAdmin} />}
      <div className="nodes">
        {cluster.nodes.map((node) => (
          <NodePanel
            key={node.id}
            cluster={cluster}
            node={node}
            live={live?.nodes.find((n) => n.nodeId === node.id)}
            backfill={backfill.data?.nodes.find((n) => n.nodeId === node.id)}
            policyVersion={live?.policyVersion ?? null}
            focused={focus?.nodeId === node.id}
            canOperate={canOperate}
            busy={busy}
            onFocus={(nodeId) =>
              void run(async () => {
                const result = await api.focus(cluster.id, nodeId);
                onFocusChange(cluster.id, result);
                return `Focus on ${result.nodeName}.`;
              })
            }
            onBackfillCommanded={(text) => {
              setMessage({ kind: 'status', text });
              backfill.refresh();
              onChanged();
            }}
          />
        ))}
      </div>
      <TimelinePanel cluster={cluster} />
      <ClusterSettings
        cluster={cluster}
        live={live}
        canEdit={canAdmin}
        onSaved={() => {
          state.refresh();
          onChanged();
        }}
      />
      <CameraTable clusterId={cluster.id} />
      {switching && serving !== undefined && (
        <SwitchDialog clusterId={cluster.id} clusterName={cluster.name} fromName={serving.name} toName={standby?.name ?? null} onClose={() => setSwitching(false)} onAccepted={accepted} />
      )}
    </section>
  );
}

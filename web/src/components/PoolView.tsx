// A failover pool (mode `pool`) at a glance, in XProtect's nouns: each protected recording
// server's failover state with its settings and the operator commands its state allows, the
// failover groups with their ordered standbys, and each standby's capacity, assignment and
// lease. Asked again after every change, soon after each `pool.*` event of its cluster on the
// console's event stream (debounced), and by a slow safety poll (a stream cut meanwhile).
import { useEffect, useState } from 'react';
import { api, describeError } from '../api/client';
import type { ClusterSummary, Pool, ProtectedServer } from '../api/types';
import { usePoll } from '../hooks/usePoll';
import { debounced, subscribeStreamEvents } from '../lib/event-feed';
import { isPoolEvent, type PoolCommand } from '../lib/pool';
import { PoolCommandDialog } from './PoolCommandDialog';
import { PoolGroups } from './PoolGroups';
import { PoolServerDialog } from './PoolServerDialog';
import { PoolServers } from './PoolServers';
import { PoolStandbys } from './PoolStandbys';

/** The events keep the view current; this only catches what a cut stream missed. */
const poolSafetyPollMs = 30_000;
/** A failover says several events within a second: one refresh for them. */
const poolEventQuietMs = 250;

export interface PoolViewProps {
  cluster: ClusterSummary;
  canOperate: boolean;
  canAdmin: boolean;
}

type Message = { kind: 'status' | 'error'; text: string } | null;
type Dialog = { kind: 'settings'; server: ProtectedServer } | { kind: 'command'; command: PoolCommand; server: ProtectedServer } | null;

export function PoolView({ cluster, canOperate, canAdmin }: PoolViewProps) {
  const poll = usePoll((signal) => api.pool(cluster.id, signal), poolSafetyPollMs, cluster.id);
  const { refresh } = poll;
  useEffect(() => {
    const soon = debounced(refresh, poolEventQuietMs);
    const stop = subscribeStreamEvents((event) => {
      if (event.clusterId === cluster.id && isPoolEvent(event.kind)) soon.trigger();
    });
    return () => {
      stop();
      soon.cancel();
    };
  }, [cluster.id, refresh]);
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const pool: Pool | null = poll.data;

  /** Runs a change, says what it did (or the controller's reason), and reloads the pool. */
  const run = async (change: () => Promise<string>): Promise<boolean> => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ kind: 'status', text: await change() });
      return true;
    } catch (err) {
      setMessage({ kind: 'error', text: describeError(err) });
      return false;
    } finally {
      setBusy(false);
      poll.refresh();
    }
  };
  const done = (text: string) => {
    setDialog(null);
    setMessage({ kind: 'status', text });
    poll.refresh();
  };

  return (
    <section className="panel pool" aria-labelledby="pool-title" data-testid="pool-view">
      <header className="panel-head">
        <h2 id="pool-title">Failover pool</h2>
        <span className="muted small">
          {pool === null ? '' : `${pool.protectedServers.length} protected · ${pool.standbys.length} standby · ${pool.failoverGroups.length} group${pool.failoverGroups.length === 1 ? '' : 's'}`}
        </span>
        {!canAdmin && <span className="muted small">{canOperate ? 'Operator: failover commands; settings read-only' : 'Read-only: viewer'}</span>}
      </header>
      {poll.error !== null && (
        <p role="alert" className="error">
          Pool: {describeError(poll.error)}
        </p>
      )}
      {message !== null && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'error' : 'notice'} data-testid="pool-message">
          {message.text}
        </p>
      )}
      {pool === null ? (
        poll.error === null && <p className="muted">Loading…</p>
      ) : (
        <>
          <PoolServers
            pool={pool}
            canOperate={canOperate}
            canAdmin={canAdmin}
            busy={busy}
            onEdit={(server) => setDialog({ kind: 'settings', server })}
            onCommand={(command, server) => {
              setMessage(null);
              setDialog({ kind: 'command', command, server });
            }}
          />
          <PoolGroups clusterId={cluster.id} pool={pool} canAdmin={canAdmin} busy={busy} run={run} />
          <PoolStandbys clusterId={cluster.id} pool={pool} canAdmin={canAdmin} busy={busy} run={run} />
        </>
      )}
      {dialog?.kind === 'settings' && pool !== null && <PoolServerDialog clusterId={cluster.id} pool={pool} server={dialog.server} onClose={() => setDialog(null)} onSaved={done} />}
      {dialog?.kind === 'command' && pool !== null && <PoolCommandDialog clusterId={cluster.id} pool={pool} command={dialog.command} server={dialog.server} onClose={() => setDialog(null)} onDone={done} />}
    </section>
  );
}

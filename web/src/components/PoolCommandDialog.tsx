// A pool command on one protected recording server, confirmed in a dialog that says what will
// happen: manual failover (the pool's choice of standby, or a free one named), stop failover
// (sync or discard what the standby recorded), finish failback, replace (permanent: by the
// standby serving it, or by a free standby chosen). A refusal
// (409 `pool-failover-not-possible`) stays in the dialog with its reason in words.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, describeError } from '../api/client';
import type { Pool, PoolFailover, ProtectedServer } from '../api/types';
import { commandEffect, commandLabel, describePoolRefusal, type PoolCommand, type StopRecordings } from '../lib/pool';

export interface PoolCommandDialogProps {
  clusterId: string;
  pool: Pool;
  command: PoolCommand;
  server: ProtectedServer;
  onClose: () => void;
  onDone: (text: string) => void;
}

/** The button that sends it, without the dialog's ellipsis. */
const sendLabel: Record<PoolCommand, string> = { start: 'Fail over', stop: 'Stop failover', 'finish-failback': 'Finish failback', replace: 'Replace for good' };

export function PoolCommandDialog({ clusterId, pool, command, server, onClose, onDone }: PoolCommandDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [standbyId, setStandbyId] = useState('');
  const [recordings, setRecordings] = useState<StopRecordings>('sync');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const free = pool.standbys.filter((s) => s.lease.state === 'free');
  const named = pool.standbys.find((s) => s.nodeId === standbyId)?.name ?? null;
  const standbyName = command === 'start' ? named : server.failover.standby?.nodeName ?? null;
  const replacingName = command === 'replace' ? named : null;
  const nameOf = (answer: PoolFailover) => pool.standbys.find((s) => s.nodeId === answer.standbyNodeId)?.name ?? 'the standby';

  const send = async (): Promise<string> => {
    switch (command) {
      case 'start': {
        const answer = await api.startFailover(clusterId, server.nodeId, standbyId === '' ? {} : { standbyNodeId: standbyId });
        return `Failover of ${server.name} started: ${nameOf(answer)} takes it over (epoch ${answer.epoch}).`;
      }
      case 'stop': {
        const answer = await api.stopFailover(clusterId, server.nodeId, { recordings });
        return `Failover of ${server.name} stopped: ${answer.lease === 'syncing-back' ? `${nameOf(answer)} holds its recordings until failback is finished` : `${nameOf(answer)} is free`}.`;
      }
      case 'finish-failback': {
        const answer = await api.finishFailback(clusterId, server.nodeId);
        return `Failback of ${server.name} finished: ${nameOf(answer)} is free.`;
      }
      case 'replace': {
        const answer = await api.replaceProtectedServer(clusterId, server.nodeId, standbyId === '' ? { confirm: true } : { confirm: true, standbyNodeId: standbyId });
        return `${server.name} replaced by ${nameOf(answer)}.`;
      }
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    send().then(onDone, (err: unknown) => {
      const reason = err instanceof ApiError && typeof err.problem.reason === 'string' ? err.problem.reason : null;
      setError(reason !== null ? `${describePoolRefusal(reason)} ${err instanceof ApiError ? err.problem.detail : ''}`.trim() : describeError(err));
      setBusy(false);
    });
  };

  const title = commandLabel[command].replace('…', '');
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="pool-command-title" aria-describedby="pool-command-desc" onCancel={onClose}>
      <form method="dialog" onSubmit={submit}>
        <h2 id="pool-command-title">
          {title}: {server.name}
        </h2>
        {command === 'start' && (
          <label>
            Standby
            <select value={standbyId} onChange={(e) => setStandbyId(e.target.value)}>
              <option value="">The pool's choice</option>
              {free.map((s) => (
                <option key={s.nodeId} value={s.nodeId}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {command === 'replace' && (
          <label>
            Replaced by
            <select value={standbyId} onChange={(e) => setStandbyId(e.target.value)}>
              <option value="">{standbyName === null ? 'The standby serving it' : `${standbyName}, serving it`}</option>
              {free.map((s) => (
                <option key={s.nodeId} value={s.nodeId}>
                  {s.name} (free)
                </option>
              ))}
            </select>
          </label>
        )}
        {command === 'stop' && (
          <fieldset className="choices">
            <legend>What {standbyName ?? 'the standby'} recorded meanwhile</legend>
            <label className="check">
              <input type="radio" name="recordings" value="sync" checked={recordings === 'sync'} onChange={() => setRecordings('sync')} /> Keep it for the failback sync
            </label>
            <label className="check">
              <input type="radio" name="recordings" value="discard" checked={recordings === 'discard'} onChange={() => setRecordings('discard')} /> Discard it
            </label>
          </fieldset>
        )}
        <p id="pool-command-desc" data-testid="pool-command-effect">
          {commandEffect(command, server.name, standbyName, recordings, replacingName)}
        </p>
        {error !== null && (
          <p role="alert" className="error">
            <strong>Refused:</strong> {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={busy}>
            {busy ? 'Sending…' : sendLabel[command]}
          </button>
        </div>
      </form>
    </dialog>
  );
}

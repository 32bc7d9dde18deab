// A protected recording server's failover settings (admin): primary and secondary failover
// group, hot standby and standby selection, with what changes listed before saving. While the
// server is failed over the controller answers 409 `pool-failed-over-confirm`: the dialog then
// shows its detail (which standby holds the server, that the change applies at the next
// failover) and asks again; confirmed, it resends with `confirm: true`.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, describeError } from '../api/client';
import type { Pool, ProtectedServer, StandbySelection } from '../api/types';
import { describeFailoverChanges, draftOfServer, draftProblem, hotStandbyChoices, selectionText, type FailoverDraft } from '../lib/pool';

export interface PoolServerDialogProps {
  clusterId: string;
  pool: Pool;
  server: ProtectedServer;
  onClose: () => void;
  onSaved: (text: string) => void;
}


export function PoolServerDialog({ clusterId, pool, server, onClose, onSaved }: PoolServerDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [before] = useState<FailoverDraft>(() => draftOfServer(server));
  const [draft, setDraft] = useState<FailoverDraft>(before);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The controller's words when the server is failed over: shown, then confirmed. */
  const [confirmDetail, setConfirmDetail] = useState<string | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const changes = describeFailoverChanges(before, draft, pool);
  const problem = draftProblem(draft);
  const hotChoices = hotStandbyChoices(pool, server.nodeId);
  const set = (patch: Partial<FailoverDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setConfirmDetail(null);
    setError(null);
  };

  const send = async (confirm: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await api.setProtectedServerFailover(clusterId, server.nodeId, { ...draft, ...(confirm ? { confirm: true } : {}) });
      onSaved(`Failover settings of ${server.name} saved${confirm ? '; they apply at its next failover' : ''}.`);
    } catch (err) {
      if (err instanceof ApiError && err.slug === 'pool-failed-over-confirm') setConfirmDetail(err.problem.detail);
      else setError(describeError(err));
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send(false);
  };
  const groupChoices = pool.failoverGroups.map((g) => ({ id: g.id, text: `${g.name} (${g.standbys.length} standby${g.standbys.length === 1 ? '' : 's'})` }));

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="pool-server-title" onCancel={onClose}>
      <form method="dialog" onSubmit={submit}>
        <h2 id="pool-server-title">Failover settings of {server.name}</h2>
        <ChoiceOrNone label="Primary failover group" value={draft.primaryGroupId} choices={groupChoices} onChange={(primaryGroupId) => set({ primaryGroupId })} />
        <ChoiceOrNone label="Secondary failover group" value={draft.secondaryGroupId} choices={groupChoices} onChange={(secondaryGroupId) => set({ secondaryGroupId })} hint="Used only when every standby of the primary group is busy." />
        <ChoiceOrNone
          label="Hot standby"
          value={draft.hotStandbyNodeId}
          choices={hotChoices.map((c) => ({ id: c.nodeId, text: c.name }))}
          onChange={(hotStandbyNodeId) => set({ hotStandbyNodeId })}
          hint="A standby in no group, dedicated to this server: its recorder runs, so it takes over first and fastest."
        />
        <label>
          Standby selection
          <select value={draft.standbySelection} onChange={(e) => set({ standbySelection: e.target.value as StandbySelection })}>
            {Object.entries(selectionText).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
        {problem !== null && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        {changes.length > 0 && (
          <div className="changes" data-testid="pool-server-changes">
            What changes when you save:
            <ul>
              {changes.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </div>
        )}
        {error !== null && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {confirmDetail !== null && (
          <div role="alert" className="error" data-testid="pool-confirm">
            <strong>{server.name} is failed over.</strong> {confirmDetail}
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          {confirmDetail !== null ? (
            <button type="button" className="danger" disabled={busy} onClick={() => void send(true)}>
              {busy ? 'Saving…' : 'Save anyway'}
            </button>
          ) : (
            <button type="submit" className="primary" disabled={busy || problem !== null || changes.length === 0}>
              {busy ? 'Saving…' : 'Save'}
            </button>
          )}
        </div>
      </form>
    </dialog>
  );
}

/** A select of ids with "None" (null) first. */
function ChoiceOrNone({ label, value, choices, onChange, hint }: { label: string; value: string | null; choices: { id: string; text: string }[]; onChange: (id: string | null) => void; hint?: string }) {
  return (
    <label>
      {label}
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}>
        <option value="">None</option>
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.text}
          </option>
        ))}
      </select>
      {hint !== undefined && <span className="small muted">{hint}</span>}
    </label>
  );
}

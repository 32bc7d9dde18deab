// Switch: hand the Serving role to the standby node, after the operator confirms. A refusal
// (409) stays in the dialog with the controller's reason, so the operator sees why. When the
// standby lacks recordings its peer holds (409 target-missing-data), the dialog says what and
// where, and offers "Switch anyway" (force), which the controller audits as such.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, describeError } from '../api/client';
import type { SwitchAccepted } from '../api/types';
import { formatGap, formatSeconds, targetMissingOf, type TargetMissing } from '../lib/backfill';
import { describeRefusal } from '../lib/refusals';

/** Cameras, and gaps of each, the dialog lists. */
const camerasShownMax = 5;
const gapsShownMax = 2;

export interface SwitchDialogProps {
  clusterId: string;
  clusterName: string;
  fromName: string;
  toName: string | null;
  onClose: () => void;
  onAccepted: (accepted: SwitchAccepted) => void;
}

export function SwitchDialog({ clusterId, clusterName, fromName, toName, onClose, onAccepted }: SwitchDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; reason: string | null } | null>(null);
  const [missing, setMissing] = useState<TargetMissing | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const send = async (force: boolean) => {
    setBusy(true);
    setError(null);
    try {
      onAccepted(await api.switchServing(clusterId, reason, force));
    } catch (err) {
      const lacking = err instanceof ApiError ? targetMissingOf(err.problem) : null;
      setMissing(lacking);
      if (lacking === null) {
        const slug = err instanceof ApiError && typeof err.problem.reason === 'string' ? err.problem.reason : null;
        setError({ text: err instanceof ApiError ? (err.problem.detail !== '' ? err.problem.detail : err.problem.title) : describeError(err), reason: slug });
      }
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send(false);
  };

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="switch-title" aria-describedby="switch-desc" onCancel={onClose}>
      <form method="dialog" onSubmit={submit}>
        <h2 id="switch-title">Switch {clusterName}</h2>
        <p id="switch-desc">
          Hand the Serving role from <strong>{fromName}</strong> to {toName === null ? 'the standby node' : <strong>{toName}</strong>}. Clients reconnect through the shared address; recording continues on both nodes.
        </p>
        <label>
          Reason (optional)
          <textarea value={reason} maxLength={512} rows={2} onChange={(e) => setReason(e.target.value)} placeholder="For the event log" />
        </label>
        {error !== null && (
          <div role="alert" className="error">
            <strong>Switch refused:</strong> {error.reason !== null ? describeRefusal(error.reason) : ''}
            <div className="small">{error.text}</div>
          </div>
        )}
        {missing !== null && (
          <div role="alert" className="error" data-testid="target-missing-data">
            <strong>{missing.nodeName} lacks data:</strong> {formatSeconds(missing.missingSeconds)} of recordings its peer holds, in {missing.camerasAffected} camera{missing.camerasAffected === 1 ? '' : 's'}. Switched now, a client playing these ranges back through the shared address finds them empty: wait for backfill to fill them, or switch anyway.
            <ul className="small gaps">
              {missing.cameras.slice(0, camerasShownMax).map((c) => (
                <li key={c.deviceId}>
                  <span className="mono">{c.deviceId}</span> {formatSeconds(c.missingSeconds)}: {c.gaps.slice(0, gapsShownMax).map(formatGap).join('; ')}
                  {c.gaps.length > gapsShownMax && ` and ${c.gaps.length - gapsShownMax} more`}
                </li>
              ))}
              {missing.camerasAffected > camerasShownMax && <li>and {missing.camerasAffected - camerasShownMax} more cameras</li>}
            </ul>
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          {missing !== null ? (
            <button type="button" className="danger" disabled={busy} onClick={() => void send(true)}>
              {busy ? 'Switching…' : 'Switch anyway'}
            </button>
          ) : (
            <button type="submit" className="danger" disabled={busy}>
              {busy ? 'Switching…' : 'Switch'}
            </button>
          )}
        </div>
      </form>
    </dialog>
  );
}

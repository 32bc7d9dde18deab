// Switch: hand the Serving role to the standby node, after the operator confirms. A refusal
// (409) stays in the dialog with the controller's reason, so the operator sees why.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, describeError } from '../api/client';
import type { SwitchAccepted, SwitchRefusalReason } from '../api/types';

/** Every refusal reason of `switch-not-possible` (the OpenAPI document's), in the operator's words. */
const reasonText: Record<SwitchRefusalReason, string> = {
  'no-serving-node': 'No node is serving, so there is nothing to hand over.',
  'switch-in-progress': 'A switch is already under way.',
  'not-serving': 'The node asked to hand over does not serve any more.',
  'peer-not-ready': 'The standby node is not ready to take over.',
  maintenance: 'Maintenance is on.',
  stopped: 'The node is stopped.',
  'sync-not-pending': 'No recorder configuration sync is pending on the node.',
  busy: 'The agent is busy with another command.',
  refused: 'The agent refused without a known reason.',
};
/** The operator's words for a refusal reason, including one this console does not know yet. */
const describeReason = (reason: string): string => (Object.hasOwn(reasonText, reason) ? reasonText[reason as SwitchRefusalReason] : `reason ${reason}.`);

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

  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onAccepted(await api.switchServing(clusterId, reason));
    } catch (err) {
      const slug = err instanceof ApiError && typeof err.problem.reason === 'string' ? err.problem.reason : null;
      setError({ text: err instanceof ApiError ? (err.problem.detail !== '' ? err.problem.detail : err.problem.title) : describeError(err), reason: slug });
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="switch-title" aria-describedby="switch-desc" onCancel={onClose}>
      <form method="dialog" onSubmit={(e) => void submit(e)}>
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
            <strong>Switch refused:</strong> {error.reason !== null ? describeReason(error.reason) : ''}
            <div className="small">{error.text}</div>
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={busy}>
            {busy ? 'Switching…' : 'Switch'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

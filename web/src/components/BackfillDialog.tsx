// Start, pause or resume backfill on one node, after the operator confirms (as Switch does).
// The controller relays the command to the node's agent; a refusal (409) or an unreachable
// agent (502) stays in the dialog with the controller's words.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, describeError } from '../api/client';
import type { BackfillAction, BackfillCommandAccepted } from '../api/types';
import { describeRefusal } from '../lib/refusals';

const actionText: Record<BackfillAction, { verb: string; doing: string; what: string }> = {
  start: { verb: 'Start', doing: 'Starting…', what: 'fills the placeholders of what it lacks from its peer now (in the placeholders mode this is the only way to fill them; it also retries a failed job)' },
  pause: { verb: 'Pause', doing: 'Pausing…', what: 'stops filling until resumed, across agent restarts; recording goes on' },
  resume: { verb: 'Resume', doing: 'Resuming…', what: 'lets filling go on after a pause' },
};

export interface BackfillDialogProps {
  clusterId: string;
  nodeName: string;
  action: BackfillAction;
  onClose: () => void;
  onDone: (accepted: BackfillCommandAccepted) => void;
}

export function BackfillDialog({ clusterId, nodeName, action, onClose, onDone }: BackfillDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; reason: string | null } | null>(null);
  const text = actionText[action];

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
      onDone(await api.backfillCommand(clusterId, action, nodeName, reason));
    } catch (err) {
      const slug = err instanceof ApiError && typeof err.problem.reason === 'string' ? err.problem.reason : null;
      setError({ text: describeError(err), reason: slug });
      setBusy(false);
    }
  };

  const titleId = `backfill-${action}-title`;
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onCancel={onClose}>
      <form method="dialog" onSubmit={(e) => void submit(e)}>
        <h2 id={titleId}>
          {text.verb} backfill on {nodeName}
        </h2>
        <p>
          <strong>{nodeName}</strong> {text.what}.
        </p>
        <label>
          Reason (optional)
          <textarea value={reason} maxLength={512} rows={2} onChange={(e) => setReason(e.target.value)} placeholder="For the event log" />
        </label>
        {error !== null && (
          <div role="alert" className="error">
            <strong>Not done:</strong> {error.reason !== null ? describeRefusal(error.reason) : ''}
            <div className="small">{error.text}</div>
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? text.doing : text.verb}
          </button>
        </div>
      </form>
    </dialog>
  );
}

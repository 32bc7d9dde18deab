// The form of a webhook: name, URL, the event kinds (comma-separated patterns), minimum
// severity, cluster, enabled. Used to create one and to edit one; the controller checks the
// whole (URL scheme, credentials, kind patterns) and its refusal is shown as it says it.
import { useState, type FormEvent } from 'react';
import type { ClusterSummary, Webhook, WebhookCreate } from '../api/types';

const severities = ['info', 'warning', 'error', 'critical'] as const;
type Severity = (typeof severities)[number];

export interface WebhooksFormProps {
  /** The webhook edited; absent: a new one. */
  initial?: Webhook;
  clusters: ClusterSummary[];
  busy: boolean;
  submitLabel: string;
  onSubmit: (values: Required<Omit<WebhookCreate, 'secret'>>) => void;
  onCancel: () => void;
}

/** `failover.*, node.agent-lost` → ['failover.*', 'node.agent-lost']; empty: every kind. */
export function kindsOf(text: string): string[] {
  const kinds = text
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  return kinds.length === 0 ? ['*'] : kinds;
}

export function WebhooksForm({ initial, clusters, busy, submitLabel, onSubmit, onCancel }: WebhooksFormProps) {
  const [name, setName] = useState(initial?.name ?? '');
  const [url, setUrl] = useState(initial?.url ?? '');
  const [kinds, setKinds] = useState((initial?.eventKinds ?? ['failover.*']).join(', '));
  const [severityMin, setSeverityMin] = useState<Severity>(initial?.severityMin ?? 'info');
  const [clusterId, setClusterId] = useState<string>(initial?.clusterId ?? '');
  const [enabled, setEnabled] = useState(initial?.enabled ?? true);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ name: name.trim(), url: url.trim(), eventKinds: kindsOf(kinds), severityMin, clusterId: clusterId === '' ? null : clusterId, enabled });
  };

  return (
    <form className="webhook-form" onSubmit={submit} aria-label={initial === undefined ? 'New webhook' : `Edit webhook ${initial.name}`}>
      <div className="field">
        <label htmlFor="webhook-name">Name</label>
        <div className="field-input">
          <input id="webhook-name" value={name} maxLength={64} required onChange={(e) => setName(e.target.value)} />
        </div>
      </div>
      <div className="field">
        <label htmlFor="webhook-url">URL</label>
        <div className="field-input">
          <input id="webhook-url" type="url" value={url} maxLength={2048} required size={48} placeholder="https://hooks.example.com/twinrec" onChange={(e) => setUrl(e.target.value)} />
        </div>
        <span className="hint">http or https, without a user name or password</span>
      </div>
      <div className="field">
        <label htmlFor="webhook-kinds">Event kinds</label>
        <div className="field-input">
          <input id="webhook-kinds" value={kinds} size={40} onChange={(e) => setKinds(e.target.value)} />
        </div>
        <span className="hint">Comma-separated: * (all), a kind (failover.claiming) or a prefix (failover.*)</span>
      </div>
      <div className="field">
        <label htmlFor="webhook-severity">Minimum severity</label>
        <div className="field-input">
          <select id="webhook-severity" value={severityMin} onChange={(e) => setSeverityMin(e.target.value as Severity)}>
            {severities.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="webhook-cluster">Cluster</label>
        <div className="field-input">
          <select id="webhook-cluster" value={clusterId} onChange={(e) => setClusterId(e.target.value)}>
            <option value="">Every cluster</option>
            {clusters.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Enabled
      </label>
      <div className="dialog-actions">
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

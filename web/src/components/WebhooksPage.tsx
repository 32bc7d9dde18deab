// Webhooks, for admins: the list, a form to add one (its secret shown once, with a copy
// button), edit, enable/disable, test, a new secret, delete (confirmed), and each one's
// delivery log. Every change is sent with the version it is based on, so that a change made
// meanwhile by someone else is refused (and the list reloaded) rather than overwritten.
import { useState } from 'react';
import { api, describeError } from '../api/client';
import type { ClusterSummary, Webhook, WebhookTestResult } from '../api/types';
import { usePoll } from '../hooks/usePoll';
import { WebhooksDeliveries } from './WebhooksDeliveries';
import { WebhooksForm } from './WebhooksForm';

const webhooksPollMs = 5_000;

type Mode = { kind: 'list' } | { kind: 'create' } | { kind: 'edit'; webhook: Webhook };
type Notice = { kind: 'secret'; name: string; secret: string } | { kind: 'test'; name: string; result: WebhookTestResult } | { kind: 'error'; text: string } | null;

/** Shows a secret once, with a button that copies it. */
function SecretOnce({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="panel" data-testid="webhook-secret">
      <p>
        The signing secret of <strong>{name}</strong>, shown once: give it to the receiver to check <code>X-Twinrec-Signature</code>. The controller will not show it again.
      </p>
      <code data-testid="webhook-secret-value">{secret}</code>{' '}
      <button
        type="button"
        onClick={() => {
          void navigator.clipboard?.writeText(secret).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>{' '}
      <button type="button" onClick={onDone}>
        Done
      </button>
    </div>
  );
}

export function WebhooksPage({ clusters }: { clusters: ClusterSummary[] }) {
  const list = usePoll((signal) => api.webhooks(signal), webhooksPollMs, 'webhooks');
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [openLog, setOpenLog] = useState<string | null>(null);
  const clusterName = new Map(clusters.map((c) => [c.id, c.name]));

  const run = async (work: () => Promise<Notice>) => {
    setBusy(true);
    try {
      setNotice(await work());
    } catch (err) {
      setNotice({ kind: 'error', text: describeError(err) });
    } finally {
      setBusy(false);
      list.refresh();
    }
  };

  const items = list.data?.items ?? [];
  return (
    <section className="panel webhooks" aria-labelledby="webhooks-title">
      <header className="panel-head">
        <h2 id="webhooks-title">Webhooks</h2>
        <span className="muted small">{list.data === null ? '' : `${items.length} webhook${items.length === 1 ? '' : 's'}`}</span>
        {mode.kind === 'list' && (
          <button type="button" className="primary" onClick={() => setMode({ kind: 'create' })}>
            New webhook
          </button>
        )}
      </header>
      <p className="muted small">Events are POSTed as JSON, signed with each webhook's secret (HMAC-SHA256, header X-Twinrec-Signature); a receiver that does not answer 2xx is retried with backoff, then the delivery is dropped and logged.</p>
      {list.error !== null && (
        <p role="alert" className="error">
          Webhooks: {describeError(list.error)}
        </p>
      )}
      {notice?.kind === 'secret' && <SecretOnce name={notice.name} secret={notice.secret} onDone={() => setNotice(null)} />}
      {notice?.kind === 'test' && (
        <p role="status" data-testid="webhook-test-result" className={notice.result.outcome === 'delivered' ? 'flag-ok' : 'error'}>
          Test of {notice.name}: {notice.result.outcome}
          {notice.result.httpStatus !== null ? ` (HTTP ${notice.result.httpStatus})` : ''}
          {notice.result.error !== null ? `: ${notice.result.error}` : ''} in {notice.result.durationMs} ms
        </p>
      )}
      {notice?.kind === 'error' && (
        <p role="alert" className="error">
          {notice.text}
        </p>
      )}
      {mode.kind === 'create' && (
        <WebhooksForm
          clusters={clusters}
          busy={busy}
          submitLabel="Create"
          onCancel={() => setMode({ kind: 'list' })}
          onSubmit={(values) =>
            void run(async () => {
              const created = await api.createWebhook(values);
              setMode({ kind: 'list' });
              return { kind: 'secret', name: created.name, secret: created.secret };
            })
          }
        />
      )}
      {mode.kind === 'edit' && (
        <WebhooksForm
          key={mode.webhook.id}
          initial={mode.webhook}
          clusters={clusters}
          busy={busy}
          submitLabel="Save"
          onCancel={() => setMode({ kind: 'list' })}
          onSubmit={(values) =>
            void run(async () => {
              await api.updateWebhook(mode.webhook.id, { ...values, version: mode.webhook.version });
              setMode({ kind: 'list' });
              return null;
            })
          }
        />
      )}
      {list.data !== null && items.length === 0 && mode.kind === 'list' && <p className="muted">No webhooks yet.</p>}
      {items.length > 0 && (
        <table className="grid" aria-label="Webhooks" data-testid="webhooks">
          <thead>
            <tr>
              <th>Name</th>
              <th>URL</th>
              <th>Events</th>
              <th>Cluster</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.flatMap((w) => [
              <tr key={w.id} data-testid={`webhook-${w.name}`}>
                <td>{w.name}</td>
                <td className="mono small">{w.url}</td>
                <td className="small">
                  <span className="mono">{w.eventKinds.join(', ')}</span> · {w.severityMin}+
                </td>
                <td>{w.clusterId === null ? 'every cluster' : (clusterName.get(w.clusterId) ?? w.clusterId)}</td>
                <td>
                  <span className={`flag ${w.enabled ? 'flag-ok' : 'flag-warn'}`}>{w.enabled ? 'enabled' : 'disabled'}</span>
                </td>
                <td className="actions">
                  <button type="button" disabled={busy} onClick={() => void run(async () => (await api.updateWebhook(w.id, { enabled: !w.enabled, version: w.version }), null))}>
                    {w.enabled ? 'Disable' : 'Enable'}
                  </button>{' '}
                  <button type="button" disabled={busy} onClick={() => setMode({ kind: 'edit', webhook: w })}>
                    Edit
                  </button>{' '}
                  <button type="button" disabled={busy} onClick={() => void run(async () => ({ kind: 'test', name: w.name, result: await api.testWebhook(w.id) }))}>
                    Test
                  </button>{' '}
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() =>
                      void run(async () => {
                        const rotated = await api.rotateWebhookSecret(w.id);
                        return { kind: 'secret', name: rotated.name, secret: rotated.secret };
                      })
                    }
                  >
                    New secret
                  </button>{' '}
                  <button type="button" aria-expanded={openLog === w.id} onClick={() => setOpenLog(openLog === w.id ? null : w.id)}>
                    Deliveries
                  </button>{' '}
                  {confirmDelete === w.id ? (
                    <span role="alert">
                      Delete {w.name} and its delivery log?{' '}
                      <button
                        type="button"
                        className="primary"
                        disabled={busy}
                        onClick={() =>
                          void run(async () => {
                            await api.deleteWebhook(w.id);
                            setConfirmDelete(null);
                            return null;
                          })
                        }
                      >
                        Delete
                      </button>{' '}
                      <button type="button" onClick={() => setConfirmDelete(null)}>
                        Cancel
                      </button>
                    </span>
                  ) : (
                    <button type="button" disabled={busy} onClick={() => setConfirmDelete(w.id)}>
                      Delete…
                    </button>
                  )}
                </td>
              </tr>,
              ...(openLog === w.id
                ? [
                    <tr key={`${w.id}-log`}>
                      <td colSpan={6}>
                        <WebhooksDeliveries webhookId={w.id} />
                      </td>
                    </tr>,
                  ]
                : []),
            ])}
          </tbody>
        </table>
      )}
    </section>
  );
}

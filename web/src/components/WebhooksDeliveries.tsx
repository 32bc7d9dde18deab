// A webhook's delivery log: its newest attempts (delivered, failed and retried, dropped), polled
// while it is shown.
import { api, describeError } from '../api/client';
import { usePoll } from '../hooks/usePoll';
import { formatTime } from '../lib/format';

const deliveriesPollMs = 3_000;
const outcomeFlag = { delivered: 'flag-ok', failed: 'flag-warn', dropped: 'flag-down' } as const;

export function WebhooksDeliveries({ webhookId }: { webhookId: string }) {
  const log = usePoll((signal) => api.webhookDeliveries(webhookId, signal), deliveriesPollMs, `webhook-deliveries-${webhookId}`);
  if (log.error !== null) return <p role="alert" className="error">Delivery log: {describeError(log.error)}</p>;
  if (log.data === null) return <p className="muted">Loading…</p>;
  if (log.data.items.length === 0) return <p className="muted" data-testid="webhook-deliveries-empty">No deliveries yet.</p>;
  return (
    <table className="grid" aria-label="Delivery log" data-testid="webhook-deliveries">
      <thead>
        <tr>
          <th>Time</th>
          <th>Event</th>
          <th>Attempt</th>
          <th>Outcome</th>
          <th>HTTP</th>
          <th>ms</th>
          <th>Error</th>
        </tr>
      </thead>
      <tbody>
        {log.data.items.map((d) => (
          <tr key={d.id}>
            <td>
              <time dateTime={d.time}>{formatTime(d.time)}</time>
            </td>
            <td className="mono" title={d.eventId}>
              {d.eventKind}
            </td>
            <td>{d.attempt}</td>
            <td>
              <span className={`flag ${outcomeFlag[d.outcome]}`}>{d.outcome}</span>
            </td>
            <td>{d.httpStatus ?? '—'}</td>
            <td>{d.durationMs}</td>
            <td className="small">{d.error ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

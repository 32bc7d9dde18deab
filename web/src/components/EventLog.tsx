// The live event log: failovers, switches, cameras lost and found, nodes coming and going,
// newest first, as the controller stores them.
import { useState } from 'react';
import type { ClusterSummary } from '../api/types';
import type { EventLog as Log } from '../hooks/useEventStream';
import { formatTime } from '../lib/format';

const statusText: Record<Log['status'], string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

export function EventLog({ log, clusters, selectedClusterId }: { log: Log; clusters: ClusterSummary[]; selectedClusterId: string | null }) {
  const [onlySelected, setOnlySelected] = useState(false);
  const clusterName = new Map(clusters.map((c) => [c.id, c.name]));
  const nodeName = new Map(clusters.flatMap((c) => c.nodes.map((n) => [n.id, n.name] as const)));
  const events = onlySelected && selectedClusterId !== null ? log.events.filter((e) => e.clusterId === selectedClusterId) : log.events;
  return (
    <section className="panel events" aria-labelledby="events-title">
      <header className="panel-head">
        <h2 id="events-title">Event log</h2>
        <span className={`stream stream-${log.status}`} role="status" aria-label={`Event stream: ${statusText[log.status]}`}>
          {statusText[log.status]}
        </span>
      </header>
      <label className="check">
        <input type="checkbox" checked={onlySelected} onChange={(e) => setOnlySelected(e.target.checked)} disabled={selectedClusterId === null} />
        Selected cluster only
      </label>
      <ol className="event-list" aria-label="Events">
        {events.length === 0 && <li className="empty">No events yet.</li>}
        {events.map((event) => (
          <li key={event.id} className={`event sev-${event.severity}`}>
            <div className="event-head">
              <time dateTime={event.time}>{formatTime(event.time)}</time>
              <span className={`sev sev-${event.severity}`}>{event.severity}</span>
              <span className="mono kind">{event.kind}</span>
            </div>
            <div className="event-body">
              {(event.clusterId !== null || event.nodeId !== null) && (
                <span className="muted">
                  {[event.clusterId === null ? null : (clusterName.get(event.clusterId) ?? 'cluster'), event.nodeId === null ? null : (nodeName.get(event.nodeId) ?? null)].filter((x) => x !== null).join(' / ')}
                  {': '}
                </span>
              )}
              {event.message}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

// The cluster's availability (GET …/timeline): a range picker, each node's serving share in
// words, the chart (TimelineChart, loaded on first show) and the failover history table with a
// CSV download of the failover-history report for the same range. Times are the operator's
// local time, with the UTC offset shown.
import { lazy, Suspense, useCallback, useState } from 'react';
import { api, describeError } from '../api/client';
import type { ClusterSummary, Timeline } from '../api/types';
import { usePoll } from '../hooks/usePoll';
import { formatDuration, formatLocal, formatMs, markerKindLabels, nodeColour, sharesText, timelineRangeDefault, timelineRanges, utcOffsetLabel, type TimelineRangeKey } from '../lib/timeline';

const TimelineChart = lazy(() => import('./TimelineChart'));

/** The history changes rarely; a failover shows within this. */
const timelinePollMs = 30_000;

export interface TimelinePanelProps {
  cluster: ClusterSummary;
}

export function TimelinePanel({ cluster }: TimelinePanelProps) {
  const [range, setRange] = useState<TimelineRangeKey>(timelineRangeDefault);
  const rangeMs = timelineRanges.find((r) => r.key === range)?.ms ?? 24 * 3_600_000;
  const timeline = usePoll(
    (signal) => {
      const to = new Date();
      return api.timeline(cluster.id, new Date(to.getTime() - rangeMs), to, signal);
    },
    timelinePollMs,
    `${cluster.id}|${range}`,
  );
  const t: Timeline | null = timeline.data;
  const nameOf = useCallback(
    (nodeId: string | null): string => (nodeId === null ? '—' : (t?.nodes.find((n) => n.nodeId === nodeId)?.name ?? cluster.nodes.find((n) => n.id === nodeId)?.name ?? nodeId)),
    [t, cluster.nodes],
  );
  const offset = utcOffsetLabel(new Date());
  const gapBands = t?.nodes.reduce((sum, n) => sum + n.gaps.length, 0) ?? 0;

  return (
    <section className="panel timeline" aria-labelledby="timeline-title">
      <div className="panel-head">
        <h3 id="timeline-title">Availability</h3>
        <div className="range-picker" role="group" aria-label="Time range">
          {timelineRanges.map((r) => (
            <button key={r.key} type="button" aria-pressed={range === r.key} className={range === r.key ? 'selected' : undefined} onClick={() => setRange(r.key)}>
              {r.label}
            </button>
          ))}
        </div>
      </div>
      {timeline.error !== null && <p className="error">Availability: {describeError(timeline.error)}</p>}
      {t === null ? (
        timeline.error === null && <p className="empty">Loading…</p>
      ) : (
        <>
          <p className="muted small" data-testid="timeline-window">
            {formatLocal(t.from)} – {formatLocal(t.to)} ({offset})
            {t.truncated && <> · only the first {t.itemsMax.toLocaleString('en-US')} bands and markers are shown</>}
          </p>
          <p data-testid="timeline-shares">
            <strong>Serving:</strong> {sharesText(t)}
          </p>
          <figure className="timeline-figure" role="img" aria-label={`Availability of ${cluster.name}: which node served when, ${t.markers.length} changes of the Serving role and ${gapBands} data gap bands; the table below lists the changes.`}>
            <Suspense fallback={<p className="empty">Loading chart…</p>}>
              <TimelineChart timeline={t} nameOf={nameOf} />
            </Suspense>
          </figure>
          <div className="panel-head">
            <h4 id="failover-history-title">Failover history</h4>
            <a href={api.failoverHistoryCsvUrl(cluster.id, new Date(t.from), new Date(t.to))} download={`twinrec-failover-history-${cluster.name}.csv`} data-testid="failover-history-csv">
              Download CSV
            </a>
          </div>
          {t.markers.length === 0 ? (
            <p className="empty">No failover, switch or failback in this range.</p>
          ) : (
            <table className="grid" aria-labelledby="failover-history-title" data-testid="failover-history">
              <caption className="muted small">
                {t.markers.length} change{t.markers.length === 1 ? '' : 's'} of the Serving role; times in {offset}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Kind</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">Detection</th>
                  <th scope="col">Switch</th>
                </tr>
              </thead>
              <tbody>
                {t.markers.map((m) => (
                  <tr key={m.id} data-time={m.time}>
                    <td className="nowrap">{formatLocal(m.time)}</td>
                    <td>{markerKindLabels[m.kind]}</td>
                    <td>{nameOf(m.fromNodeId)}</td>
                    <td>{nameOf(m.toNodeId)}</td>
                    <td>{m.reason}</td>
                    <td>{m.trigger}</td>
                    <td className="nowrap">{formatMs(m.detectionMs)}</td>
                    <td className="nowrap">{formatMs(m.switchMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <ul className="inline-list small muted timeline-totals" aria-label="Serving time per node">
            {t.nodes.map((n, i) => (
              <li key={n.nodeId}>
                <span className={`swatch swatch-${i % 4}`} aria-hidden="true" data-colour={nodeColour(i)} /> {n.name}: served {formatDuration(n.servingSeconds)}, {n.gaps.length} data gap band{n.gaps.length === 1 ? '' : 's'}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

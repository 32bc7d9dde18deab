// A node's storages as its agent last reported them: size, how much camera data and how much
// placeholder data (what backfill has still to fill) each holds, and where it is.
import { api, describeError } from '../api/client';
import type { Storage } from '../api/types';
import { formatBytes, formatPercent, formatSpan, formatTime } from '../lib/format';
import { usePoll } from '../hooks/usePoll';

const storagePollMs = 5_000;

export interface Span {
  seconds: number;
  percent: number;
  oldestAt: string | null;
  newestAt: string | null;
  /** The agent's scan left part of the storage out: the figures are approximate. */
  approximate: boolean;
}

/** The camera-data or placeholder-data span of a storage, when its agent reported one. */
export function spanOf(storage: Storage, kind: 'cameraData' | 'placeholderData'): Span | null {
  const spans = storage.spans;
  if (spans === null) return null;
  const data = spans[kind];
  const percent = kind === 'cameraData' ? spans.cameraData.coveragePercent : spans.placeholderData.sharePercent;
  return { seconds: data.spanSeconds, percent, oldestAt: data.oldestAt, newestAt: data.newestAt, approximate: spans.truncated };
}

function SpanText({ span }: { span: Span | null }) {
  if (span === null) return <span className="muted" title="Not reported by this node's agent">—</span>;
  const range = span.oldestAt === null || span.newestAt === null ? 'No data' : `${formatTime(span.oldestAt)} – ${formatTime(span.newestAt)}`;
  return (
    <span title={span.approximate ? `${range} (approximate: part of the storage was not read)` : range}>
      {formatSpan(span.seconds)}, {formatPercent(span.percent)}
      {span.approximate && <span className="muted"> ≈</span>}
    </span>
  );
}

export function StoragesPanel({ clusterId, nodeId, nodeName }: { clusterId: string; nodeId: string; nodeName: string }) {
  const { data, error } = usePoll((signal) => api.node(clusterId, nodeId, signal), storagePollMs, `${clusterId}/${nodeId}`);
  if (data === null) {
    return <p className={error !== null ? 'error' : 'muted'}>{error !== null ? `Storages: ${describeError(error)}` : 'Loading storages…'}</p>;
  }
  if (data.storages.length === 0) return <p className="muted">No storages reported yet.</p>;
  // One block per storage, as the Management Client's Storages panel lists them.
  return (
    <section className="storages" aria-label={`Storages of ${nodeName}`}>
      {data.storages.map((storage) => (
        <div key={storage.storageId} role="group" aria-label={`Storage ${storage.name}`} className={`storage${storage.available ? '' : ' problem'}`}>
          <div className="storage-name">
            {storage.name}
            {!storage.available && <span className="flag flag-down">Unavailable</span>}
          </div>
          <dl className="facts">
            <dt>Size</dt>
            <dd title={`${formatBytes(storage.usedSpaceBytes)} used, ${formatBytes(storage.freeSpaceBytes)} free`}>{formatBytes(storage.sizeBytes)}</dd>
            <dt>Camera data</dt>
            <dd>
              <SpanText span={spanOf(storage, 'cameraData')} />
            </dd>
            <dt>Placeholder data</dt>
            <dd data-testid="placeholder-data">
              <SpanText span={spanOf(storage, 'placeholderData')} />
              {(spanOf(storage, 'placeholderData')?.seconds ?? 0) > 0 && (
                <span className="flag flag-warn" title="Placeholders wait for backfill to fill them from the peer">
                  Awaiting backfill
                </span>
              )}
            </dd>
            <dt>Location</dt>
            <dd className="mono location">{storage.path}</dd>
          </dl>
        </div>
      ))}
      {data.storagesReportedAt !== null && <p className="muted small">Storages as reported {formatTime(data.storagesReportedAt)}</p>}
    </section>
  );
}

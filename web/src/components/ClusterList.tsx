// The list of clusters: which node serves (highlighted) and what data is missing where, with
// how far backfill is, the way the Management Client's recording server list shows the
// Serving node.
import type { ClusterSummary } from '../api/types';
import { dataColumn } from '../lib/backfill';
import { HaStatusBadge, Flag, StateBadge } from './Badges';

/** The Data cell: measured missing data with backfill's progress, the heuristic's flag, or Complete. */
function DataCell({ cluster }: { cluster: ClusterSummary }) {
  const data = dataColumn(cluster);
  if (data.kind === 'complete') return <span className="muted">{data.text}</span>;
  if (data.kind === 'maybe') {
    return (
      <Flag tone="warn" title="Recordings may exist on one node only, or on none, since the cluster was last seen whole (its agents do not measure it)">
        {data.text}
      </Flag>
    );
  }
  return (
    <span className="data-missing" title="What each node lacks of what its peer holds, within its retention, and how far backfill is">
      {data.text}
    </span>
  );
}

export function ClusterList({ clusters, selectedId, onSelect }: { clusters: ClusterSummary[]; selectedId: string | null; onSelect: (id: string) => void }) {
  if (clusters.length === 0) return <p className="empty">No clusters yet. They appear when their agents register with this controller.</p>;
  return (
    <table className="grid clusters" aria-label="Clusters">
      <thead>
        <tr>
          <th scope="col">Cluster</th>
          <th scope="col">Mode</th>
          <th scope="col">Shared address</th>
          <th scope="col">Serving node</th>
          <th scope="col">Nodes</th>
          <th scope="col">Data</th>
        </tr>
      </thead>
      <tbody>
        {clusters.map((cluster) => {
          const serving = cluster.nodes.find((n) => n.id === cluster.servingNodeId);
          const selected = cluster.id === selectedId;
          return (
            <tr key={cluster.id} className={selected ? 'selected' : undefined}>
              <th scope="row">
                <a
                  href={`/clusters/${cluster.id}`}
                  aria-current={selected ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    onSelect(cluster.id);
                  }}
                >
                  {cluster.name}
                </a>
              </th>
              <td>{cluster.mode === 'cloning' ? 'Server Cloning' : 'Failover pool'}</td>
              <td className="mono">{cluster.sharedAddress}</td>
              <td data-testid="serving-node">{serving !== undefined ? <span className="serving-name">{serving.name}</span> : <Flag tone="down" title="No node with a fresh report says it serves">None serving</Flag>}</td>
              <td>
                <ul className="inline-list">
                  {cluster.nodes.map((node) => (
                    <li key={node.id}>
                      <span className={node.id === cluster.servingNodeId ? 'serving-name' : undefined}>{node.name}</span> <HaStatusBadge status={node.haStatus} /> <StateBadge state={node.state} />
                    </li>
                  ))}
                </ul>
              </td>
              <td data-testid="data-column">
                <DataCell cluster={cluster} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

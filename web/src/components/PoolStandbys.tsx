// The standby ("failover") recording servers of a pool: camera capacity (admins edit it),
// whether its agent reports, its group or hot-standby assignment (a hot standby's readiness), and its lease (free, taking
// over, serving or failback sync, with the epoch) with whom it serves.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { Pool, PoolStandby } from '../api/types';
import { assignmentText, capacityText, hotText, leaseText, parseCapacity } from '../lib/pool';

export interface PoolStandbysProps {
  clusterId: string;
  pool: Pool;
  canAdmin: boolean;
  busy: boolean;
  run: (change: () => Promise<string>) => Promise<boolean>;
}

export function PoolStandbys({ clusterId, pool, canAdmin, busy, run }: PoolStandbysProps) {
  return (
    <div className="pool-part">
      <h3 id="pool-standbys-title">Standby recording servers</h3>
      {pool.standbys.length === 0 ? (
        <p className="empty">No standby recording servers yet.</p>
      ) : (
        <table className="grid" aria-labelledby="pool-standbys-title">
          <thead>
            <tr>
              <th scope="col">Standby</th>
              <th scope="col">Camera capacity</th>
              <th scope="col">Assignment</th>
              <th scope="col">Lease</th>
            </tr>
          </thead>
          <tbody>
            {pool.standbys.map((standby) => {
              const lease = leaseText(standby);
              const hot = hotText(standby);
              return (
                <tr key={standby.nodeId} data-testid={`pool-standby-${standby.name}`}>
                  <th scope="row">
                    {standby.name}
                    {!standby.reachable && <span className="flag flag-warn">Not reporting</span>}
                  </th>
                  <td>{canAdmin ? <CapacityEditor clusterId={clusterId} standby={standby} busy={busy} run={run} /> : capacityText(standby.cameraCapacity)}</td>
                  <td>
                    {assignmentText(standby, pool.failoverGroups)}
                    {hot !== null && (
                      <span className={`badge badge-${hot.tone}`} title={hot.title} data-testid={`pool-hot-${standby.name}`}>
                        {hot.text}
                      </span>
                    )}
                  </td>
                  <td>
                    <span className={`badge badge-${lease.tone}`}>{lease.text}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

function CapacityEditor({ clusterId, standby, busy, run }: { clusterId: string; standby: PoolStandby; busy: boolean; run: PoolStandbysProps['run'] }) {
  const [text, setText] = useState<string | null>(null);
  const shown = text ?? (standby.cameraCapacity === null ? '' : String(standby.cameraCapacity));
  const parsed = text === null ? null : parseCapacity(text);
  const save = (e: FormEvent) => {
    e.preventDefault();
    if (parsed === null || !('value' in parsed)) return;
    const cameraCapacity = parsed.value;
    void run(async () => {
      await api.setPoolStandby(clusterId, standby.nodeId, { cameraCapacity });
      return `Camera capacity of ${standby.name} set to ${capacityText(cameraCapacity)}.`;
    }).then((ok) => {
      if (ok) setText(null);
    });
  };
  const invalid = parsed !== null && 'error' in parsed;
  return (
    <form className="toolbar" onSubmit={save}>
      <input
        type="number"
        min={0}
        step={1}
        className="capacity"
        aria-label={`Camera capacity of ${standby.name}`}
        aria-invalid={invalid}
        value={shown}
        placeholder="Not set"
        onChange={(e) => setText(e.target.value)}
      />
      <span className="muted small">cameras</span>
      {text !== null && (
        <button type="submit" disabled={busy || invalid}>
          Save
        </button>
      )}
      {parsed !== null && 'error' in parsed && <span className="small field-error">{parsed.error}</span>}
    </form>
  );
}

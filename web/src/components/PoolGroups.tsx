// The failover groups of a pool, each an ordered sequence of standbys: the first free one takes
// over. Admins create, rename (sent with the version it is based on) and delete groups, move a
// standby up or down in the sequence, add an unassigned standby and take one out; each change
// sends the whole sequence, which the controller sets in one transaction. Everyone else reads.
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { FailoverGroup, Pool } from '../api/types';
import { capacityText, moveInSequence, unassignedStandbys } from '../lib/pool';

export interface PoolGroupsProps {
  clusterId: string;
  pool: Pool;
  canAdmin: boolean;
  busy: boolean;
  run: (change: () => Promise<string>) => Promise<boolean>;
}

export function PoolGroups({ clusterId, pool, canAdmin, busy, run }: PoolGroupsProps) {
  const [newName, setNewName] = useState('');
  const create = (e: FormEvent) => {
    e.preventDefault();
    const name = newName.trim();
    void run(async () => {
      await api.createFailoverGroup(clusterId, name);
      return `Failover group ${name} created.`;
    }).then((ok) => {
      if (ok) setNewName('');
    });
  };
  return (
    <div className="pool-part">
      <h3>Failover groups</h3>
      {pool.failoverGroups.length === 0 && <p className="empty">No failover groups yet: a protected server without a group or hot standby has no standby to take it over.</p>}
      <div className="pool-groups">
        {pool.failoverGroups.map((group) => (
          <GroupCard key={group.id} clusterId={clusterId} pool={pool} group={group} canAdmin={canAdmin} busy={busy} run={run} />
        ))}
      </div>
      {canAdmin && (
        <form className="toolbar" onSubmit={create}>
          <label>
            New failover group
            <input value={newName} maxLength={64} onChange={(e) => setNewName(e.target.value)} placeholder="Name" />
          </label>
          <button type="submit" disabled={busy || newName.trim() === ''}>
            Create group
          </button>
        </form>
      )}
    </div>
  );
}

function GroupCard({ clusterId, pool, group, canAdmin, busy, run }: PoolGroupsProps & { group: FailoverGroup }) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [adding, setAdding] = useState('');
  const ids = group.standbys.map((s) => s.nodeId);
  const free = unassignedStandbys(pool);
  const usedBy = pool.protectedServers.filter((s) => s.settings.primaryGroupId === group.id || s.settings.secondaryGroupId === group.id).map((s) => s.name);
  const setSequence = (sequence: string[], said: string) =>
    void run(async () => {
      await api.setFailoverGroupStandbys(clusterId, group.id, sequence);
      return said;
    });

  const rename = (e: FormEvent) => {
    e.preventDefault();
    const name = (renaming ?? '').trim();
    void run(async () => {
      await api.renameFailoverGroup(clusterId, group.id, name, group.version);
      return `Failover group ${group.name} renamed to ${name}.`;
    }).then((ok) => {
      if (ok) setRenaming(null);
    });
  };

  return (
    <section className="pool-group" aria-label={`Failover group ${group.name}`} data-testid={`pool-group-${group.name}`}>
      <header className="panel-head">
        {renaming === null ? (
          <h4>{group.name}</h4>
        ) : (
          <form className="toolbar" onSubmit={rename}>
            <label>
              Name
              <input value={renaming} maxLength={64} onChange={(e) => setRenaming(e.target.value)} autoFocus />
            </label>
            <button type="submit" disabled={busy || renaming.trim() === '' || renaming.trim() === group.name}>
              Save name
            </button>
            <button type="button" onClick={() => setRenaming(null)}>
              Cancel
            </button>
          </form>
        )}
        {canAdmin && renaming === null && (
          <>
            <button type="button" disabled={busy} onClick={() => setRenaming(group.name)}>
              Rename
            </button>
            <button type="button" className="danger" disabled={busy} onClick={() => setConfirmDelete(true)}>
              Delete…
            </button>
          </>
        )}
      </header>
      <p className="small muted">{usedBy.length === 0 ? 'No protected server uses it.' : `Used by ${usedBy.join(', ')}.`}</p>
      {confirmDelete && (
        <div role="alert" className="changes">
          Delete failover group {group.name}? {group.standbys.length > 0 ? `Its standbys (${group.standbys.map((s) => s.nodeName).join(', ')}) become unassigned.` : ''}
          {usedBy.length > 0 && ` The controller refuses while ${usedBy.join(', ')} name it.`}
          <div className="actions">
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  await api.deleteFailoverGroup(clusterId, group.id);
                  return `Failover group ${group.name} deleted.`;
                }).then(() => setConfirmDelete(false))
              }
            >
              Delete
            </button>
          </div>
        </div>
      )}
      {group.standbys.length === 0 ? (
        <p className="empty">No standbys in this group.</p>
      ) : (
        <ol className="sequence" aria-label={`Sequence of ${group.name}`}>
          {group.standbys.map((member, index) => {
            const standby = pool.standbys.find((s) => s.nodeId === member.nodeId);
            return (
              <li key={member.nodeId} data-testid="pool-sequence-item">
                <span className="sequence-name">{member.nodeName}</span>
                <span className="small muted">{standby === undefined ? '' : `${capacityText(standby.cameraCapacity)}${standby.lease.state === 'free' ? '' : ' · busy'}`}</span>
                {canAdmin && (
                  <span className="actions">
                    <button type="button" aria-label={`Move ${member.nodeName} up in ${group.name}`} disabled={busy || index === 0} onClick={() => setSequence(moveInSequence(ids, index, -1) ?? ids, `${member.nodeName} moved up in ${group.name}.`)}>
                      ↑
                    </button>
                    <button type="button" aria-label={`Move ${member.nodeName} down in ${group.name}`} disabled={busy || index === ids.length - 1} onClick={() => setSequence(moveInSequence(ids, index, 1) ?? ids, `${member.nodeName} moved down in ${group.name}.`)}>
                      ↓
                    </button>
                    <button type="button" aria-label={`Take ${member.nodeName} out of ${group.name}`} disabled={busy} onClick={() => setSequence(ids.filter((x) => x !== member.nodeId), `${member.nodeName} taken out of ${group.name}.`)}>
                      Remove
                    </button>
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {canAdmin && free.length > 0 && (
        <div className="toolbar">
          <label>
            Add standby
            <select value={adding} onChange={(e) => setAdding(e.target.value)} aria-label={`Standby to add to ${group.name}`}>
              <option value="">Choose…</option>
              {free.map((s) => (
                <option key={s.nodeId} value={s.nodeId}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            disabled={busy || adding === ''}
            onClick={() => {
              const name = free.find((s) => s.nodeId === adding)?.name ?? 'The standby';
              setSequence([...ids, adding], `${name} added to ${group.name}, last in its sequence.`);
              setAdding('');
            }}
          >
            Add to {group.name}
          </button>
        </div>
      )}
    </section>
  );
}

// The protected recording servers of a pool: state (Protected, Failed over → standby, Failback
// sync x % with its progress bar, …) with what it means, failover groups, hot standby, standby selection, whether its
// RecorderConfig.xml is on record, and the commands its state allows. Viewers see the commands
// disabled (the console's way), operators run them, admins also edit the settings and replace.
import type { Pool, ProtectedServer } from '../api/types';
import { commandLabel, commandsFor, recorderConfigText, selectionText, serverStateText, type PoolCommand } from '../lib/pool';

export interface PoolServersProps {
  pool: Pool;
  canOperate: boolean;
  canAdmin: boolean;
  busy: boolean;
  onEdit: (server: ProtectedServer) => void;
  onCommand: (command: PoolCommand, server: ProtectedServer) => void;
}

/** Replace is permanent: an admin's, as the API says; the other commands an operator's. */
const roleOf = (command: PoolCommand): 'operator' | 'admin' => (command === 'replace' ? 'admin' : 'operator');

export function PoolServers({ pool, canOperate, canAdmin, busy, onEdit, onCommand }: PoolServersProps) {
  const nowMs = Date.now();
  const groupName = (id: string | null) => (id === null ? '—' : (pool.failoverGroups.find((g) => g.id === id)?.name ?? '—'));
  const standbyName = (id: string | null) => (id === null ? '—' : (pool.standbys.find((s) => s.nodeId === id)?.name ?? '—'));
  const allowed = (command: PoolCommand) => (roleOf(command) === 'admin' ? canAdmin : canOperate);
  return (
    <div className="pool-part">
      <h3 id="pool-servers-title">Protected recording servers</h3>
      {pool.protectedServers.length === 0 ? (
        <p className="empty">No protected recording servers yet.</p>
      ) : (
        <table className="grid" aria-labelledby="pool-servers-title">
          <thead>
            <tr>
              <th scope="col">Recording server</th>
              <th scope="col">State</th>
              <th scope="col">Failover groups</th>
              <th scope="col">Hot standby</th>
              <th scope="col">Standby selection</th>
              <th scope="col">RecorderConfig.xml</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {pool.protectedServers.map((server) => {
              const state = serverStateText(server, nowMs);
              const config = recorderConfigText(server.recorderConfig);
              return (
                <tr key={server.nodeId} data-testid={`pool-server-${server.name}`} className={state.tone === 'down' ? 'problem' : undefined}>
                  <th scope="row">
                    {server.name}
                    {!server.reachable && <span className="flag flag-warn">Not reporting</span>}
                    {server.settings.sharedAddress !== null && <div className="mono muted">{server.settings.sharedAddress}</div>}
                  </th>
                  <td>
                    <span className={`badge badge-${state.tone}`} data-testid="pool-server-state">
                      {state.label}
                    </span>
                    {server.failover.sync !== null && server.failover.sync.state !== 'done' && server.failover.sync.state !== 'failed' && (
                      <progress max={100} value={server.failover.sync.percent} aria-label={`${server.name} failback sync`} data-testid="pool-server-sync" />
                    )}
                    <div className="small muted">{state.detail}</div>
                  </td>
                  <td>
                    Primary: {groupName(server.settings.primaryGroupId)}
                    <div>Secondary: {groupName(server.settings.secondaryGroupId)}</div>
                  </td>
                  <td>{standbyName(server.settings.hotStandbyNodeId)}</td>
                  <td>{selectionText[server.settings.standbySelection]}</td>
                  <td className={config.onRecord ? undefined : 'warn'} title={server.recorderConfig === null ? undefined : `SHA-256 ${server.recorderConfig.sha256}, received ${server.recorderConfig.receivedAt}`}>
                    {config.text}
                  </td>
                  <td>
                    <div className="actions" role="group" aria-label={`${server.name} actions`}>
                      {commandsFor(server.failover.state).map((command) => (
                        <button
                          key={command}
                          type="button"
                          className={command === 'replace' || command === 'start' ? 'danger' : undefined}
                          disabled={busy || !allowed(command)}
                          title={allowed(command) ? undefined : `Needs the ${roleOf(command)} role`}
                          onClick={() => onCommand(command, server)}
                        >
                          {commandLabel[command]}
                        </button>
                      ))}
                      {canAdmin && (
                        <button type="button" disabled={busy} onClick={() => onEdit(server)}>
                          Failover settings…
                        </button>
                      )}
                    </div>
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

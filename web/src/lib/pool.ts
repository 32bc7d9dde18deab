// How the console words a failover pool (GET …/pool) in XProtect's nouns: a protected recording
// server's failover state, its trigger, its RecorderConfig.xml on record, a standby's lease, the
// failover settings an admin edits (with the changes they make) and the operator commands each
// state allows, with what each will do. Pure, importing only types and the console's
// formatters, so test/console-pool-format.test.ts runs it under Node.
import { formatGap } from './backfill.js';
import { formatBytes } from './format.js';
import type { FailoverGroup, LeaseState, Pool, PoolStandby, PoolTrigger, ProtectedServer, ProtectedServerFailoverUpdate, ProtectedServerState, StandbySelection } from '../api/types.js';

export type Tone = 'ok' | 'transient' | 'down' | 'warn' | 'unknown';

export interface StateText {
  label: string;
  tone: Tone;
  /** One sentence on what it means now and what comes next. */
  detail: string;
}

const triggerText: Record<PoolTrigger, string> = {
  disconnected: 'its agent stopped reporting (disconnected)',
  'service-down': 'the Recording Server service is not running',
  storage: 'a recording storage failed or is degraded',
};

/** Why it failed, in words; '' when not known. */
export const describeTrigger = (trigger: PoolTrigger | null): string => (trigger === null ? '' : triggerText[trigger]);

/** `45 s`, `3 min 5 s`, `2 h 4 min`, `3 d 1 h`; `—` for a negative or unknown span. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.floor(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3_600) return `${Math.floor(s / 60)} min${s % 60 === 0 ? '' : ` ${s % 60} s`}`;
  if (s < 86_400) return `${Math.floor(s / 3_600)} h${Math.floor((s % 3_600) / 60) === 0 ? '' : ` ${Math.floor((s % 3_600) / 60)} min`}`;
  return `${Math.floor(s / 86_400)} d${Math.floor((s % 86_400) / 3_600) === 0 ? '' : ` ${Math.floor((s % 86_400) / 3_600)} h`}`;
}

/** Seconds from an ISO time to `nowMs` (a clock a little ahead reads as 0); null without a time. */
export function secondsSince(since: string | null, nowMs: number): number | null {
  const at = since === null ? Number.NaN : Date.parse(since);
  return Number.isFinite(at) ? Math.max(0, (nowMs - at) / 1000) : null;
}

/** A protected server's state as the pool view's State column shows it. */
export function serverStateText(server: Pick<ProtectedServer, 'failover'>, nowMs: number): StateText {
  const { state, standby, since, trigger } = server.failover;
  const standbyName = standby?.nodeName ?? 'a standby';
  const why = describeTrigger(trigger);
  const because = why === '' ? '' : `: ${why}`;
  const elapsed = secondsSince(since, nowMs);
  const lasting = elapsed === null ? '' : formatDuration(elapsed);
  const texts: Record<ProtectedServerState, () => StateText> = {
    protected: () => ({ label: 'Protected', tone: 'ok', detail: 'Recording on its own; a standby takes over if it fails.' }),
    'failed-over': () => ({ label: `Failed over → ${standbyName}`, tone: 'transient', detail: `Failed${because}${lasting === '' ? '' : `, ${lasting} ago`}; ${standbyName} records its cameras and holds its address.` }),
    'failback-sync': () => failbackSyncText(server.failover.sync, standbyName, lasting),
    waiting: () => ({ label: 'Failed over (no standby free)', tone: 'down', detail: `Failed${because}; it waits for a free standby and is taken over as soon as one frees up.` }),
    'failover-needed': () => ({ label: 'Failover needed', tone: 'down', detail: `Failed${because}. The pool's failover is manual: an operator starts it.` }),
    recovered: () => ({ label: 'Recovered (stop failover pending)', tone: 'warn', detail: `Healthy again for the hold-down while ${standbyName} still serves it. The pool's stop is manual: an operator stops failover.` }),
  };
  return texts[state]();
}

/**
 * `Failback sync 42 %` with the period still only on the standby; before the protected server's
 * agent reports the sync, what is known from the lease alone.
 */
function failbackSyncText(sync: ProtectedServer['failover']['sync'], standbyName: string, lasting: string): StateText {
  if (sync === null) {
    return { label: 'Failback sync', tone: 'transient', detail: `What ${standbyName} recorded during the failover, up to when the sync began${lasting === '' ? '' : ` (${lasting} ago)`}, is still only on ${standbyName}; ${standbyName} returns to its group once failback is finished.` };
  }
  const period = sync.onlyOnStandbyFrom === null || sync.onlyOnStandbyUntil === null ? null : formatGap({ startAt: sync.onlyOnStandbyFrom, endAt: sync.onlyOnStandbyUntil });
  const still = period === null ? '' : `What ${standbyName} recorded ${period} is still only on ${standbyName}. `;
  const copied = `${formatBytes(sync.bytesDone)} of ${formatBytes(sync.bytesTotal)} copied, ${sync.blocksDone} of ${sync.blocksTotal} blocks`;
  switch (sync.state) {
    case 'failed':
      return { label: 'Failback sync failed', tone: 'down', detail: `${still}The sync failed: ${sync.error ?? 'no reason given'}. Finish failback to return ${standbyName} to its group (what is not copied stays only on ${standbyName}).` };
    case 'waiting':
      return { label: `Failback sync ${sync.percent} % (waiting)`, tone: 'warn', detail: `${still}The sync waits: ${sync.error ?? 'retrying'}. ${copied}.` };
    case 'done':
      return { label: 'Failback sync 100 %', tone: 'transient', detail: `Every recording ${standbyName} made during the failover is back; ${standbyName} returns to its group.` };
    default:
      return { label: `Failback sync ${sync.percent} %`, tone: 'transient', detail: `${still}${sync.state === 'placing' ? 'Placeholders are being made before the recorder starts' : copied}; ${standbyName} returns to its group once the sync is done.` };
  }
}

/** `On record (SHA-256 3f9a1c2b…)` or why none matters. */
export function recorderConfigText(config: ProtectedServer['recorderConfig']): { text: string; onRecord: boolean } {
  if (config === null) return { text: 'None on record: no standby can take it over', onRecord: false };
  return { text: `On record (SHA-256 ${config.sha256.slice(0, 12)}…)`, onRecord: true };
}

export const selectionText: Record<StandbySelection, string> = {
  sequence: "The group's sequence (first free standby)",
  'capacity-closest': 'Closest camera capacity',
};

const leaseWords: Record<LeaseState, (whom: string) => string> = {
  free: () => 'Free',
  'taking-over': (whom) => `Taking over ${whom}`,
  serving: (whom) => `Serving ${whom}`,
  'syncing-back': (whom) => `Failback sync to ${whom}`,
};

/** A standby's lease: `Serving RS-1 (epoch 3)`, `Free`. */
export function leaseText(standby: Pick<PoolStandby, 'lease' | 'serving'>): { text: string; tone: Tone } {
  const whom = standby.serving?.nodeName ?? 'a protected server';
  const text = leaseWords[standby.lease.state](whom);
  return { text: standby.lease.state === 'free' ? text : `${text} (epoch ${standby.lease.epoch})`, tone: standby.lease.state === 'free' ? 'ok' : 'transient' };
}

const hotWords: Readonly<Record<NonNullable<PoolStandby['hot']>['state'], { text: string; tone: Tone }>> = {
  cold: { text: 'Not running its identity yet', tone: 'transient' },
  preparing: { text: 'Getting ready', tone: 'transient' },
  ready: { text: 'Ready: records its cameras', tone: 'ok' },
  restoring: { text: 'Going cold', tone: 'transient' },
  failed: { text: 'Failed to get ready', tone: 'down' },
};

/** A hot standby's readiness: `Ready: records its cameras`, `Failed to get ready (apply-config: …)`; null for a standby that runs no server's identity. */
export function hotText(standby: Pick<PoolStandby, 'hot'>): { text: string; tone: Tone; title: string } | null {
  const hot = standby.hot;
  if (hot === null) return null;
  const words = hotWords[hot.state];
  const why = hot.error === null ? '' : ` (${hot.error.step}: ${hot.error.reason})`;
  return { text: `${words.text}${why}`, tone: words.tone, title: `Hot standby of ${hot.protectedServer.nodeName}: its recorder runs that server's RecorderConfig.xml ${hot.configSha256 === null ? '' : ` (SHA-256 ${hot.configSha256.slice(0, 12)}…)`} and records its cameras while it waits, so a takeover only claims the address` };
}

/** `12 cameras`, or that it is not set (a takeover then takes every camera). */
export const capacityText = (capacity: number | null): string => (capacity === null ? 'Not set' : `${capacity} camera${capacity === 1 ? '' : 's'}`);

/** What a standby is assigned to: `Group Hall, 2nd`, `Hot standby for RS-1`, `Unassigned`. */
export function assignmentText(standby: Pick<PoolStandby, 'nodeId' | 'failoverGroupId' | 'hotStandbyFor'>, groups: readonly FailoverGroup[]): string {
  if (standby.hotStandbyFor !== null) return `Hot standby for ${standby.hotStandbyFor.nodeName}`;
  const group = groups.find((g) => g.id === standby.failoverGroupId);
  if (group === undefined) return 'Unassigned';
  const place = group.standbys.findIndex((s) => s.nodeId === standby.nodeId) + 1;
  return `Group ${group.name}, ${ordinal(place)}`;
}

export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** The sequence with the standby at `index` moved by `delta` places; null when it would leave the list. */
export function moveInSequence<T>(sequence: readonly T[], index: number, delta: -1 | 1): T[] | null {
  const to = index + delta;
  if (index < 0 || index >= sequence.length || to < 0 || to >= sequence.length) return null;
  const moved = [...sequence];
  [moved[index], moved[to]] = [moved[to] as T, moved[index] as T];
  return moved;
}

/** Standbys a group can take: in no group and hot standby of no server. */
export const unassignedStandbys = (pool: Pick<Pool, 'standbys'>): PoolStandby[] => pool.standbys.filter((s) => s.failoverGroupId === null && s.hotStandbyFor === null);

/** Standbys a server may have as its hot standby: in no group, and hot standby of no other server. */
export const hotStandbyChoices = (pool: Pick<Pool, 'standbys'>, serverNodeId: string): PoolStandby[] =>
  pool.standbys.filter((s) => s.failoverGroupId === null && (s.hotStandbyFor === null || s.hotStandbyFor.nodeId === serverNodeId));

/** A protected server's failover settings as PUT …/failover takes them (without `confirm`). */
export type FailoverDraft = Omit<ProtectedServerFailoverUpdate, 'confirm'>;

export const draftOfServer = (server: Pick<ProtectedServer, 'settings'>): FailoverDraft => ({
  primaryGroupId: server.settings.primaryGroupId,
  secondaryGroupId: server.settings.secondaryGroupId,
  hotStandbyNodeId: server.settings.hotStandbyNodeId,
  standbySelection: server.settings.standbySelection,
});

/** The API's rule on groups, checked as the admin picks them (the controller checks it again). */
export function draftProblem(draft: FailoverDraft): string | null {
  if (draft.secondaryGroupId !== null && draft.primaryGroupId === null) return 'A secondary group needs a primary group.';
  if (draft.secondaryGroupId !== null && draft.secondaryGroupId === draft.primaryGroupId) return 'The secondary group must be another group than the primary.';
  return null;
}

/** `Primary group: none → Hall`, one line per setting that changes. */
export function describeFailoverChanges(before: FailoverDraft, after: FailoverDraft, pool: Pick<Pool, 'failoverGroups' | 'standbys'>): string[] {
  const group = (id: string | null) => (id === null ? 'none' : (pool.failoverGroups.find((g) => g.id === id)?.name ?? 'a removed group'));
  const standby = (id: string | null) => (id === null ? 'none' : (pool.standbys.find((s) => s.nodeId === id)?.name ?? 'a removed standby'));
  const lines: string[] = [];
  if (before.primaryGroupId !== after.primaryGroupId) lines.push(`Primary failover group: ${group(before.primaryGroupId)} → ${group(after.primaryGroupId)}`);
  if (before.secondaryGroupId !== after.secondaryGroupId) lines.push(`Secondary failover group: ${group(before.secondaryGroupId)} → ${group(after.secondaryGroupId)}`);
  if (before.hotStandbyNodeId !== after.hotStandbyNodeId) lines.push(`Hot standby: ${standby(before.hotStandbyNodeId)} → ${standby(after.hotStandbyNodeId)}`);
  if (before.standbySelection !== after.standbySelection) lines.push(`Standby selection: ${selectionText[before.standbySelection]} → ${selectionText[after.standbySelection]}`);
  return lines;
}

export type PoolCommand = 'start' | 'stop' | 'finish-failback' | 'replace';

/** Which operator commands a state allows (the controller decides again: a refusal says why). */
export function commandsFor(state: ProtectedServerState): PoolCommand[] {
  switch (state) {
    case 'waiting':
    case 'failover-needed':
      return ['start'];
    case 'failed-over':
    case 'recovered':
      return ['stop', 'replace'];
    case 'failback-sync':
      return ['finish-failback'];
    case 'protected':
      return [];
  }
}

export const commandLabel: Record<PoolCommand, string> = {
  start: 'Fail over…',
  stop: 'Stop failover…',
  'finish-failback': 'Finish failback…',
  replace: 'Replace…',
};

/** The recordings choice of stop failover. */
export type StopRecordings = 'sync' | 'discard';

/** What a command will do, for its confirmation dialog; `replacingName`: replace with that free standby, not the one serving it. */
export function commandEffect(command: PoolCommand, serverName: string, standbyName: string | null, recordings: StopRecordings, replacingName: string | null = null): string {
  const standby = standbyName ?? 'the standby';
  switch (command) {
    case 'start':
      return `${standbyName === null ? 'The standby the pool chooses (its hot standby, then the first free one in its failover groups)' : standbyName} takes ${serverName} over: it gets ${serverName}'s RecorderConfig.xml, records its cameras at their failover levels and claims its address under a new epoch. The Management Server sees the same recording server as before.`;
    case 'stop':
      return recordings === 'sync'
        ? `${standby} gives ${serverName}'s identity back and ${serverName} records again. ${standby} stays held (Failback sync) with what it recorded meanwhile until failback is finished.`
        : `${standby} gives ${serverName}'s identity back and ${serverName} records again. What ${standby} recorded meanwhile is discarded and ${standby} is free at once.`;
    case 'finish-failback':
      return `${standby} stops holding the recordings it made for ${serverName} and returns to its failover group. Recordings not yet copied back stay only on ${standby}.`;
    case 'replace':
      if (replacingName !== null) return `Permanent: ${replacingName} takes ${serverName}'s identity for good, its recorder stopped until the failback: what ${standby} recorded meanwhile is synced to it, then it serves ${serverName}'s address and ${standby} returns to its group. ${replacingName} leaves the standbys; the old ${serverName} node is removed from the pool.`;
      return `Permanent: ${standby} becomes ${serverName} for good, keeping the identity and the recordings. ${standby} leaves the standbys and its group; the old ${serverName} node is removed from the pool.`;
  }
}

const refusalText: Record<string, string> = {
  'already-failed-over': 'It is already failed over.',
  'not-failed-over': 'It is not failed over.',
  'no-failback-pending': 'No failback is pending.',
  'failback-pending': 'Its failback is still pending: finish it first.',
  'server-healthy': 'It is healthy: a manual failover is for a server in trouble or failed.',
  'standby-not-free': 'That standby is not free.',
  'no-standby-free': 'No standby is free.',
  'no-recorder-config': 'Its RecorderConfig.xml is not on record, so no standby can take its identity.',
  'no-shared-address': 'Its agent registered no shared address for a standby to claim.',
  changed: 'The pool changed meanwhile: look again and retry.',
};

/** A `pool-failover-not-possible` reason in words, including one this console does not know yet. */
export const describePoolRefusal = (reason: string): string => refusalText[reason] ?? `reason ${reason}.`;

/** Events that change what the pool view shows (the supervisor's and commands' `pool.*`). */
export const isPoolEvent = (kind: string): boolean => kind.startsWith('pool.');

/** A camera capacity as typed: the number, or why not. */
export function parseCapacity(text: string): { value: number } | { error: string } {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return { error: 'A whole number of cameras, 0 or more.' };
  return { value: Number(trimmed) };
}

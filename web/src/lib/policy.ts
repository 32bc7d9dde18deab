// The cluster settings form (components/PolicyEditor.tsx): the policy as the form holds it
// (numbers as typed), each field's label, unit and bounds, the check before saving, and what a
// save changes in words. The bounds, profiles and the whole-policy rule are the wire contract's
// (contracts/cluster-policy-v1.ts), read from its schema, not written again here. Pure, so
// test/console-format.test.ts runs it under Node; it brings zod into the console, so the
// console loads it (with the form) only when the settings are opened.
import './zod-jitless.js';
import {
  backfillModes,
  bootBehaviours,
  clusterPolicySettingsSchema,
  failoverProfiles,
  policyLimits,
  profileTimings,
  type BackfillMode,
  type BootBehaviour,
  type ClusterPolicySettings,
  type FailoverProfile,
} from '../../../contracts/cluster-policy-v1.js';

export { backfillModes, bootBehaviours, failoverProfiles };
export type { BackfillMode, BootBehaviour, FailoverProfile };

/** The settings as the REST API names them (PUT …/policy): the contract's, with the preferred node by id. */
export type PolicySettings = Omit<ClusterPolicySettings, 'preferredNode'> & { preferredNodeId: string | null };
export type FailbackPolicy = PolicySettings['failback']['policy'];
export const failbackPolicies: readonly FailbackPolicy[] = clusterPolicySettingsSchema.shape.failback.shape.policy.options;

const poolWire = clusterPolicySettingsSchema.shape.pool.unwrap().shape;
/** A pool's failover and its stop: `automatic` or `manual` (an operator's command). */
export type PoolAutomation = PolicySettings['pool']['failover'];
export const poolAutomations: readonly PoolAutomation[] = poolWire.failover.options;
/** At failback, the standby's recordings: `sync`ed back or `discard`ed. */
export type FailbackRecordings = PolicySettings['pool']['failbackRecordings'];
export const failbackRecordingsOptions: readonly FailbackRecordings[] = poolWire.failbackRecordings.options;

/** What the form holds: one entry per input; numbers and times as typed, `''` for "the profile's" (or no preferred node). */
export interface PolicyDraft {
  preferredNodeId: string;
  failbackPolicy: FailbackPolicy;
  holdDownSeconds: string;
  profile: FailoverProfile;
  heartbeatIntervalMs: string;
  peerTimeoutMs: string;
  capCount: string;
  capWindowMinutes: string;
  recordingShareEnabled: boolean;
  recordingShareMinPercent: string;
  recordingShareGraceMs: string;
  storageUnavailableEnabled: boolean;
  storageUnavailableGraceMs: string;
  serviceDownEnabled: boolean;
  serviceDownGraceMs: string;
  boot: BootBehaviour;
  maintenance: boolean;
  backfillMode: BackfillMode;
  backfillBandwidthMbps: string;
  backfillTransfersMax: string;
  /** Filling only within a daily window (else always). */
  backfillWindow: boolean;
  /** `HH:MM`, the agent host's local time. */
  backfillWindowStart: string;
  backfillWindowEnd: string;
  /** A failover pool's settings (shown for a pool only; a cloned pair keeps them as they are). */
  poolDisconnectedSeconds: string;
  poolServiceDownEnabled: boolean;
  poolServiceDownSeconds: string;
  poolStorageEnabled: boolean;
  poolStorageSeconds: string;
  poolFailover: PoolAutomation;
  poolStopFailover: PoolAutomation;
  poolHoldDownSeconds: string;
  poolFailbackRecordings: FailbackRecordings;
  poolFailbackStallMinutes: string;
}
export type DraftKey = keyof PolicyDraft;
export type NumberKey =
  | 'holdDownSeconds'
  | 'heartbeatIntervalMs'
  | 'peerTimeoutMs'
  | 'capCount'
  | 'capWindowMinutes'
  | 'recordingShareMinPercent'
  | 'recordingShareGraceMs'
  | 'storageUnavailableGraceMs'
  | 'serviceDownGraceMs'
  | 'backfillBandwidthMbps'
  | 'backfillTransfersMax'
  | 'poolDisconnectedSeconds'
  | 'poolServiceDownSeconds'
  | 'poolStorageSeconds'
  | 'poolHoldDownSeconds'
  | 'poolFailbackStallMinutes';
export type TimeKey = 'backfillWindowStart' | 'backfillWindowEnd';
export type Unit = 's' | 'ms' | 'min' | '%' | 'failovers' | 'Mbit/s' | 'transfers';

export interface NumberField {
  readonly label: string;
  readonly unit: Unit;
  readonly min: number;
  readonly max: number;
  /** What an empty input means: the profile's value. Absent where a value is required. */
  readonly profileDefault?: (profile: FailoverProfile) => number;
  /** A rule beyond the bounds, for the hint. */
  readonly rule?: string;
}

const wire = clusterPolicySettingsSchema.shape;
const failover = wire.failover.shape;
const triggers = wire.triggers.shape;
const backfill = wire.backfill.unwrap().shape;

/** An integer schema's bounds, as the contract sets them. */
const bounds = (schema: { readonly minValue: number | null; readonly maxValue: number | null }): { min: number; max: number } => ({
  min: schema.minValue ?? 0,
  max: schema.maxValue ?? Number.MAX_SAFE_INTEGER,
});
const grace = (profile: FailoverProfile): number => profileTimings[profile].unhealthyGraceMs;

export const numberFields: Readonly<Record<NumberKey, NumberField>> = {
  holdDownSeconds: { label: 'Failback hold-down', unit: 's', ...bounds(wire.failback.shape.holdDownSeconds) },
  heartbeatIntervalMs: { label: 'Heartbeat interval', unit: 'ms', ...bounds(failover.heartbeatIntervalMs.unwrap()), profileDefault: (p) => profileTimings[p].heartbeatIntervalMs },
  peerTimeoutMs: {
    label: 'Peer timeout',
    unit: 'ms',
    ...bounds(failover.peerTimeoutMs.unwrap()),
    profileDefault: (p) => profileTimings[p].peerTimeoutMs,
    rule: `at least ${policyLimits.heartbeatsPerPeerTimeoutMin} heartbeats`,
  },
  capCount: { label: 'Failover cap', unit: 'failovers', ...bounds(failover.capCount) },
  capWindowMinutes: { label: 'Cap window', unit: 'min', ...bounds(failover.capWindowMinutes) },
  recordingShareMinPercent: { label: 'Minimum recording share', unit: '%', ...bounds(triggers.recordingShare.shape.minPercent) },
  recordingShareGraceMs: { label: 'Recording share grace', unit: 'ms', ...bounds(triggers.recordingShare.shape.graceMs.unwrap()), profileDefault: grace },
  storageUnavailableGraceMs: { label: 'Storage unavailable grace', unit: 'ms', ...bounds(triggers.storageUnavailable.shape.graceMs.unwrap()), profileDefault: grace },
  serviceDownGraceMs: { label: 'Service down grace', unit: 'ms', ...bounds(triggers.serviceDown.shape.graceMs.unwrap()), profileDefault: grace },
  backfillBandwidthMbps: { label: 'Backfill bandwidth', unit: 'Mbit/s', ...bounds(backfill.bandwidthMbps) },
  backfillTransfersMax: { label: 'Concurrent transfers', unit: 'transfers', ...bounds(backfill.transfersMax), rule: 'per node' },
  poolDisconnectedSeconds: { label: 'Disconnected for', unit: 's', ...bounds(poolWire.triggers.shape.disconnectedSeconds) },
  poolServiceDownSeconds: { label: 'Service down for', unit: 's', ...bounds(poolWire.triggers.shape.serviceDown.shape.seconds) },
  poolStorageSeconds: { label: 'Storage failed for', unit: 's', ...bounds(poolWire.triggers.shape.storage.shape.seconds) },
  poolHoldDownSeconds: { label: 'Pool hold-down', unit: 's', ...bounds(poolWire.holdDownSeconds) },
  poolFailbackStallMinutes: { label: 'Failback sync stalled after', unit: 'min', ...bounds(poolWire.failbackStallMinutes.unwrap()) },
};

/** The label of every input, in the form's order (the change summary's too). */
export const fieldLabels: Readonly<Record<DraftKey, string>> = {
  preferredNodeId: 'Preferred node',
  failbackPolicy: 'Failback policy',
  holdDownSeconds: numberFields.holdDownSeconds.label,
  profile: 'Failover profile',
  heartbeatIntervalMs: numberFields.heartbeatIntervalMs.label,
  peerTimeoutMs: numberFields.peerTimeoutMs.label,
  capCount: numberFields.capCount.label,
  capWindowMinutes: numberFields.capWindowMinutes.label,
  recordingShareEnabled: 'Recording share trigger',
  recordingShareMinPercent: numberFields.recordingShareMinPercent.label,
  recordingShareGraceMs: numberFields.recordingShareGraceMs.label,
  storageUnavailableEnabled: 'Storage unavailable trigger',
  storageUnavailableGraceMs: numberFields.storageUnavailableGraceMs.label,
  serviceDownEnabled: 'Service down trigger',
  serviceDownGraceMs: numberFields.serviceDownGraceMs.label,
  boot: 'At agent start',
  maintenance: 'Maintenance',
  backfillMode: 'Backfill mode',
  backfillBandwidthMbps: numberFields.backfillBandwidthMbps.label,
  backfillTransfersMax: numberFields.backfillTransfersMax.label,
  backfillWindow: 'Daily filling window',
  backfillWindowStart: 'Window start',
  backfillWindowEnd: 'Window end',
  poolDisconnectedSeconds: numberFields.poolDisconnectedSeconds.label,
  poolServiceDownEnabled: 'Pool service down trigger',
  poolServiceDownSeconds: numberFields.poolServiceDownSeconds.label,
  poolStorageEnabled: 'Pool storage trigger',
  poolStorageSeconds: numberFields.poolStorageSeconds.label,
  poolFailover: 'Pool failover',
  poolStopFailover: 'Stop failover',
  poolHoldDownSeconds: numberFields.poolHoldDownSeconds.label,
  poolFailbackRecordings: 'Recordings at failback',
  poolFailbackStallMinutes: numberFields.poolFailbackStallMinutes.label,
};

/** The inputs of a failover pool's settings: the form shows them for a pool only. */
export const poolDraftKeys: readonly DraftKey[] = (Object.keys(fieldLabels) as DraftKey[]).filter((key) => key.startsWith('pool'));
/** The window's times read as part of `backfillWindow` in the change summary. */
const summarisedWithWindow: ReadonlySet<DraftKey> = new Set<DraftKey>(['backfillWindowStart', 'backfillWindowEnd']);
const fieldOrder = (Object.keys(fieldLabels) as DraftKey[]).filter((key) => !summarisedWithWindow.has(key));
const isNumberKey = (key: DraftKey): key is NumberKey => Object.hasOwn(numberFields, key);

export const bootLabels: Readonly<Record<BootBehaviour, string>> = { keep: 'keep the recorder as it was', start: 'start the recorder', stop: 'leave the recorder stopped' };

export const backfillModeLabels: Readonly<Record<BackfillMode, string>> = {
  enabled: 'placeholders, then filled from the peer automatically',
  placeholders: 'placeholders only; filled on Start',
  disabled: 'no placeholders, no filling',
};

const count = (n: number): string => n.toLocaleString('en-US');
const singular: Partial<Record<Unit, string>> = { failovers: 'failover', transfers: 'transfer' };
const withUnit = (n: number, unit: Unit): string => `${count(n)} ${n === 1 ? (singular[unit] ?? unit) : unit}`;

/**
 * A minute of the day as the time inputs show it: `22:00`.
 *
 * @example timeOfMinute(1_320) // '22:00'
 */
export function timeOfMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** `22:00` (or `7:05`) as a minute of the day; null when it is not a time of day. */
export function minuteOfTime(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (match === null) return null;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
}

/** `0–86,400 s`, and for an override what an empty input means: `; empty: the profile's (250 ms)`. */
export function fieldHint(key: NumberKey, profile: FailoverProfile): string {
  const f = numberFields[key];
  const range = `${count(f.min)}–${withUnit(f.max, f.unit)}`;
  const rule = f.rule === undefined ? '' : `, ${f.rule}`;
  return f.profileDefault === undefined ? `${range}${rule}` : `${range}${rule}; empty: the profile's (${withUnit(f.profileDefault(profile), f.unit)})`;
}

const numberText = (n: number | null): string => (n === null ? '' : String(n));

export function draftOf(s: PolicySettings): PolicyDraft {
  const t = s.triggers;
  return {
    preferredNodeId: s.preferredNodeId ?? '',
    failbackPolicy: s.failback.policy,
    holdDownSeconds: numberText(s.failback.holdDownSeconds),
    profile: s.failover.profile,
    heartbeatIntervalMs: numberText(s.failover.heartbeatIntervalMs),
    peerTimeoutMs: numberText(s.failover.peerTimeoutMs),
    capCount: numberText(s.failover.capCount),
    capWindowMinutes: numberText(s.failover.capWindowMinutes),
    recordingShareEnabled: t.recordingShare.enabled,
    recordingShareMinPercent: numberText(t.recordingShare.minPercent),
    recordingShareGraceMs: numberText(t.recordingShare.graceMs),
    storageUnavailableEnabled: t.storageUnavailable.enabled,
    storageUnavailableGraceMs: numberText(t.storageUnavailable.graceMs),
    serviceDownEnabled: t.serviceDown.enabled,
    serviceDownGraceMs: numberText(t.serviceDown.graceMs),
    boot: s.boot,
    maintenance: s.maintenance,
    backfillMode: s.backfill.mode,
    backfillBandwidthMbps: numberText(s.backfill.bandwidthMbps),
    backfillTransfersMax: numberText(s.backfill.transfersMax),
    backfillWindow: s.backfill.window !== null,
    backfillWindowStart: s.backfill.window === null ? '' : timeOfMinute(s.backfill.window.startMinute),
    backfillWindowEnd: s.backfill.window === null ? '' : timeOfMinute(s.backfill.window.endMinute),
    poolDisconnectedSeconds: numberText(s.pool.triggers.disconnectedSeconds),
    poolServiceDownEnabled: s.pool.triggers.serviceDown.enabled,
    poolServiceDownSeconds: numberText(s.pool.triggers.serviceDown.seconds),
    poolStorageEnabled: s.pool.triggers.storage.enabled,
    poolStorageSeconds: numberText(s.pool.triggers.storage.seconds),
    poolFailover: s.pool.failover,
    poolStopFailover: s.pool.stopFailover,
    poolHoldDownSeconds: numberText(s.pool.holdDownSeconds),
    poolFailbackRecordings: s.pool.failbackRecordings,
    poolFailbackStallMinutes: numberText(s.pool.failbackStallMinutes),
  };
}

/** What is wrong, by input; `form` for what belongs to no single input. */
export type DraftIssues = Partial<Record<DraftKey | 'form', string>>;
export type ParsedDraft = { settings: PolicySettings; issues: null } | { settings: null; issues: DraftIssues };

/** One number input: an integer within its bounds, or null where empty means the profile's. */
function parseNumber(key: NumberKey, text: string): { value: number | null } | { issue: string } {
  const f = numberFields[key];
  const trimmed = text.trim();
  if (trimmed === '') return f.profileDefault !== undefined ? { value: null } : { issue: 'Required' };
  if (!/^\d+$/.test(trimmed)) return { issue: `A whole number of ${f.unit}` };
  const value = Number(trimmed);
  if (value < f.min || value > f.max) return { issue: `From ${count(f.min)} to ${withUnit(f.max, f.unit)}` };
  return { value };
}

/** The backfill inputs, by their path under `backfill`. */
const backfillKeys: Readonly<Record<string, DraftKey>> = {
  mode: 'backfillMode',
  bandwidthMbps: 'backfillBandwidthMbps',
  transfersMax: 'backfillTransfersMax',
  window: 'backfillWindow',
  'window/startMinute': 'backfillWindowStart',
  'window/endMinute': 'backfillWindowEnd',
};

/** The pool inputs, by their path under `pool`. */
const poolKeys: Readonly<Record<string, DraftKey>> = {
  'triggers/disconnectedSeconds': 'poolDisconnectedSeconds',
  'triggers/serviceDown/enabled': 'poolServiceDownEnabled',
  'triggers/serviceDown/seconds': 'poolServiceDownSeconds',
  'triggers/storage/enabled': 'poolStorageEnabled',
  'triggers/storage/seconds': 'poolStorageSeconds',
  failover: 'poolFailover',
  stopFailover: 'poolStopFailover',
  holdDownSeconds: 'poolHoldDownSeconds',
  failbackRecordings: 'poolFailbackRecordings',
  failbackStallMinutes: 'poolFailbackStallMinutes',
};

/**
 * The input a path of the policy names: `failover/peerTimeoutMs` (the contract's issues) or
 * `/body/triggers/serviceDown/graceMs` (a 400 `validation-failed` problem's `errors`).
 */
export function draftKeyOfPath(path: string | readonly PropertyKey[]): DraftKey | null {
  const parts = (typeof path === 'string' ? path.split('/') : path.map(String)).filter((p) => p !== '' && p !== 'body');
  const [first, second, third] = parts;
  let key: string | undefined;
  if (first === 'preferredNodeId' || first === 'preferredNode') key = 'preferredNodeId';
  else if (first === 'failback') key = second === 'policy' ? 'failbackPolicy' : second;
  else if (first === 'triggers' && second !== undefined && third !== undefined) key = `${second}${third.charAt(0).toUpperCase()}${third.slice(1)}`;
  else if (first === 'backfill') key = Object.hasOwn(backfillKeys, parts.slice(1).join('/')) ? backfillKeys[parts.slice(1).join('/')] : undefined;
  else if (first === 'pool') key = Object.hasOwn(poolKeys, parts.slice(1).join('/')) ? poolKeys[parts.slice(1).join('/')] : undefined;
  else key = parts.length === 1 || first === 'failover' ? parts.at(-1) : undefined;
  return key !== undefined && Object.hasOwn(fieldLabels, key) ? (key as DraftKey) : null;
}

/** The settings the draft makes, or what is wrong with it: each input's bounds, then the contract's rules for the whole. */
export function settingsOf(draft: PolicyDraft): ParsedDraft {
  const issues: DraftIssues = {};
  const numbers = {} as Record<NumberKey, number | null>;
  for (const key of Object.keys(numberFields) as NumberKey[]) {
    const parsed = parseNumber(key, draft[key]);
    if ('issue' in parsed) issues[key] = parsed.issue;
    else numbers[key] = parsed.value;
  }
  const window = windowOf(draft, issues);
  if (Object.keys(issues).length > 0) return { settings: null, issues };
  const required = (key: NumberKey): number => numbers[key] ?? 0;
  const settings: PolicySettings = {
    preferredNodeId: draft.preferredNodeId === '' ? null : draft.preferredNodeId,
    failback: { policy: draft.failbackPolicy, holdDownSeconds: required('holdDownSeconds') },
    failover: {
      profile: draft.profile,
      heartbeatIntervalMs: numbers.heartbeatIntervalMs,
      peerTimeoutMs: numbers.peerTimeoutMs,
      capCount: required('capCount'),
      capWindowMinutes: required('capWindowMinutes'),
    },
    triggers: {
      recordingShare: { enabled: draft.recordingShareEnabled, minPercent: required('recordingShareMinPercent'), graceMs: numbers.recordingShareGraceMs },
      storageUnavailable: { enabled: draft.storageUnavailableEnabled, graceMs: numbers.storageUnavailableGraceMs },
      serviceDown: { enabled: draft.serviceDownEnabled, graceMs: numbers.serviceDownGraceMs },
    },
    boot: draft.boot,
    maintenance: draft.maintenance,
    backfill: { mode: draft.backfillMode, bandwidthMbps: required('backfillBandwidthMbps'), transfersMax: required('backfillTransfersMax'), window },
    pool: {
      triggers: {
        disconnectedSeconds: required('poolDisconnectedSeconds'),
        serviceDown: { enabled: draft.poolServiceDownEnabled, seconds: required('poolServiceDownSeconds') },
        storage: { enabled: draft.poolStorageEnabled, seconds: required('poolStorageSeconds') },
      },
      failover: draft.poolFailover,
      stopFailover: draft.poolStopFailover,
      holdDownSeconds: required('poolHoldDownSeconds'),
      failbackRecordings: draft.poolFailbackRecordings,
      failbackStallMinutes: required('poolFailbackStallMinutes'),
    },
  };
  // The preferred node is checked by the controller, which knows the cluster's nodes.
  const { preferredNodeId: _, ...rest } = settings;
  const checked = clusterPolicySettingsSchema.safeParse({ ...rest, preferredNode: null });
  if (checked.success) return { settings, issues: null };
  for (const issue of checked.error.issues) {
    const key = draftKeyOfPath(issue.path) ?? 'form';
    issues[key] ??= issue.message;
  }
  return { settings: null, issues };
}

/** The daily window the draft's time inputs make (null: always), noting an input that is not a time of day. */
function windowOf(draft: PolicyDraft, issues: DraftIssues): PolicySettings['backfill']['window'] {
  if (!draft.backfillWindow) return null;
  const minutes = { backfillWindowStart: minuteOfTime(draft.backfillWindowStart), backfillWindowEnd: minuteOfTime(draft.backfillWindowEnd) };
  for (const key of ['backfillWindowStart', 'backfillWindowEnd'] as const) {
    if (minutes[key] === null) issues[key] = draft[key].trim() === '' ? 'Required' : 'A time of day, HH:MM';
  }
  return { startMinute: minutes.backfillWindowStart ?? 0, endMinute: minutes.backfillWindowEnd ?? 0 };
}

/** A number input's value: as typed, or the profile's where it is empty; null while it is not a whole number. */
function numberValue(draft: PolicyDraft, key: NumberKey): { value: number; fromProfile: boolean } | null {
  const text = draft[key].trim();
  const fromProfile = numberFields[key].profileDefault?.(draft.profile);
  if (text === '') return fromProfile === undefined ? null : { value: fromProfile, fromProfile: true };
  return /^\d+$/.test(text) ? { value: Number(text), fromProfile: false } : null;
}

/** How a value of the draft reads: `300 s`, `the profile's (250 ms)`, `rec-a`, `on`. */
function valueText(draft: PolicyDraft, key: DraftKey, nodeName: (id: string) => string): string {
  if (isNumberKey(key)) {
    const v = numberValue(draft, key);
    if (v === null) return draft[key].trim();
    const text = withUnit(v.value, numberFields[key].unit);
    return v.fromProfile ? `the profile's (${text})` : text;
  }
  switch (key) {
    case 'preferredNodeId':
      return draft.preferredNodeId === '' ? 'none' : nodeName(draft.preferredNodeId);
    case 'boot':
      return bootLabels[draft.boot];
    case 'backfillWindow':
      return draft.backfillWindow ? `${draft.backfillWindowStart}–${draft.backfillWindowEnd} daily` : 'always';
    case 'recordingShareEnabled':
    case 'storageUnavailableEnabled':
    case 'serviceDownEnabled':
    case 'maintenance':
    case 'poolServiceDownEnabled':
    case 'poolStorageEnabled':
      return draft[key] ? 'on' : 'off';
    default:
      return draft[key];
  }
}

/**
 * What saving changes, one line an input, in the form's order: `Failback hold-down: 300 s → 10 s`.
 * An override left empty reads as the profile's value, so a new profile shows what it changes.
 */
export function describeChanges(before: PolicySettings, after: PolicySettings, nodeName: (id: string) => string): string[] {
  const [from, to] = [draftOf(before), draftOf(after)];
  const lines: string[] = [];
  for (const key of fieldOrder) {
    const [a, b] = [valueText(from, key, nodeName), valueText(to, key, nodeName)];
    if (a !== b) lines.push(`${fieldLabels[key]}: ${a} → ${b}`);
  }
  return lines;
}

/** What the nodes use for an override with this draft: `250 ms (the profile's)`, `200 ms`; `''` while the input is not a number. */
export function effectiveText(draft: PolicyDraft, key: NumberKey): string {
  const v = numberValue(draft, key);
  if (v === null) return '';
  const text = withUnit(v.value, numberFields[key].unit);
  return v.fromProfile ? `${text} (the profile's)` : text;
}

/** The If-Match of a policy version, when its GET had no ETag to read: the controller's `"p<version>"`. */
export const policyEtag = (version: number): string => `"p${version}"`;

/** `conservative: heartbeat every 250 ms, peer dead after 2,750 ms, trouble for 2,000 ms`: what a profile sets. */
export function profileText(profile: FailoverProfile): string {
  const t = profileTimings[profile];
  return `${profile}: heartbeat every ${withUnit(t.heartbeatIntervalMs, 'ms')}, peer dead after ${withUnit(t.peerTimeoutMs, 'ms')}, triggers after ${withUnit(t.unhealthyGraceMs, 'ms')}`;
}

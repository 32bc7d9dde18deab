// The cluster policy's every setting, with its unit and bounds (the contract's, lib/policy.ts).
// Admins edit it: before saving they see what changes, and Save sends the whole policy (PUT)
// with If-Match, so a change made meanwhile by someone else is refused (412) and reloaded
// rather than overwritten. Everyone else sees the same form read-only. A failover pool's
// settings (triggers, automatic or manual failover and stop, failback recordings) are shown
// for a pool only.
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError, describeError, type Tagged } from '../api/client';
import type { ClusterPolicy } from '../api/types';
import { formatTime } from '../lib/format';
import {
  backfillModeLabels,
  backfillModes,
  bootBehaviours,
  bootLabels,
  describeChanges,
  draftKeyOfPath,
  draftOf,
  effectiveText,
  failbackPolicies,
  failbackRecordingsOptions,
  failoverProfiles,
  fieldHint,
  fieldLabels,
  numberFields,
  policyEtag,
  poolAutomations,
  profileText,
  settingsOf,
  type DraftIssues,
  type DraftKey,
  type NumberKey,
  type PolicyDraft,
  type TimeKey,
} from '../lib/policy';

export interface PolicyEditorProps {
  clusterId: string;
  /** `pool`: the failover pool's settings are shown too. */
  mode: 'cloning' | 'pool';
  nodes: readonly { id: string; name: string }[];
  /** The version the live state says is current: a newer one than shown is loaded (unless being edited). */
  liveVersion: number | null;
  canEdit: boolean;
  onSaved: () => void;
}

type Message = { kind: 'status' | 'error'; text: string; details?: string[] } | null;

/** What each input does, under it. */
const help: Partial<Record<DraftKey, string>> = {
  preferredNodeId: 'Serves when both nodes are healthy, and is the failback target',
  failbackPolicy: 'automatic: back to the preferred node after the hold-down; manual: only by a Switch',
  holdDownSeconds: 'How long the peer must be healthy before an automatic failback',
  capCount: 'Automatic failovers per cap window; beyond, automatic failover is suspended',
  recordingShareEnabled: 'Hand over when too few of the enabled cameras record',
  storageUnavailableEnabled: 'Hand over when a recording storage is offline or failed',
  serviceDownEnabled: 'Hand over when the Recording Server service is not running or not answering',
  boot: 'What an agent does with its recorder when it starts',
  maintenance: 'Automatic failover suspended on both nodes (as Start maintenance does)',
  backfillMode: 'How a returning node gets what its peer recorded meanwhile',
  backfillBandwidthMbps: 'Budget of the block transfers into a node',
  backfillWindow: "Fill only within a daily window, in each agent host's local time (placeholders are made whenever a node returns)",
  backfillWindowStart: 'Filling starts at this time of day',
  backfillWindowEnd: 'And stops at this one; before the start: over midnight',
  poolDisconnectedSeconds: "A protected recording server counts as failed once its agent's reports stopped this long",
  poolServiceDownEnabled: 'Fail over when the Recording Server service is not running or not answering',
  poolStorageEnabled: 'Fail over when a recording storage failed or is degraded',
  poolFailover: 'automatic: a failed server takes a standby at once; manual: an operator starts the failover',
  poolStopFailover: 'automatic: failover stops once the server was healthy for the hold-down; manual: by command only',
  poolHoldDownSeconds: 'How long a recovered server must stay healthy before failover stops by itself',
  poolFailbackRecordings: "At failback, what the standby recorded meanwhile: synced back to the protected server, or discarded",
  poolFailbackStallMinutes: 'How long a failback sync may make no progress before the controller says so (the standby stays held; finish failback frees it and discards what it holds)',
};

const sameDraft = (a: PolicyDraft, b: PolicyDraft): boolean => JSON.stringify(a) === JSON.stringify(b);

/** A 400's `errors`, each under the label of the input it names. */
function problemDetails(err: unknown): string[] {
  if (!(err instanceof ApiError) || !Array.isArray(err.problem.errors)) return [];
  return err.problem.errors.map((e) => {
    const key = draftKeyOfPath(e.path ?? '');
    return `${key !== null ? fieldLabels[key] : (e.path ?? 'policy')}: ${e.message ?? 'invalid'}`;
  });
}

export function PolicyEditor({ clusterId, mode, nodes, liveVersion, canEdit, onSaved }: PolicyEditorProps) {
  const [loaded, setLoaded] = useState<Tagged<ClusterPolicy> | null>(null);
  const [draft, setDraft] = useState<PolicyDraft | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<Message>(null);

  const adopt = useCallback((tagged: Tagged<ClusterPolicy>) => {
    setLoaded(tagged);
    setDraft(draftOf(tagged.body));
    setLoadError(null);
  }, []);
  const load = useCallback(
    async (signal?: AbortSignal): Promise<ClusterPolicy> => {
      const tagged = await api.clusterPolicy(clusterId, signal);
      adopt(tagged);
      return tagged.body;
    },
    [clusterId, adopt],
  );

  const base = loaded?.body ?? null;
  const dirty = base !== null && draft !== null && !sameDraft(draft, draftOf(base));
  const newer = base !== null && liveVersion !== null && liveVersion > base.version;

  // First the policy; then every newer version (someone else's change, maintenance from the
  // cluster view), unless an edit is under way: that one is warned below instead.
  useEffect(() => {
    if (base !== null && (!newer || dirty || saving)) return;
    const controller = new AbortController();
    load(controller.signal).catch((err: unknown) => {
      if (!controller.signal.aborted) setLoadError(describeError(err));
    });
    return () => controller.abort();
  }, [base, newer, dirty, saving, liveVersion, load]);

  if (base === null || draft === null) {
    return loadError !== null ? <p className="error">Cluster settings: {loadError}</p> : <p className="muted">Loading…</p>;
  }

  const parsed = settingsOf(draft);
  const issues: DraftIssues = parsed.issues ?? {};
  const nameOf = (id: string) => nodes.find((n) => n.id === id)?.name ?? id;
  const changes = parsed.settings === null ? [] : describeChanges(base, parsed.settings, nameOf);
  const set = <K extends DraftKey>(key: K, value: PolicyDraft[K]) => {
    setDraft((d) => (d === null ? d : { ...d, [key]: value }));
    setMessage(null);
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (loaded === null || parsed.settings === null || changes.length === 0) return;
    setSaving(true);
    setMessage(null);
    try {
      const saved = await api.replaceClusterPolicy(clusterId, parsed.settings, loaded.etag ?? policyEtag(loaded.body.version));
      adopt(saved);
      setMessage({ kind: 'status', text: `Saved as policy v${saved.body.version}. Both nodes apply it within seconds, without a restart.` });
      onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        const current = await load().catch(() => null);
        setMessage({
          kind: 'error',
          text:
            current !== null
              ? `Someone else changed these settings meanwhile: policy v${current.version} is loaded. Nothing of yours was saved; make your change again.`
              : `Someone else changed these settings meanwhile, and reloading them failed. Nothing of yours was saved.`,
        });
      } else {
        setMessage({ kind: 'error', text: `Not saved: ${describeError(err)}`, details: problemDetails(err) });
      }
    } finally {
      setSaving(false);
    }
  };

  const field = (key: DraftKey, input: ReactNode, hint: string) => (
    <div className="field" key={key}>
      <label htmlFor={`policy-${key}`}>{fieldLabels[key]}</label>
      <span className="field-input">{input}</span>
      <small id={`policy-${key}-hint`} className="hint">
        {hint}
        {issues[key] !== undefined && <span className="field-error"> {issues[key]}</span>}
      </small>
    </div>
  );
  const inputProps = (key: DraftKey) => ({ id: `policy-${key}`, 'aria-describedby': `policy-${key}-hint`, 'aria-invalid': issues[key] !== undefined });

  const number = (key: NumberKey) => {
    const f = numberFields[key];
    const inEffect = f.profileDefault !== undefined ? effectiveText(draft, key) : '';
    const placeholder = f.profileDefault?.(draft.profile);
    return field(
      key,
      <>
        <input
          {...inputProps(key)}
          type="number"
          inputMode="numeric"
          min={f.min}
          max={f.max}
          step={1}
          value={draft[key]}
          placeholder={placeholder === undefined ? undefined : String(placeholder)}
          onChange={(e) => set(key, e.target.value)}
        />
        <span className="unit">{f.unit}</span>
        {inEffect !== '' && <span className="muted small">in effect: {inEffect}</span>}
      </>,
      [help[key], fieldHint(key, draft.profile)].filter((t) => t !== undefined).join('. '),
    );
  };
  const time = (key: TimeKey) =>
    field(
      key,
      <input {...inputProps(key)} type="time" step={60} value={draft[key]} disabled={!draft.backfillWindow} onChange={(e) => set(key, e.target.value)} />,
      help[key] ?? '',
    );
  const check = (key: 'recordingShareEnabled' | 'storageUnavailableEnabled' | 'serviceDownEnabled' | 'maintenance' | 'backfillWindow' | 'poolServiceDownEnabled' | 'poolStorageEnabled') =>
    field(
      key,
      <>
        <input {...inputProps(key)} type="checkbox" checked={draft[key]} onChange={(e) => set(key, e.target.checked)} />
        <span>{draft[key] ? 'on' : 'off'}</span>
      </>,
      help[key] ?? '',
    );
  const select = <K extends 'preferredNodeId' | 'failbackPolicy' | 'profile' | 'boot' | 'backfillMode' | 'poolFailover' | 'poolStopFailover' | 'poolFailbackRecordings'>(key: K, options: readonly { value: PolicyDraft[K]; label: string }[], hint: string) =>
    field(
      key,
      <select {...inputProps(key)} value={draft[key]} onChange={(e) => set(key, e.target.value as PolicyDraft[K])}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>,
      hint,
    );

  const nodeNames = nodes.map((n) => n.name).join(' and ');
  return (
    <form className="settings-form" onSubmit={(e) => void save(e)} aria-label="Cluster policy">
      <p className="muted small">
        Policy v{base.version}, last changed {formatTime(base.updatedAt)}. Both nodes get every change from the controller and apply it within seconds, without a restart.
      </p>
      {loadError !== null && <p className="error">Reloading the settings: {loadError}</p>}
      {!canEdit && (
        <p className="notice" data-testid="settings-read-only">
          Read-only: an admin changes these settings.
        </p>
      )}
      {newer && dirty && (
        <p className="error">
          Policy v{liveVersion} is now the controller's (someone else changed it): saving will be refused.{' '}
          <button type="button" onClick={() => void load().catch((err: unknown) => setLoadError(describeError(err)))}>
            Discard mine and load v{liveVersion}
          </button>
        </p>
      )}
      <fieldset className="settings-groups" disabled={!canEdit || saving}>
        <fieldset className="group">
          <legend>Preferred node and failback</legend>
          {select('preferredNodeId', [{ value: '', label: 'none' }, ...nodes.map((n) => ({ value: n.id, label: n.name }))], `${help.preferredNodeId ?? ''}. None: the primary wins ties, and there is no failback`)}
          {select('failbackPolicy', failbackPolicies.map((p) => ({ value: p, label: p })), help.failbackPolicy ?? '')}
          {number('holdDownSeconds')}
        </fieldset>
        <fieldset className="group">
          <legend>Failure detection</legend>
          {select('profile', failoverProfiles.map((p) => ({ value: p, label: p })), failoverProfiles.map(profileText).join('; '))}
          {number('heartbeatIntervalMs')}
          {number('peerTimeoutMs')}
          {number('capCount')}
          {number('capWindowMinutes')}
        </fieldset>
        <fieldset className="group">
          <legend>Triggers: what makes the Serving node hand over</legend>
          {check('recordingShareEnabled')}
          {number('recordingShareMinPercent')}
          {number('recordingShareGraceMs')}
          {check('storageUnavailableEnabled')}
          {number('storageUnavailableGraceMs')}
          {check('serviceDownEnabled')}
          {number('serviceDownGraceMs')}
        </fieldset>
        <fieldset className="group">
          <legend>Start and maintenance</legend>
          {select('boot', bootBehaviours.map((b) => ({ value: b, label: `${b}: ${bootLabels[b]}` })), help.boot ?? '')}
          {check('maintenance')}
        </fieldset>
        <fieldset className="group">
          <legend>Backfill</legend>
          {select('backfillMode', backfillModes.map((m) => ({ value: m, label: `${m}: ${backfillModeLabels[m]}` })), help.backfillMode ?? '')}
          {number('backfillBandwidthMbps')}
          {number('backfillTransfersMax')}
          {check('backfillWindow')}
          {time('backfillWindowStart')}
          {time('backfillWindowEnd')}
        </fieldset>
        {mode === 'pool' && (
          <fieldset className="group" data-testid="policy-pool">
            <legend>Failover pool: when a protected server fails over to a standby, and back</legend>
            {number('poolDisconnectedSeconds')}
            {check('poolServiceDownEnabled')}
            {number('poolServiceDownSeconds')}
            {check('poolStorageEnabled')}
            {number('poolStorageSeconds')}
            {select('poolFailover', poolAutomations.map((a) => ({ value: a, label: a })), help.poolFailover ?? '')}
            {select('poolStopFailover', poolAutomations.map((a) => ({ value: a, label: a })), help.poolStopFailover ?? '')}
            {number('poolHoldDownSeconds')}
            {select('poolFailbackRecordings', failbackRecordingsOptions.map((r) => ({ value: r, label: r })), help.poolFailbackRecordings ?? '')}
            {number('poolFailbackStallMinutes')}
          </fieldset>
        )}
      </fieldset>
      {issues.form !== undefined && <p className="error">{issues.form}</p>}
      {canEdit && (
        <section className="changes" aria-labelledby="changes-title">
          <h3 id="changes-title">What changes when you save</h3>
          {parsed.settings === null ? (
            <p className="muted">Correct the marked settings first.</p>
          ) : changes.length === 0 ? (
            <p className="muted">Nothing yet: these are the settings in force.</p>
          ) : (
            <>
              <ul data-testid="policy-changes">
                {changes.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
              <p className="muted small">
                Saved as policy v{base.version + 1}; {nodeNames === '' ? 'the nodes apply' : `${nodeNames} apply`} it within seconds, without restarting anything.
              </p>
            </>
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={saving || parsed.settings === null || changes.length === 0}>
              {saving ? 'Saving…' : 'Save settings'}
            </button>
            <button type="button" disabled={saving || !dirty} onClick={() => setDraft(draftOf(base))}>
              Discard changes
            </button>
          </div>
        </section>
      )}
      {message !== null && (
        <div role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'error' : 'notice'} data-testid="policy-message">
          {message.text}
          {message.details !== undefined && message.details.length > 0 && (
            <ul className="small">
              {message.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

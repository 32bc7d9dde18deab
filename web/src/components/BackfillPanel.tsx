// A node's backfill, in its node panel: what it lacks of what its peer holds within its own
// retention (its agent's gap audit: effective retention, complete since, missing seconds and
// each camera's gaps), and the job that copies it (state and reason, a progress bar with ETA,
// blocks, rate), with Start / Pause / Resume for operators, each confirmed in a dialog.
import { useState } from 'react';
import type { BackfillAction, BackfillCommandAccepted, NodeBackfill } from '../api/types';
import { backfillStateLabel, formatEta, formatGap, formatProgress, formatRate, formatRetention, formatSeconds, progressPercent } from '../lib/backfill';
import { formatTime } from '../lib/format';
import { BackfillDialog } from './BackfillDialog';

/** Cameras, and gaps of each, listed before "and N more". */
const camerasShownMax = 5;
const gapsShownMax = 3;

const stateTone: Record<string, string> = { failed: 'flag-down', paused: 'flag-warn', 'waiting-for-peer': 'flag-warn', running: 'flag-info', planning: 'flag-info' };

export interface BackfillPanelProps {
  clusterId: string;
  /** The node's entry of GET …/backfill; undefined until it has answered. */
  node: NodeBackfill | undefined;
  canOperate: boolean;
  busy: boolean;
  /** A command was taken: the message to show, and time to poll again. */
  onCommanded: (message: string) => void;
}

export function BackfillPanel({ clusterId, node, canOperate, busy, onCommanded }: BackfillPanelProps) {
  const [action, setAction] = useState<BackfillAction | null>(null);
  if (node === undefined) return null;
  const b = node.backfill;
  const label = `Backfill of ${node.name}`;
  if (b === null) {
    return (
      <section className="backfill" aria-label={label}>
        <div className="backfill-head">Backfill</div>
        <p className="muted small">Not reported: this node's agent has no storage adapter configured, or predates backfill.</p>
      </section>
    );
  }
  const percent = progressPercent(b);
  const eta = formatEta(b.etaSeconds);
  const done = (accepted: BackfillCommandAccepted) => {
    setAction(null);
    const took = accepted.nodes.filter((n) => n.outcome === 'done').map((n) => n.name);
    onCommanded(`Backfill ${accepted.command.replace('backfill-', '')}: taken by ${took.join(', ')}.`);
  };
  return (
    <section className="backfill" aria-label={label}>
      <div className="backfill-head">
        Backfill <span className="muted small">({b.mode})</span>
        <span className={`flag ${stateTone[b.state] ?? 'flag-ok'}`} data-testid="backfill-state">
          {backfillStateLabel(b.state)}
        </span>
      </div>
      {b.reason !== null && <p className="small">{b.reason}</p>}
      <dl className="facts">
        <dt>Effective retention</dt>
        <dd>{formatRetention(b.retentionMinutes)}</dd>
        <dt>Complete since</dt>
        <dd>{b.completeSinceAt === null ? '—' : formatTime(b.completeSinceAt)}</dd>
        <dt>Missing</dt>
        <dd data-testid="backfill-missing" className={b.missingSeconds > 0 ? 'warn-text' : undefined}>
          {b.auditedAt === null ? (
            <span className="muted">not audited yet</span>
          ) : b.missingSeconds > 0 ? (
            <>
              {formatSeconds(b.missingSeconds)} of {b.camerasAffected} camera{b.camerasAffected === 1 ? '' : 's'}
              {b.placeholderSeconds > 0 && <span className="muted"> ({formatSeconds(b.placeholderSeconds)} in placeholders)</span>}
            </>
          ) : (
            'Nothing'
          )}
        </dd>
        {b.blocksTotal > 0 && (
          <>
            <dt>Progress</dt>
            <dd>
              <progress max={100} value={percent ?? 0} aria-label={`Backfill progress of ${node.name}`} />{' '}
              <span data-testid="backfill-progress">
                {percent === null ? '—' : formatProgress(percent)}
                {eta !== '' && <> · {eta}</>}
              </span>
              <div className="muted small">
                {b.blocksDone.toLocaleString('en-US')} of {b.blocksTotal.toLocaleString('en-US')} blocks · {formatRate(b.rateBytesPerSecond)}
                {b.startedAt !== null && <> · started {formatTime(b.startedAt)}</>}
              </div>
            </dd>
          </>
        )}
      </dl>
      {b.cameras.length > 0 && (
        <ul className="gaps small" aria-label={`Gaps of ${node.name}`}>
          {b.cameras.slice(0, camerasShownMax).map((c) => (
            <li key={c.deviceId}>
              <span className="mono">{c.deviceId}</span> {formatSeconds(c.missingSeconds)}
              <ul>
                {c.gaps.slice(0, gapsShownMax).map((g) => (
                  <li key={g.startAt}>{formatGap(g)}</li>
                ))}
                {c.gaps.length > gapsShownMax && <li className="muted">and {c.gaps.length - gapsShownMax} more</li>}
              </ul>
            </li>
          ))}
          {b.camerasAffected > camerasShownMax && <li className="muted">and {b.camerasAffected - camerasShownMax} more cameras</li>}
        </ul>
      )}
      {canOperate && (
        <div className="actions" role="group" aria-label={`Backfill actions of ${node.name}`}>
          {(['start', 'pause', 'resume'] as const).map((a) => (
            <button key={a} type="button" disabled={busy || action !== null} onClick={() => setAction(a)}>
              {a === 'start' ? 'Start…' : a === 'pause' ? 'Pause…' : 'Resume…'}
            </button>
          ))}
        </div>
      )}
      {action !== null && <BackfillDialog clusterId={clusterId} nodeName={node.name} action={action} onClose={() => setAction(null)} onDone={done} />}
    </section>
  );
}

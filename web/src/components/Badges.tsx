// Small status marks. Each says in words what its colour says, for screen readers and tests.
import { stateMeaning, stateTone } from '../lib/format';
import type { HaStatus, NodeState } from '../api/types';

export function HaStatusBadge({ status }: { status: HaStatus }) {
  const tone = status === 'Serving' ? 'serving' : status === 'Standby' ? 'ok' : 'unknown';
  return <span className={`badge badge-${tone}`}>{status}</span>;
}

export function StateBadge({ state }: { state: NodeState | null }) {
  return (
    <span className={`badge badge-${stateTone(state)}`} title={stateMeaning(state)}>
      {state ?? 'no report'}
    </span>
  );
}

export function Flag({ tone, children, title }: { tone: 'warn' | 'down' | 'info'; children: string; title?: string }) {
  return (
    <span className={`flag flag-${tone}`} title={title}>
      {children}
    </span>
  );
}

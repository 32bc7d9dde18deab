// Focus switching: the node this session looks at in the cluster (the standby, say, to
// troubleshoot its cameras while Smart Clients stay on the Serving node), and the addresses
// that reach that node directly instead of through the shared address.
import type { Focus } from '../api/types';
import { formatTime } from '../lib/format';
import { HaStatusBadge } from './Badges';

const orDash = (value: string | null) => (value === null || value === '' ? <span className="muted">—</span> : <span className="mono">{value}</span>);

export function FocusPanel({ focus, canOperate, busy, onClear }: { focus: Focus; canOperate: boolean; busy: boolean; onClear: () => void }) {
  return (
    <section className="panel focus" aria-labelledby="focus-title">
      <header className="panel-head">
        <h3 id="focus-title">
          Focus: {focus.nodeName} <span className="muted">({focus.serving ? 'Serving node' : 'standby node'})</span>
        </h3>
        <HaStatusBadge status={focus.haStatus} />
        {canOperate && (
          <button type="button" onClick={onClear} disabled={busy}>
            Clear focus
          </button>
        )}
      </header>
      <dl className="facts">
        <dt>Live view</dt>
        <dd>{orDash(focus.liveView.webServerUri)}</dd>
        <dt>Configuration</dt>
        <dd>
          {orDash(focus.configuration.hostName)}
          {focus.configuration.addresses.length > 0 && <span className="muted"> ({focus.configuration.addresses.join(', ')})</span>}
        </dd>
        <dt>Agent</dt>
        <dd>{orDash(focus.configuration.agentUrl)}</dd>
        <dt>Focused since</dt>
        <dd>{formatTime(focus.focusedAt)}</dd>
      </dl>
    </section>
  );
}

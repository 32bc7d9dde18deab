// The console: sign-in, then the cluster list, the selected cluster and the live event log.
// The address bar holds the selected cluster (/clusters/<id>), so a reload or a shared link
// opens the same view; the controller answers every such path with this app.
import { useCallback, useEffect, useState } from 'react';
import { api, describeError, setUnauthenticatedHandler } from './api/client';
import type { Focus, Role, Session, User } from './api/types';
import { CertificatePanel } from './components/CertificatePanel';
import { ClusterList } from './components/ClusterList';
import { ClusterView } from './components/ClusterView';
import { EventLog } from './components/EventLog';
import { Login } from './components/Login';
import { WebhooksPage } from './components/WebhooksPage';
import { useEventStream } from './hooks/useEventStream';
import { usePoll } from './hooks/usePoll';

const clusterPollMs = 2_000;
const operatorRoles: ReadonlySet<Role> = new Set(['operator', 'admin']);

function clusterIdFromPath(pathname: string): string | null {
  const match = /^\/clusters\/([0-9a-fA-F-]{36})\/?$/.exec(pathname);
  return match?.[1] ?? null;
}

type SessionState = { kind: 'loading' } | { kind: 'signed-out'; notice: string | null } | { kind: 'signed-in'; user: User; role: Role; focus: Focus[] };

export function App() {
  const [session, setSession] = useState<SessionState>({ kind: 'loading' });
  const [loadError, setLoadError] = useState<string | null>(null);

  // The session's role, not the account's: what this caller may do (a token's is bounded by its own).
  const adopt = useCallback((s: Session) => setSession({ kind: 'signed-in', user: s.user, role: s.role, focus: s.focus }), []);

  useEffect(() => {
    const controller = new AbortController();
    api
      .session(controller.signal)
      .then(adopt)
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        const status = (err as { status?: number }).status;
        if (status === 401) setSession({ kind: 'signed-out', notice: null });
        else setLoadError(describeError(err));
      });
    return () => controller.abort();
  }, [adopt]);

  useEffect(() => {
    setUnauthenticatedHandler(() => setSession({ kind: 'signed-out', notice: 'Your session has ended. Sign in again.' }));
    return () => setUnauthenticatedHandler(null);
  }, []);

  if (session.kind === 'loading') {
    return <main className="splash">{loadError !== null ? <p role="alert" className="error">{loadError}</p> : <p className="muted">Loading…</p>}</main>;
  }
  if (session.kind === 'signed-out') {
    return (
      <Login
        notice={session.notice}
        onLogin={() => {
          // The session carries this user's Focus list too.
          api.session().then(adopt, (err: unknown) => setSession({ kind: 'signed-out', notice: describeError(err) }));
        }}
      />
    );
  }
  return (
    <Console
      user={session.user}
      role={session.role}
      focus={session.focus}
      onFocusChange={(clusterId, focus) =>
        setSession((s) => (s.kind !== 'signed-in' ? s : { ...s, focus: [...s.focus.filter((f) => f.clusterId !== clusterId), ...(focus === null ? [] : [focus])] }))
      }
      onSignedOut={() => setSession({ kind: 'signed-out', notice: 'Signed out.' })}
    />
  );
}

interface ConsoleProps {
  user: User;
  role: Role;
  focus: Focus[];
  onFocusChange: (clusterId: string, focus: Focus | null) => void;
  onSignedOut: () => void;
}

function Console({ user, role, focus, onFocusChange, onSignedOut }: ConsoleProps) {
  const clusters = usePoll((signal) => api.clusters(signal), clusterPollMs, 'clusters');
  // The certificate changes only with a restart: read it once a minute.
  const tls = usePoll((signal) => api.tls(signal), 60_000, 'tls');
  const log = useEventStream(true);
  const [selectedId, setSelectedId] = useState<string | null>(() => clusterIdFromPath(window.location.pathname));
  const [signingOut, setSigningOut] = useState(false);
  const [showWebhooks, setShowWebhooks] = useState(false);

  useEffect(() => {
    const onPop = () => setSelectedId(clusterIdFromPath(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const select = (id: string) => {
    if (id === selectedId) return;
    window.history.pushState(null, '', `/clusters/${id}`);
    setSelectedId(id);
  };

  const items = clusters.data?.items ?? [];
  // With nothing chosen (or a cluster that is gone), show the first one.
  const selected = items.find((c) => c.id === selectedId) ?? items[0];
  const canOperate = operatorRoles.has(role);

  const signOut = async () => {
    setSigningOut(true);
    try {
      await api.logout();
    } catch {
      // The session is gone either way for this page; the cookie expires on its own.
    }
    onSignedOut();
  };

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">twinrec</span>
        <span className="muted">Recording server HA</span>
        <span className="spacer" />
        <span className="user" data-testid="current-user">
          {user.username} <span className="role">{role}</span>
        </span>
        {role === 'admin' && (
          <button type="button" aria-pressed={showWebhooks} onClick={() => setShowWebhooks((s) => !s)}>
            Webhooks
          </button>
        )}
        <button type="button" onClick={() => void signOut()} disabled={signingOut}>
          Sign out
        </button>
      </header>
      <div className="layout">
        <main className="main">
          {showWebhooks && role === 'admin' && <WebhooksPage clusters={items} />}
          <section className="panel" aria-labelledby="clusters-title">
            <header className="panel-head">
              <h2 id="clusters-title">Recording server clusters</h2>
              <span className="muted small">{clusters.data === null ? '' : `${clusters.data.total} cluster${clusters.data.total === 1 ? '' : 's'}`}</span>
            </header>
            {clusters.error !== null && (
              <p role="alert" className="error">
                Clusters: {describeError(clusters.error)}
              </p>
            )}
            {clusters.data === null ? clusters.error === null && <p className="muted">Loading…</p> : <ClusterList clusters={items} selectedId={selected?.id ?? null} onSelect={select} />}
          </section>
          {selected !== undefined && (
            <ClusterView key={selected.id} cluster={selected} canOperate={canOperate} canAdmin={role === 'admin'} focus={focus.find((f) => f.clusterId === selected.id)} onFocusChange={onFocusChange} onChanged={clusters.refresh} />
          )}
        </main>
        <aside className="side">
          <EventLog log={log} clusters={items} selectedClusterId={selected?.id ?? null} />
          <CertificatePanel tls={tls.data} error={tls.error} />
        </aside>
      </div>
    </div>
  );
}

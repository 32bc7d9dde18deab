// The controller's HTTPS certificate: whether the console is served over HTTPS, the
// certificate's SHA-256 fingerprint (what agents pin in agent.yaml controller.fingerprint; compare
// it with the one the controller printed at start) and a download of the certificate (PEM), as
// Management Server Failover offers its web console's certificate (seed 004).
import { describeError } from '../api/client';
import type { ControllerTls } from '../api/types';
import { formatTime } from '../lib/format';

export function CertificatePanel({ tls, error }: { tls: ControllerTls | null; error: unknown }) {
  return (
    <section className="panel certificate" aria-labelledby="certificate-title" data-testid="certificate-panel">
      <header className="panel-head">
        <h3 id="certificate-title">Controller certificate</h3>
      </header>
      {error !== null && error !== undefined && (
        <p role="alert" className="error">
          {describeError(error)}
        </p>
      )}
      {tls === null ? (
        error === null && <p className="muted">Loading…</p>
      ) : tls.certificate === null ? (
        <p className="muted">Served over plain HTTP (loopback, or http.tls.mode off): there is no certificate.</p>
      ) : (
        <dl className="facts">
          <dt>SHA-256</dt>
          <dd className="mono fingerprint" data-testid="certificate-fingerprint">
            {tls.certificate.fingerprint256}
          </dd>
          <dt>Subject</dt>
          <dd>{tls.certificate.subject}</dd>
          <dt>Valid until</dt>
          <dd>{formatTime(tls.certificate.validTo)}</dd>
          <dt>Source</dt>
          <dd>{tls.certificate.source === 'generated' ? 'generated at first start' : 'configured (http.tls.certFile)'}</dd>
          <dt>Download</dt>
          <dd>
            <a href="/api/v1/tls/certificate" download="twinrec-controller.crt">
              twinrec-controller.crt
            </a>
          </dd>
        </dl>
      )}
    </section>
  );
}

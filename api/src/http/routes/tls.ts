// /api/v1/tls: the controller's HTTPS certificate, for the console's certificate panel and for
// an admin setting up agents (agent.yaml controller.fingerprint, or the PEM as its CA file).
// Public (no sign-in): every TLS client is shown this certificate in the handshake anyway, and
// nothing secret is in it. A download proves nothing by itself: compare its fingerprint with the
// one the controller printed at start.
import { Router } from 'express';
import { notFound } from '../../domain/errors.js';
import type { ControllerTls } from '../../model/tls.js';
import type { ControllerCertificateInfo } from '../tls-certificate.js';

export function tlsRoutes(certificate: ControllerCertificateInfo | null): Router {
  const router = Router();

  router.get('/tls', (_req, res) => {
    const answer: ControllerTls = {
      https: certificate !== null,
      certificate:
        certificate === null
          ? null
          : { fingerprint256: certificate.fingerprint256, subject: certificate.subject, validFrom: certificate.validFrom.toISOString(), validTo: certificate.validTo.toISOString(), source: certificate.source },
    };
    res.json(answer);
  });

  router.get('/tls/certificate', (_req, res) => {
    if (certificate === null) throw notFound('certificate', '(the controller serves plain HTTP: http.tls)');
    res.set('content-disposition', 'attachment; filename="twinrec-controller.crt"');
    res.type('application/x-pem-file').send(certificate.certPem);
  });

  return router;
}

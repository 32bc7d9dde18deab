// Whether the relay's control API speaks HTTPS, and with which certificate: HTTPS by default
// beyond loopback (the agents send the cluster secret there), with a certificate made at first
// start beside the relay's state file unless one is named. Plain HTTP beyond loopback only when
// asked for by name (--insecure-plain-http).
import { dirname, join } from 'node:path';
import { loadOrCreateCertificate, type CertificatePair } from '../../shared/tls/certificate.js';
import { isLoopbackHost } from '../../shared/tls/loopback.js';

export interface RelayTlsChoice {
  readonly controlHost: string;
  /** --tls: HTTPS even on a loopback control address. */
  readonly forceTls: boolean;
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
  /** Where the relay keeps its epoch; the default certificate goes beside it. */
  readonly stateFile?: string | undefined;
  readonly insecurePlainHttp: boolean;
}

/**
 * The control API's certificate, or null for plain HTTP; errors say which flag to set.
 *
 * @example
 *   const tls = await relayControlTls({ controlHost: '10.0.0.5', forceTls: false, stateFile: '/var/lib/twinrec/relay.json', insecurePlainHttp: false });
 *   tls?.fingerprint256 // what agent.yaml's servingEndpoint.fingerprint pins
 */
export async function relayControlTls(choice: RelayTlsChoice): Promise<CertificatePair | null> {
  const named = choice.certFile !== undefined || choice.keyFile !== undefined;
  if (choice.insecurePlainHttp && (choice.forceTls || named)) throw new Error('--insecure-plain-http contradicts --tls, --tls-cert and --tls-key: choose one');
  if (choice.insecurePlainHttp || (!choice.forceTls && !named && isLoopbackHost(choice.controlHost))) return null;
  if ((choice.certFile === undefined) !== (choice.keyFile === undefined)) throw new Error('--tls-cert and --tls-key go together: name both, or neither for the default beside --state-file');
  const folder = choice.stateFile === undefined ? null : dirname(choice.stateFile);
  const certFile = choice.certFile ?? (folder === null ? null : join(folder, 'relay-control.crt'));
  const keyFile = choice.keyFile ?? (folder === null ? null : join(folder, 'relay-control.key'));
  if (certFile === null || keyFile === null) {
    throw new Error(`the control API on ${choice.controlHost} speaks HTTPS: name its certificate (--tls-cert, --tls-key) or a --state-file to keep one beside; or --insecure-plain-http to send the cluster secret in clear`);
  }
  const altNames = [...new Set([choice.controlHost, 'localhost', '127.0.0.1'])].filter((name) => name !== '0.0.0.0' && name !== '::');
  return loadOrCreateCertificate(certFile, keyFile, { commonName: 'twinrec-relay control', altNames });
}

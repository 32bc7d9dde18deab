// node:https's counterpart of pinned-fetch.ts, for clients that speak node:http (the backfill
// transfer reads megabyte blocks straight off the socket): an https.Agent whose connections
// are handed to a request only after the TLS handshake showed the pinned certificate, so no
// byte of the request (and so not the cluster secret) is written to anyone else.
import { Agent as HttpsAgent, type AgentOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { canonicalFingerprint, fingerprintOfDer } from './certificate.js';
import { CertificatePinMismatchError } from './pinned-fetch.js';

export interface PinnedHttpsAgentOptions extends AgentOptions {
  /** Bound on TCP connect plus TLS handshake. Default 10 s. */
  readonly connectTimeoutMs?: number;
}

type CreateConnectionCallback = (error: Error | null, socket: Duplex) => void;

/**
 * An https.Agent that only connects to the server showing the certificate of `fingerprint`.
 *
 * @example
 *   const agent = pinnedHttpsAgent(peerFingerprint, { keepAlive: true });
 *   https.request('https://10.0.0.12:8741/api/backfill/v1/cameras', { agent, headers });
 */
export function pinnedHttpsAgent(fingerprint: string, options: PinnedHttpsAgentOptions = {}): HttpsAgent {
  const expected = canonicalFingerprint(fingerprint);
  if (expected === null) throw new RangeError(`not a SHA-256 fingerprint: ${JSON.stringify(fingerprint.slice(0, 120))}`);
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  // No TLS session resumption: a resumed session shows no peer certificate to check.
  const agent = new HttpsAgent({ ...options, rejectUnauthorized: false, maxCachedSessions: 0 });
  // The chain is not checked (the certificate is self-signed): the fingerprint replaces it.
  // Returning nothing and calling back later makes http.Agent wait for the check.
  (agent as unknown as { createConnection: (o: ConnectionOptions, cb: CreateConnectionCallback) => undefined }).createConnection = (connectOptions, callback) => {
    const socket: TLSSocket = connect({ ...connectOptions, session: undefined, rejectUnauthorized: false });
    let settled = false;
    const settle = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      socket.setTimeout(0);
      socket.removeListener('error', settle);
      if (error !== null) socket.destroy();
      callback(error, socket);
    };
    socket.setTimeout(connectTimeoutMs, () => settle(Object.assign(new Error(`TLS connect timed out after ${connectTimeoutMs} ms`), { code: 'ETIMEDOUT' })));
    socket.once('error', settle);
    socket.once('secureConnect', () => {
      const raw = socket.getPeerCertificate().raw as Buffer | undefined;
      const presented = raw === undefined ? '(none)' : fingerprintOfDer(raw);
      settle(presented === expected ? null : new CertificatePinMismatchError(expected, presented));
    });
    return undefined;
  };
  return agent;
}

// HTTPS to a peer whose self-signed certificate was pinned by its SHA-256 fingerprint (at
// registration, or in agent.yaml): the connection is dropped before any byte of the request
// (and so before the cluster secret) is sent, unless the server shows exactly that
// certificate. Names and CAs do not matter: the fingerprint is the whole trust.
import type { TLSSocket } from 'node:tls';
import { Agent, buildConnector, fetch as undiciFetch, type Dispatcher } from 'undici';
import { canonicalFingerprint, fingerprintOfDer } from './certificate.js';

/** Thrown (as the fetch's cause) when the server shows another certificate than the pinned one. */
export class CertificatePinMismatchError extends Error {
  readonly code = 'CERT_PIN_MISMATCH';
  constructor(
    readonly expected: string,
    readonly presented: string,
  ) {
    super(`the server's certificate (SHA-256 ${presented}) is not the pinned one (${expected})`);
    this.name = 'CertificatePinMismatchError';
  }
}

export interface PinnedDispatcherOptions {
  /** Bound on TCP connect plus TLS handshake. */
  readonly connectTimeoutMs?: number;
  /** Connections to one server at once, at most; more requests wait for one. Default: no bound (undici's). */
  readonly connectionsMax?: number;
}

/** An undici dispatcher whose connections succeed only with the pinned certificate. */
export function pinnedDispatcher(fingerprint: string, options: PinnedDispatcherOptions = {}): Dispatcher {
  const expected = canonicalFingerprint(fingerprint);
  if (expected === null) throw new RangeError(`not a SHA-256 fingerprint: ${JSON.stringify(fingerprint.slice(0, 120))}`);
  // The chain is not checked (it is self-signed); the fingerprint check below replaces it.
  // No TLS session resumption: a resumed session shows no peer certificate to check.
  const base = buildConnector({ rejectUnauthorized: false, timeout: options.connectTimeoutMs ?? 10_000, maxCachedSessions: 0 });
  return new Agent({
    connections: options.connectionsMax ?? null,
    connect: (connectOptions, callback) => {
      base(connectOptions, (error, socket) => {
        if (error !== null) {
          callback(error, null);
          return;
        }
        const raw = (socket as TLSSocket).getPeerCertificate?.().raw;
        const presented = raw === undefined ? '(none)' : fingerprintOfDer(raw);
        if (presented !== expected) {
          socket.destroy();
          callback(new CertificatePinMismatchError(expected, presented), null);
          return;
        }
        callback(null, socket);
      });
    },
  });
}

/** Dispatchers by fingerprint, so that connections are reused across requests to one peer. */
const dispatchers = new Map<string, Dispatcher>();
const dispatchersMax = 4096;

/**
 * `fetch`, pinned when `fingerprint` is given and the URL is https; plain global fetch for
 * http URLs (loopback demos) and when nothing is pinned.
 *
 * @example await pinnedFetch('https://10.0.0.5:8741/api/v1/commands', fp, { method: 'POST', body })
 */
export async function pinnedFetch(url: string | URL, fingerprint: string | null | undefined, init: RequestInit = {}): Promise<Response> {
  const target = new URL(url);
  if (target.protocol !== 'https:' || fingerprint === null || fingerprint === undefined) return fetch(target, init);
  const key = canonicalFingerprint(fingerprint) ?? fingerprint;
  let dispatcher = dispatchers.get(key);
  if (dispatcher === undefined) {
    if (dispatchers.size >= dispatchersMax) dispatchers.clear();
    dispatcher = pinnedDispatcher(key);
    dispatchers.set(key, dispatcher);
  }
  return (await undiciFetch(target, { ...(init as object), dispatcher } as Parameters<typeof undiciFetch>[1])) as unknown as Response;
}

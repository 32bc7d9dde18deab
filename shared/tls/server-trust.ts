// How a client trusts an HTTPS server it calls (an agent calling its controller, or its
// recording server's web server): by the certificate's SHA-256 fingerprint (a self-signed
// certificate, as the controller generates), by a CA file (a certificate issued by the site's
// CA, as XProtect's encryption uses, or the server's own certificate), or by the system's CAs.
// Over plain http:// nothing is checked: config loading decides where plain HTTP is allowed.
import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { canonicalFingerprint } from './certificate.js';
import { pinnedFetch } from './pinned-fetch.js';

export type ServerTrust =
  | { readonly kind: 'fingerprint'; readonly fingerprint: string }
  /** PEM certificates: the chain must end at one of them, and the host name must match. */
  | { readonly kind: 'ca'; readonly caPem: string; readonly caFile: string }
  | { readonly kind: 'system' };

/** The trust settings of a config section (`fingerprint`, `caFile`, `systemTrust`). */
export interface ServerTrustSettings {
  readonly fingerprint?: string | undefined;
  readonly caFile?: string | undefined;
  readonly systemTrust?: boolean | undefined;
}

const caFileMaxBytes = 1024 * 1024;

/**
 * The trust for `url` from its settings: null for plain http:// (and for https without any
 * setting, which config validation refuses before this is called).
 *
 * @throws Error naming `what` and the file when the CA file cannot be read or holds no certificate.
 */
export function serverTrustOf(url: string, settings: ServerTrustSettings, what: string): ServerTrust | null {
  if (new URL(url).protocol !== 'https:') return null;
  if (settings.fingerprint !== undefined) {
    const fingerprint = canonicalFingerprint(settings.fingerprint);
    if (fingerprint === null) throw new Error(`${what}.fingerprint: not a SHA-256 fingerprint`);
    return { kind: 'fingerprint', fingerprint };
  }
  if (settings.caFile !== undefined) {
    let caPem: string;
    try {
      caPem = readFileSync(settings.caFile, 'utf8');
    } catch (err) {
      throw new Error(`${what}.caFile: cannot read ${settings.caFile} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (caPem.length > caFileMaxBytes || !caPem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`${what}.caFile: ${settings.caFile} holds no PEM certificate`);
    return { kind: 'ca', caPem, caFile: settings.caFile };
  }
  if (settings.systemTrust === true) return { kind: 'system' };
  return null;
}

/** One dispatcher per CA file, so that connections are reused across requests. */
const caDispatchers = new Map<string, Dispatcher>();
const caDispatchersMax = 64;

/**
 * `fetch` trusting the server as `trust` says: pinned (nothing is sent unless the server shows
 * that certificate), verified against the CA file (chain and host name), or the system's CAs;
 * a null trust is plain fetch (http:// URLs).
 *
 * @example await fetchTrusting('https://rs-a:7563/RecorderStatusService/…', { kind: 'fingerprint', fingerprint }, { method: 'POST', body })
 */
export async function fetchTrusting(url: string | URL, trust: ServerTrust | null, init: RequestInit = {}): Promise<Response> {
  if (trust === null || trust.kind === 'system') return fetch(url, init);
  if (trust.kind === 'fingerprint') return pinnedFetch(url, trust.fingerprint, init);
  let dispatcher = caDispatchers.get(trust.caPem);
  if (dispatcher === undefined) {
    if (caDispatchers.size >= caDispatchersMax) caDispatchers.clear();
    dispatcher = new Agent({ connect: { ca: trust.caPem, rejectUnauthorized: true } });
    caDispatchers.set(trust.caPem, dispatcher);
  }
  return (await undiciFetch(url, { ...(init as object), dispatcher } as Parameters<typeof undiciFetch>[1])) as unknown as Response;
}

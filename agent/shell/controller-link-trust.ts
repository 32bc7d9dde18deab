// How the controller link trusts the https controllers agent.yaml lists. One setting covers them
// all: a CA file or the system's CAs as for any server, or certificate fingerprints, any of which
// may match (each controller of a pair generates its own self-signed certificate). A fingerprint
// is pinned per controller (shared/tls/pinned-fetch.ts: nothing is sent to a server showing
// another certificate); a controller that shows another of the listed certificates is pinned to
// that one from then on, having sent it nothing under the wrong pin.
import { canonicalFingerprint } from '../../shared/tls/certificate.js';
import { CertificatePinMismatchError } from '../../shared/tls/pinned-fetch.js';
import type { ServerTrust } from '../../shared/tls/server-trust.js';

export type ControllerTrust = ServerTrust | { readonly kind: 'fingerprints'; readonly fingerprints: readonly string[] };

/** The trust of each listed controller, as requests go to it. */
export class ControllerPins {
  private readonly pinned: Map<string, string> = new Map();
  private readonly trust: ControllerTrust | null;

  constructor(
    private readonly urls: readonly string[],
    trust: ControllerTrust | null,
  ) {
    if (trust?.kind !== 'fingerprints') {
      this.trust = trust;
      return;
    }
    if (trust.fingerprints.length === 0) throw new RangeError('controller trust: no fingerprint listed');
    const fingerprints = trust.fingerprints.map((f) => canonicalFingerprint(f));
    const bad = trust.fingerprints.find((_, i) => fingerprints[i] === null);
    if (bad !== undefined) throw new RangeError(`not a SHA-256 fingerprint: ${JSON.stringify(bad.slice(0, 120))}`);
    this.trust = { kind: 'fingerprints', fingerprints: fingerprints as string[] };
  }

  /** How the controller at `index` is trusted now: null over plain http. */
  trustOf(index: number): ServerTrust | null {
    const url = this.urls[index];
    if (url === undefined) throw new RangeError(`no controller ${index}`);
    const trust = this.trust;
    if (trust === null || new URL(url).protocol !== 'https:') return null;
    if (trust.kind !== 'fingerprints') return trust;
    // The n-th controller most likely has the n-th fingerprint (agent.yaml lists them side by side).
    const fingerprint = this.pinned.get(url) ?? (trust.fingerprints[index % trust.fingerprints.length] as string);
    return { kind: 'fingerprint', fingerprint };
  }

  /**
   * After a failed request to the controller at `index`: true when it showed another of the
   * listed certificates, now pinned, so the request may go again at once (at most once per
   * listed fingerprint, as each is learned once).
   */
  learn(index: number, err: unknown): boolean {
    const url = this.urls[index];
    if (url === undefined || this.trust?.kind !== 'fingerprints') return false;
    const mismatch = pinMismatchOf(err);
    if (mismatch === null || !this.trust.fingerprints.includes(mismatch.presented) || this.pinned.get(url) === mismatch.presented) return false;
    this.pinned.set(url, mismatch.presented);
    return true;
  }
}

/** The pin mismatch behind a failed fetch (its cause chain, a few levels at most). */
function pinMismatchOf(err: unknown): CertificatePinMismatchError | null {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e instanceof Error; depth += 1, e = e.cause) if (e instanceof CertificatePinMismatchError) return e;
  return null;
}

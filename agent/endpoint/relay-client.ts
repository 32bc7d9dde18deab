// The agent's side of the relay: claim and release over the relay's control API, each
// request bounded by a timeout. An https control API is pinned to its certificate's
// fingerprint (agent.yaml servingEndpoint.fingerprint): the secret goes nowhere else.
import { pinnedFetch } from '../../shared/tls/pinned-fetch.js';
import { EndpointError, type ClaimOutcome, type ServingEndpoint, type ServingTarget } from './serving-endpoint.js';

export class RelayEndpoint implements ServingEndpoint {
  constructor(
    private readonly controlUrl: string,
    private readonly secret: string,
    private readonly timeoutMs = 2_000,
    /** The control API certificate's SHA-256 fingerprint: required for an https controlUrl. */
    private readonly fingerprint: string | null = null,
  ) {
    if (controlUrl.startsWith('https:') && fingerprint === null) throw new RangeError('an https relay control URL needs the fingerprint of its certificate');
  }

  async claim(epoch: number, target: ServingTarget): Promise<ClaimOutcome> {
    const res = await this.post('/claim', { epoch, nodeId: target.nodeId, host: target.host, port: target.port });
    if (res.status === 200) return { accepted: true };
    const body = (await res.json().catch(() => ({}))) as { currentEpoch?: unknown };
    if (res.status === 409 && typeof body.currentEpoch === 'number') return { accepted: false, currentEpoch: body.currentEpoch };
    throw new EndpointError(`relay refused the claim: HTTP ${res.status}`);
  }

  async release(epoch: number, nodeId: string): Promise<void> {
    const res = await this.post('/release', { epoch, nodeId });
    await res.body?.cancel();
    if (res.status !== 200) throw new EndpointError(`relay refused the release: HTTP ${res.status}`);
  }

  private async post(path: string, body: object): Promise<Response> {
    try {
      return await pinnedFetch(new URL(path, this.controlUrl), this.fingerprint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.secret}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: unknown } }).cause;
      const pinned = cause?.code === 'CERT_PIN_MISMATCH' ? ": its certificate is not the one pinned (servingEndpoint.fingerprint); nothing was sent" : '';
      throw new EndpointError(`relay at ${this.controlUrl} unreachable: ${(err as Error).message}${pinned}`);
    }
  }
}

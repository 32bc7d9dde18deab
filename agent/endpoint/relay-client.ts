// The agent's side of the relay: claim and release over the relay's control API, each
// request bounded by a timeout.
import { EndpointError, type ClaimOutcome, type ServingEndpoint, type ServingTarget } from './serving-endpoint.js';

export class RelayEndpoint implements ServingEndpoint {
  constructor(
    private readonly controlUrl: string,
    private readonly secret: string,
    private readonly timeoutMs = 2_000,
  ) {}

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
      return await fetch(new URL(path, this.controlUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.secret}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new EndpointError(`relay at ${this.controlUrl} unreachable: ${(err as Error).message}`);
    }
  }
}

// How clients find the Serving node. One small interface, several adapters: the TCP relay
// (lab default) and an operator command (DNS or VIP changes); later RFC 2136 DNS and VIP.
// Claims and releases carry the epoch and are idempotent, so a retry never does harm.
import type { FenceOutcome } from '../core/fencing.js';

/** Where the Serving node's recorder answers: its web server (ImageServer + SOAP) port. */
export interface ServingTarget {
  readonly nodeId: string;
  readonly host: string;
  readonly port: number;
}

/** A claim's answer under the fencing rule: accepted, or refused because someone holds a higher epoch (the claimant must step down). */
export type ClaimOutcome = FenceOutcome;

export interface ServingEndpoint {
  claim(epoch: number, target: ServingTarget): Promise<ClaimOutcome>;
  /** Releases only if this node still holds this epoch; otherwise does nothing. */
  release(epoch: number, nodeId: string): Promise<void>;
}

export class EndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointError';
  }
}

// What a client of an XProtect server needs from a cached token, whichever kind it is: an IDP
// access token (API Gateway, Management Server) or a VMS token (Recording Server, Event Server).
export interface TokenSource {
  /** No token yet and a request for one in flight (for a caller's timeout message). */
  waiting(): boolean;
  /** A token valid now: the cached one (renewed in the background near its end), or a new one. */
  valid(signal: AbortSignal): Promise<string>;
  /** Whether to retry after a server (`by`, for the log) rejected `rejected`; drops it from the cache if so. */
  dropRejected(rejected: string, by: string): boolean;
  /** Defence in depth: no reason ever carries the password or a token, whatever a server echoes. */
  redact(reason: string, maxLength: number): string;
  /** Aborts a token request in flight; later calls of `valid` fail. */
  close(): Promise<void>;
}

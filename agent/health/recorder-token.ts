// The token the agent presents to its recording server (SOAP `token`, ImageServer
// `connectiontoken`): a VMS token from the Management Server's ServerCommandServiceOAuth Login,
// never the IDP access token, which a real recorder refuses ("Token invalid", SubErrorNumber 2;
// shared/docs/xprotect-integration.md 0a). The IDP token it logs in with is its own, so that a
// token another user drops never leaves the probe without one.
import type { Logger } from 'pino';
import { IdpTokenSource, tokenRequestTimeoutMinMs } from './idp-token.js';
import type { TokenSource } from './token-source.js';
import { serverCommandUrlFor, VmsTokenSource } from './vms-token.js';

export interface RecorderTokenOptions {
  /** The IDP token endpoint, e.g. http://ms/IDP/connect/token; Login is on the same host (serverCommandUrlFor). */
  readonly tokenUrl: string;
  readonly username: string;
  readonly password: string;
  /** The caller's bound on one call; token requests get at least tokenRequestTimeoutMinMs. */
  readonly timeoutMs: number;
  readonly log: Logger;
}

export function recorderTokenSource(options: RecorderTokenOptions): TokenSource {
  const requestTimeoutMs = Math.max(options.timeoutMs, tokenRequestTimeoutMinMs);
  const idp = new IdpTokenSource({ tokenUrl: options.tokenUrl, username: options.username, password: options.password, requestTimeoutMs, log: options.log });
  return new VmsTokenSource({ serverCommandUrl: serverCommandUrlFor(options.tokenUrl), idp, requestTimeoutMs, log: options.log });
}

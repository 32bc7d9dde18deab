// The token the agent presents to its recording server (SOAP `token`, ImageServer
// `connectiontoken`).
import type { Logger } from 'pino';
import { IdpTokenSource, tokenRequestTimeoutMinMs } from './idp-token.js';
import type { TokenSource } from './token-source.js';

export interface RecorderTokenOptions {
  /** The IDP token endpoint, e.g. http://ms/IDP/connect/token. */
  readonly tokenUrl: string;
  readonly username: string;
  readonly password: string;
  /** The caller's bound on one call; token requests get at least tokenRequestTimeoutMinMs. */
  readonly timeoutMs: number;
  readonly log: Logger;
}

export function recorderTokenSource(options: RecorderTokenOptions): TokenSource {
  return new IdpTokenSource({ tokenUrl: options.tokenUrl, username: options.username, password: options.password, requestTimeoutMs: Math.max(options.timeoutMs, tokenRequestTimeoutMinMs), log: options.log });
}

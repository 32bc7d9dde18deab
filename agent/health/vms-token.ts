// The VMS token of the agent: what XProtect's Recording Server (and Event Server) accept, as
// opposed to the IDP access token, which is for the API Gateway and the Management Server
// (Milestone's OauthLoginFlow/Program.cs: "Use the access_token for communication to API Gateway
// and Management Server / Use the vms_token for communication to Event Server and Recording
// Server"; a recorder answers "Token invalid", SubErrorNumber 2, to an IDP token;
// shared/docs/xprotect-integration.md 0a).
//
// It comes from the Management Server's ServerCommandServiceOAuth.svc `Login(instanceId,
// currentToken)`, called with `Authorization: Bearer <access_token>` (OauthLoginFlow
// `ServerCommandServiceLogin`), and lives `TimeToLive` (4 h by default). Before that ends, Login
// is called again with the current token, as ServerCommandWrapper's `BasicConnection.Login`
// does ("provide old token for next re-login"), and the token it returns is used from then on
// (TcpVideoViewer hands the refreshed token to the ImageServer). After a failed login the next
// waits 1 s, 2 s, 4 s … up to 30 s, with jitter, so that no caller makes us hit the Management
// Server at 4 Hz (token-cache.ts). Tokens are never logged.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { readXml } from '../../shared/xml.js';
import { readBoundedOrFail, RequestFailure, requestFailureReason } from '../shared/request-failure.js';
import { TokenCache, type TokenGrant } from './token-cache.js';
import type { TokenSource } from './token-source.js';

export const serverCommandNamespace = 'http://videoos.net/2/XProtectCSServerCommand';
/** ServerCommandWrapper `ManagementServerOAuthHelper.CommandServiceOAuthPath`. */
export const serverCommandOAuthPath = '/ManagementServer/ServerCommandServiceOAuth.svc';

export interface VmsTokenOptions {
  /** ServerCommandServiceOAuth.svc on the Management Server (serverCommandUrlFor). */
  readonly serverCommandUrl: string;
  /** The IDP access tokens Login is called with. The VMS source owns it: close() closes it too. */
  readonly idp: TokenSource;
  /** Bound on one login, the IDP token it waits for included. */
  readonly requestTimeoutMs: number;
  readonly log: Logger;
  /** The client instance Login names; default a random one per source, kept for its renewals (as OauthLoginFlow does). */
  readonly instanceId?: string;
}

/**
 * ServerCommandServiceOAuth.svc on the host of the IDP token URL, where XProtect's Management
 * Server runs it (ServerCommandWrapper `CalculateServiceUrl`; OauthLoginFlow uses the server
 * address for both).
 *
 * @example serverCommandUrlFor('http://ms/IDP/connect/token') // 'http://ms/ManagementServer/ServerCommandServiceOAuth.svc'
 */
export function serverCommandUrlFor(tokenUrl: string): string {
  return new URL(serverCommandOAuthPath, tokenUrl).toString();
}

/** Lifetime assumed when Login does not say (no TimeToLive): short, so that renewal comes early. */
const defaultTokenLifetimeMs = 300_000;
const maxLoginAnswerBytes = 64 * 1024;
const maxTokenChars = 1024;

/** Login answered, but refused (a SOAP fault, or HTTP 401/403). */
class LoginRefused extends RequestFailure {
  override readonly name = 'LoginRefused';
}

function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** The Login request as Milestone's OauthLoginFlow writes it (SOAP 1.1, document/literal). */
export function loginEnvelope(instanceId: string, currentToken: string): string {
  const current = currentToken === '' ? '<currentToken />' : `<currentToken>${escapeXml(currentToken)}</currentToken>`;
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
    `<Login xmlns="${serverCommandNamespace}"><instanceId>${escapeXml(instanceId)}</instanceId>${current}</Login>` +
    '</s:Body></s:Envelope>'
  );
}

export type LoginAnswer = { readonly kind: 'token'; readonly token: string; readonly timeToLiveMs: number | null } | { readonly kind: 'fault'; readonly message: string };

type XmlNode = Record<string, unknown>;
const isNode = (value: unknown): value is XmlNode => typeof value === 'object' && value !== null && !Array.isArray(value);
const child = (node: unknown, name: string): unknown => (isNode(node) ? node[name] : undefined);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * Reads a Login answer: `LoginResponse/LoginResult` {Token, TimeToLive/MicroSeconds} (public
 * capture; OauthLoginFlow reads exactly these), or a fault. Throws RequestFailure on anything else.
 */
export function parseLoginAnswer(xml: string): LoginAnswer {
  let document: unknown;
  try {
    document = readXml(xml, { stripPrefixes: true });
  } catch {
    throw new RequestFailure('unparseable Login answer');
  }
  const body = child(child(document, 'Envelope'), 'Body');
  if (!isNode(body)) throw new RequestFailure('no SOAP envelope in the Login answer');
  const fault = child(body, 'Fault');
  if (fault !== undefined) {
    const message = text(child(fault, 'faultstring')) ?? text(child(child(fault, 'Reason'), 'Text')) ?? 'no fault text';
    return { kind: 'fault', message: message.slice(0, 120) };
  }
  const result = child(child(body, 'LoginResponse'), 'LoginResult');
  const token = text(child(result, 'Token'))?.trim() ?? '';
  if (token === '' || token.length > maxTokenChars || !/^[\x21-\x7e]+$/.test(token)) throw new RequestFailure('no token in the Login answer');
  const microSeconds = Number(text(child(child(result, 'TimeToLive'), 'MicroSeconds')));
  const timeToLiveMs = Number.isFinite(microSeconds) && microSeconds > 0 ? Math.floor(microSeconds / 1000) : null;
  return { kind: 'token', token, timeToLiveMs };
}

/**
 * A cached VMS token for one user of tokens (calls from it may overlap).
 *
 * @example
 *   const idp = new IdpTokenSource({ tokenUrl, username, password, requestTimeoutMs: 10_000, log });
 *   const tokens = new VmsTokenSource({ serverCommandUrl: serverCommandUrlFor(tokenUrl), idp, requestTimeoutMs: 10_000, log });
 *   const token = await tokens.valid(signal); // TOKEN#…#ms//ServerConnector#
 */
export class VmsTokenSource implements TokenSource {
  private readonly cache: TokenCache;
  private readonly instanceId: string;

  constructor(private readonly options: VmsTokenOptions) {
    const url = new URL(options.serverCommandUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError(`serverCommandUrl must be http(s): ${url.protocol}`);
    this.instanceId = options.instanceId ?? randomUUID();
    this.cache = new TokenCache({
      kind: 'VMS token',
      request: (signal, current) => this.login(signal, current ?? ''),
      requestTimeoutMs: options.requestTimeoutMs,
      // Login failures say "VMS login failed: …"; an IDP failure keeps its own "token request failed: …".
      failureMessage: (reason) => reason,
      replacement: 'logging in again',
      redact: (reason, maxLength) => this.redact(reason, maxLength),
      // Every agent of a site logs in at the one Management Server: do not retry in step.
      jitter: true,
      log: options.log,
    });
  }

  waiting(): boolean {
    return this.cache.waiting();
  }

  valid(signal: AbortSignal): Promise<string> {
    return this.cache.valid(signal);
  }

  /** A token the recorder rejects is dropped (at most every 5 s); the next Login is a fresh one, not a renewal. */
  dropRejected(rejected: string, by: string): boolean {
    return this.cache.dropRejected(rejected, by);
  }

  redact(reason: string, maxLength: number): string {
    let safe = reason;
    for (const secret of this.cache.secrets()) if (secret.length >= 4) safe = safe.split(secret).join('***');
    return this.options.idp.redact(safe, maxLength);
  }

  async close(): Promise<void> {
    await this.cache.close();
    await this.options.idp.close();
  }

  /** An IDP access token, then Login: a renewal with the current token, or a fresh login. */
  private async login(signal: AbortSignal, current: string): Promise<TokenGrant> {
    const accessToken = await this.options.idp.valid(signal);
    try {
      return await this.loginOnce(accessToken, current, signal);
    } catch (err) {
      if (!(err instanceof LoginRefused)) throw err;
      // A renewal the server refuses (it no longer knows the token): log in afresh.
      if (current !== '') {
        try {
          return await this.loginOnce(accessToken, '', signal);
        } catch (again) {
          if (again instanceof LoginRefused) this.options.idp.dropRejected(accessToken, 'the Management Server');
          throw again;
        }
      }
      // A fresh login refused: the access token may be at fault (expired, revoked); the next login takes a new one.
      this.options.idp.dropRejected(accessToken, 'the Management Server');
      throw err;
    }
  }

  private async loginOnce(accessToken: string, currentToken: string, signal: AbortSignal): Promise<TokenGrant> {
    // The lifetime counts from the request, not the answer: the server's clock started first.
    const sentAtMs = performance.now();
    let answer: LoginAnswer;
    let status: number;
    try {
      const res = await fetch(this.options.serverCommandUrl, {
        method: 'POST',
        headers: {
          'content-type': 'text/xml; charset=utf-8',
          soapaction: `"${serverCommandNamespace}/IServerCommandService/Login"`,
          authorization: `Bearer ${accessToken}`,
        },
        body: loginEnvelope(this.instanceId, currentToken),
        redirect: 'error',
        signal,
      });
      status = res.status;
      const xml = await readBoundedOrFail(res, maxLoginAnswerBytes);
      if (status === 401 || status === 403) throw new LoginRefused(`VMS login failed: HTTP ${status}`);
      try {
        answer = parseLoginAnswer(xml);
      } catch (err) {
        if (status !== 200) throw new RequestFailure(`VMS login failed: HTTP ${status}`);
        throw new RequestFailure(`VMS login failed: ${requestFailureReason(err, this.options.requestTimeoutMs)}`);
      }
    } catch (err) {
      if (err instanceof RequestFailure) throw err;
      throw new RequestFailure(`VMS login failed: ${requestFailureReason(err, this.options.requestTimeoutMs)}`);
    }
    if (answer.kind === 'fault') throw new LoginRefused(`VMS login failed: ${answer.message}`);
    if (status !== 200) throw new RequestFailure(`VMS login failed: HTTP ${status}`);
    return { value: answer.token, obtainedAtMs: sentAtMs, lifetimeMs: answer.timeToLiveMs ?? defaultTokenLifetimeMs };
  }
}

import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { guidFromSeed } from '../shared/guid.js';
import { generateSigningKey, privateKeyPem, signToken, signingKeyFromPem, type SigningKey, type TokenClaims } from '../shared/jwt.js';
import { secretsEqual } from '../../shared/secret.js';

/** The client id XProtect's IDP expects with the password grant. */
export const GRANT_VALIDATOR_CLIENT = 'GrantValidatorClient';
export const TOKEN_SCOPE = 'managementserver';

/**
 * Loads the IDP's signing key from `stateDir`, or creates and saves one. Keeping it on disk
 * means tokens stay valid across a management server restart (the "management server down"
 * fault), as they do in XProtect.
 */
export async function loadOrCreateSigningKey(stateDir: string | undefined): Promise<SigningKey> {
  if (stateDir === undefined) return generateSigningKey();
  const path = join(stateDir, 'idp-signing-key.pem');
  try {
    return signingKeyFromPem(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(stateDir, { recursive: true });
  const key = generateSigningKey();
  const temp = `${path}.tmp`;
  await writeFile(temp, privateKeyPem(key), { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
  return key;
}

export type TokenRequestResult =
  | { readonly ok: true; readonly body: { access_token: string; expires_in: number; token_type: 'Bearer'; scope: string } }
  | { readonly ok: false; readonly status: 400 | 401; readonly body: { error: string; error_description: string } };

export interface IdpSettings {
  readonly issuer: string;
  readonly username: string;
  readonly password: string;
  readonly tokenLifetimeSeconds: number;
}

/**
 * Handles `POST /IDP/connect/token` (OAuth 2 password grant) and issues a bearer token that
 * expires after the configured lifetime. Pure apart from the clock value passed in.
 */
export function handleTokenRequest(form: Record<string, unknown>, settings: IdpSettings, key: SigningKey, nowMs: number): TokenRequestResult {
  const field = (name: string): string => (typeof form[name] === 'string' ? (form[name] as string) : '');
  if (field('grant_type') !== 'password') {
    return { ok: false, status: 400, body: { error: 'unsupported_grant_type', error_description: 'only grant_type=password is supported by the lab' } };
  }
  if (field('client_id') !== GRANT_VALIDATOR_CLIENT) {
    return { ok: false, status: 400, body: { error: 'invalid_client', error_description: `client_id must be ${GRANT_VALIDATOR_CLIENT}` } };
  }
  const userOk = secretsEqual(field('username'), settings.username);
  const passwordOk = secretsEqual(field('password'), settings.password);
  if (!(userOk && passwordOk)) {
    return { ok: false, status: 400, body: { error: 'invalid_grant', error_description: 'invalid_username_or_password' } };
  }
  const iat = Math.floor(nowMs / 1000);
  const claims: TokenClaims = {
    iss: settings.issuer,
    aud: TOKEN_SCOPE,
    sub: guidFromSeed(`user/${settings.username}`),
    name: settings.username,
    client_id: GRANT_VALIDATOR_CLIENT,
    scope: [TOKEN_SCOPE],
    iat,
    nbf: iat,
    exp: iat + settings.tokenLifetimeSeconds,
    jti: randomUUID(),
  };
  return { ok: true, body: { access_token: signToken(claims, key), expires_in: settings.tokenLifetimeSeconds, token_type: 'Bearer', scope: TOKEN_SCOPE } };
}

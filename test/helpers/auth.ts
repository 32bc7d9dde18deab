// Signing in to a controller from tests: the known admin password test controllers start
// with, and an admin API token obtained through the real API (login, then POST /tokens).

/** The admin password every test controller is started with (auth.adminPassword). */
export const testAdminPassword = 'test-admin-password-2026';

export interface SignedInSession {
  /** `twinrec_session=<value>`, ready for a Cookie header. */
  readonly cookie: string;
  readonly body: { user: { id: string; username: string; role: string }; expiresAt: string };
}

/** Logs in through POST /api/v1/auth/login; throws unless it answers 200 with a session cookie. */
export async function login(baseUrl: string, username: string, password: string): Promise<SignedInSession> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }), signal: AbortSignal.timeout(15_000) });
  if (res.status !== 200) throw new Error(`login as ${username}: HTTP ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (cookie === undefined || !cookie.startsWith('twinrec_session=')) throw new Error(`login as ${username}: no session cookie`);
  return { cookie, body: (await res.json()) as SignedInSession['body'] };
}

/** An `authorization: Bearer trk_…` header of a new admin-role token, made by logging in as the admin. */
export async function adminAuthHeader(baseUrl: string, password: string, username = 'admin'): Promise<{ authorization: string }> {
  const { cookie } = await login(baseUrl, username, password);
  const res = await fetch(`${baseUrl}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ name: 'tests', role: 'admin' }), signal: AbortSignal.timeout(15_000) });
  if (res.status !== 201) throw new Error(`token for ${username}: HTTP ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}

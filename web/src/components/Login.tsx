// The sign-in form. A wrong password or a rate limit shows the controller's own message.
import { useState, type FormEvent } from 'react';
import { api, ApiError, describeError } from '../api/client';
import type { User } from '../api/types';

export function Login({ onLogin, notice }: { onLogin: (user: User) => void; notice: string | null }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api.login(username, password);
      onLogin(result.user);
    } catch (err) {
      const retry = err instanceof ApiError && err.slug === 'login-rate-limited' ? ' Wait a moment before trying again.' : '';
      setError(`${describeError(err)}${retry}`);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <h1 id="login-title">twinrec</h1>
        <p className="muted">High availability for XProtect recording servers</p>
        {notice !== null && <p role="status" className="notice">{notice}</p>}
        <label>
          User name
          <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error !== null && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

// Database URLs carry passwords in two places: the user information (`user:pass@host`) and
// query parameters (`?password=…`, `sslpassword`, …). Masking works on the text, so that the
// rest reads as it was typed, and errs on the side of hiding: the user information runs to the
// URL's last `@`, so a password with an unencoded `@`, `/` or `?` is hidden whole (an `@` in a
// query parameter hides the host too, which is only less readable).
const mask = '********';

/** Query or `;`-separated parameters whose value is a secret, by name. */
const secretParameter = /([?&;])([^=&#;]*(?:pass|pwd|secret|token)[^=&#;]*)=([^&#;]*)/gi;

/**
 * The URL with every password in it replaced by `********`.
 *
 * @example
 *   maskUrlSecrets('postgres://app:s3cret@db/twinrec?sslmode=require&password=x') // 'postgres://app:********@db/twinrec?sslmode=require&password=********'
 */
export function maskUrlSecrets(url: string): string {
  return maskUserinfo(url).replace(secretParameter, (_, separator: string, name: string) => `${separator}${name}=${mask}`);
}

function maskUserinfo(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  if (scheme === undefined) return url;
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  const colon = rest.indexOf(':');
  if (at < 0 || colon < 0 || colon > at) return url;
  return `${scheme}${rest.slice(0, colon + 1)}${mask}${rest.slice(at)}`;
}

// The signature header, like Stripe's scheme: `X-Twinrec-Signature: t=<unix seconds>,v1=<hex>`
// where <hex> is HMAC-SHA256 with the webhook's secret over `<t>.<body>`. The timestamp is
// signed too, so a receiver can refuse replays older than a few minutes. Pure, but for the clock
// callers pass in.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const signatureHeaderName = 'X-Twinrec-Signature';
/** How old a signature a verifier accepts by default: Stripe's default tolerance, 5 minutes. */
export const signatureToleranceSeconds = 300;

/** The hex HMAC-SHA256 of `<t>.<body>` under `secret`. */
export function signatureOf(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
}

/**
 * The header's value for `body` sent at `timestampSeconds`.
 *
 * @example signatureHeader('whsec', 1765200000, '{"id":"e1"}') // 't=1765200000,v1=3c…'
 */
export function signatureHeader(secret: string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${signatureOf(secret, timestampSeconds, body)}`;
}

/**
 * What a receiver does: the header parses, its timestamp is within the tolerance of `nowSeconds`,
 * and one of its v1 signatures is the HMAC of `<t>.<body>` (compared in constant time).
 *
 * @example verifySignature(header, 'whsec', rawBody, Math.floor(Date.now() / 1000)) // true
 */
export function verifySignature(header: string, secret: string, body: string, nowSeconds: number, toleranceSeconds = signatureToleranceSeconds): boolean {
  const parts = header.split(',').map((p) => p.trim().split('=', 2) as [string, string | undefined]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(secret, t, body), 'hex');
  return parts.some(([k, v]) => k === 'v1' && v !== undefined && /^[0-9a-f]{64}$/.test(v) && timingSafeEqual(Buffer.from(v, 'hex'), expected));
}

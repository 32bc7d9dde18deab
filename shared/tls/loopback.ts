// Whether a listener or URL host stays on this machine: plain HTTP is allowed there (the demo,
// tests), and anywhere else would put the cluster secret and passwords on a network in clear.
import { isIP } from 'node:net';

/** True for `localhost`, 127.0.0.0/8, ::1 and ::ffff:127.x (with or without URL brackets). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.trim().replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:(127\.|7f[0-9a-f]{2}:)/.test(bare) || /^0{0,4}(:0{0,4}){6}:0{0,3}1$/.test(bare);
  return false;
}

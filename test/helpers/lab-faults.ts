// The lab control API's faults that HaLab (ha-lab.ts) does not wrap: a recorder's storage and
// the management server (the agents' TCP witness when no controller answers). Each call
// returns once the lab has carried the fault out, and throws with the lab's answer otherwise.
import type { HaLab } from './ha-lab.js';

export type StorageMode = 'online' | 'offline' | 'full';

async function post(ha: HaLab, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${ha.description.control.url}${path}`, {
    method: 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(60_000),
  });
  if (res.status !== 200) throw new Error(`lab POST ${path}: HTTP ${res.status} ${await res.text()}`);
}

/**
 * Puts a recorder's storage offline, full, or back online (lab/README.md, "Faults").
 *
 * @example await setStorage(ha, 'recorder-1a', 'offline')
 */
export function setStorage(ha: HaLab, recorder: string, mode: StorageMode): Promise<void> {
  return post(ha, `/lab/recorders/${recorder}/storage`, { mode });
}

/**
 * Stops or starts the lab's management server: its IDP and REST API, and the TCP witness the
 * lab's agents probe when no controller answers.
 *
 * @example await managementServer(ha, 'stop')
 */
export function managementServer(ha: HaLab, action: 'stop' | 'start'): Promise<void> {
  return post(ha, `/lab/management/${action}`);
}

// How the console words numbers and states: the way the XProtect Management Client's Server
// Cloning panels do ("1 day, 20 hours, 31 minutes", "13 avg., 16 max.", "4,450 GB").
// Pure and import-free, so test/console-format.test.ts runs it under Node.

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** `1 day, 20 hours, 31 minutes`; `—` when unknown. */
export function formatUptime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const total = Math.floor(seconds);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  return `${plural(days, 'day')}, ${plural(hours, 'hour')}, ${plural(minutes, 'minute')}`;
}

/** A span of recordings: `0 days, 14:14:34`. */
export function formatSpan(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const total = Math.floor(seconds);
  const days = Math.floor(total / 86_400);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${plural(days, 'day')}, ${pad(Math.floor((total % 86_400) / 3_600))}:${pad(Math.floor((total % 3_600) / 60))}:${pad(total % 60)}`;
}

/** `13 avg., 16 max.` in milliseconds; `—` before the first heartbeat. */
export function formatPing(ping: { avgMs: number | null; maxMs: number | null } | null | undefined): string {
  if (ping === null || ping === undefined || ping.avgMs === null) return '—';
  const ms = (v: number | null) => (v === null ? '—' : v < 10 ? String(Math.round(v * 10) / 10) : String(Math.round(v)));
  return `${ms(ping.avgMs)} avg., ${ms(ping.maxMs)} max.`;
}

/** Decimal units, as Windows and XProtect show disk sizes: `4,450 GB`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  const units: Array<[number, string]> = [
    [1e12, 'TB'],
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'KB'],
  ];
  for (const [size, unit] of units) {
    // Whole GB up to 100 TB, as XProtect does; TB only beyond that.
    if (unit === 'TB' && bytes < 100e12) continue;
    if (bytes >= size) return `${Math.round(bytes / size).toLocaleString('en-US')} ${unit}`;
  }
  return `${Math.round(bytes)} B`;
}

export function formatPercent(percent: number | null | undefined): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return '—';
  return `${Math.round(percent)} %`;
}

/** Local time with seconds, for the event log. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export type Tone = 'ok' | 'transient' | 'down' | 'unknown';

/**
 * SafeKit's colours: green for a node that is available (PRIM, SECOND, ALONE), magenta for a
 * transient state (WAIT), red when it is stopped (STOP).
 */
export function stateTone(state: string | null | undefined): Tone {
  switch (state) {
    case 'PRIM':
    case 'SECOND':
    case 'ALONE':
      return 'ok';
    case 'WAIT':
      return 'transient';
    case 'STOP':
      return 'down';
    default:
      return 'unknown';
  }
}

/** What SafeKit's state means, for the badge's tooltip and screen readers. */
export function stateMeaning(state: string | null | undefined): string {
  switch (state) {
    case 'PRIM':
      return 'Serving, the peer replicates from it';
    case 'SECOND':
      return 'Standby, replicating from the Serving node';
    case 'ALONE':
      return 'Serving alone: no redundancy';
    case 'WAIT':
      return 'Starting up or waiting for a resource';
    case 'STOP':
      return 'Stopped: no redundancy';
    default:
      return 'No report yet';
  }
}

const settingLabels: Record<string, string> = {
  present: 'Present',
  enabled: 'Enabled',
  recording: 'Recording',
  fpsRequested: 'Frame rate',
  resolution: 'Resolution',
  videoFormat: 'Codec',
};

const valueText = (v: string | number | boolean | null): string => (v === null ? '—' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));

/** One camera setting that differs between the nodes: `Frame rate: rec-a 25, rec-b 15`. */
export function describeMismatch(mismatch: { setting: string; values: Record<string, string | number | boolean | null> }): string {
  const label = settingLabels[mismatch.setting] ?? mismatch.setting;
  const values = Object.entries(mismatch.values)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([node, value]) => `${node} ${valueText(value)}`)
    .join(', ');
  return values === '' ? label : `${label}: ${values}`;
}

export const yesNo = (value: boolean): string => (value ? 'Yes' : 'No');

/** `Primary`, `Secondary`, `Failover`. */
export const roleLabel = (role: string): string => role.charAt(0).toUpperCase() + role.slice(1);

/**
 * A node whose agent has not applied the cluster's current policy: `runs policy v1 of v2`;
 * null when it runs the current one. Version 0 is agent.yaml's bootstrap default.
 */
export function policyLag(node: { policyVersion: number | null; policyCurrent: boolean }, clusterVersion: number): string | null {
  if (node.policyCurrent) return null;
  if (node.policyVersion === null) return `has not said which policy it runs (v${clusterVersion} is current)`;
  if (node.policyVersion === 0) return `runs agent.yaml's default, not policy v${clusterVersion}`;
  return `runs policy v${node.policyVersion} of v${clusterVersion}`;
}

// How the console words backfill: missing seconds, the job's progress, retention, the cluster
// list's Data column ("3 s missing on recorder-1a · backfill 45 %"), each camera's missing
// data per node, and what a refused switch says the target lacks. Pure, on the shapes the API
// returns (only the fields read), so test/console-format.test.ts runs it under Node.
import { formatBytes, formatTime } from './format.js';

/** `3 s`, `2 min 5 s`, `1 h 4 min`, `2 days 3 h`; `< 1 s` for a sliver; `—` when unknown. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds > 0 && seconds < 1) return '< 1 s';
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  if (total < 3_600) return `${Math.floor(total / 60)} min${total % 60 === 0 ? '' : ` ${total % 60} s`}`;
  if (total < 86_400) return `${Math.floor(total / 3_600)} h${Math.floor((total % 3_600) / 60) === 0 ? '' : ` ${Math.floor((total % 3_600) / 60)} min`}`;
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  return `${days} day${days === 1 ? '' : 's'}${hours === 0 ? '' : ` ${hours} h`}`;
}

/** A node's retention: `90 min`, `36 h`, `7 days`, `1.5 days`; `—` when unknown. */
export function formatRetention(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes) || minutes <= 0) return '—';
  if (minutes < 120) return `${Math.round(minutes)} min`;
  if (minutes < 2 * 1_440) return `${Math.round(minutes / 6) / 10} h`;
  return `${Math.round(minutes / 144) / 10} days`;
}

export type BackfillState = 'idle' | 'planning' | 'running' | 'paused' | 'waiting-for-peer' | 'failed' | 'done';

export const backfillStateLabels: Readonly<Record<BackfillState, string>> = {
  idle: 'Idle',
  planning: 'Planning',
  running: 'Running',
  paused: 'Paused',
  'waiting-for-peer': 'Waiting for peer',
  failed: 'Failed',
  done: 'Done',
};

/** The words for a state, including one this console does not know yet. */
export const backfillStateLabel = (state: string): string => (Object.hasOwn(backfillStateLabels, state) ? backfillStateLabels[state as BackfillState] : state);

/** How far the job is, by bytes: 0–100, or null before it knows what it copies. */
export function progressPercent(job: { bytesDone: number; bytesTotal: number }): number | null {
  if (!(job.bytesTotal > 0)) return null;
  return Math.min(100, Math.max(0, (job.bytesDone / job.bytesTotal) * 100));
}

/** `45 %`, rounded down so that 100 % means done. */
export const formatProgress = (percent: number): string => `${Math.floor(percent)} %`;

/** `25 MB/s`; `—` while nothing moves. */
export const formatRate = (bytesPerSecond: number): string => (bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : '—');

/** `about 2 min left`; '' when unknown. */
export const formatEta = (seconds: number | null): string => (seconds === null || !Number.isFinite(seconds) ? '' : `about ${formatSeconds(Math.max(1, seconds))} left`);

interface JobFigures {
  state: string;
  missingSeconds: number;
  bytesDone: number;
  bytesTotal: number;
}

/** What the job does about a node's missing data, after the `·`: `backfill 45 %`, `backfill paused`. */
function jobText(job: JobFigures): string {
  const percent = progressPercent(job);
  if ((job.state === 'running' || job.state === 'planning') && percent !== null) return `backfill ${formatProgress(percent)}`;
  return `backfill ${backfillStateLabel(job.state).toLowerCase()}`;
}

export interface DataColumn {
  /** `complete`: nothing missing; `missing`: measured, with the text; `maybe`: the heuristic flags it, nothing measured. */
  readonly kind: 'complete' | 'missing' | 'maybe';
  readonly text: string;
}

/**
 * The cluster list's Data column: `3 s missing on recorder-1a · backfill 45 %` for each node that
 * lacks data, `Complete`, or `Data missing` when only the heuristic says so.
 *
 * @example dataColumn({ dataMissing: false, nodes: [] }) // { kind: 'complete', text: 'Complete' }
 */
export function dataColumn(cluster: { dataMissing: boolean; nodes: readonly { name: string; backfill: JobFigures | null }[] }): DataColumn {
  if (!cluster.dataMissing) return { kind: 'complete', text: 'Complete' };
  const lacking = cluster.nodes.filter((n) => n.backfill !== null && n.backfill.missingSeconds > 0);
  if (lacking.length === 0) return { kind: 'maybe', text: 'Data missing' };
  return { kind: 'missing', text: lacking.map((n) => `${formatSeconds(n.backfill?.missingSeconds)} missing on ${n.name} · ${jobText(n.backfill as JobFigures)}`).join('; ') };
}

/** A camera's missing data in the Device Overview: `rec-b 7 s`, `None`, or `—` when no node audits. */
export function cameraMissingText(nodes: readonly { nodeName: string; missingSeconds: number | null }[]): string {
  const audited = nodes.filter((n) => n.missingSeconds !== null);
  if (audited.length === 0) return '—';
  const lacking = audited.filter((n) => (n.missingSeconds ?? 0) > 0);
  return lacking.length === 0 ? 'None' : lacking.map((n) => `${n.nodeName} ${formatSeconds(n.missingSeconds)}`).join(', ');
}

/** A gap, in local time: `10:00:00 – 10:00:04 (4 s)`; the start's date is left in when it is another day's than the end. */
export function formatGap(gap: { startAt: string; endAt: string }): string {
  const [start, end] = [formatTime(gap.startAt), formatTime(gap.endAt)];
  const sameDay = start.slice(0, 10) === end.slice(0, 10);
  const seconds = (Date.parse(gap.endAt) - Date.parse(gap.startAt)) / 1_000;
  return `${start} – ${sameDay ? end.slice(11) : end} (${formatSeconds(seconds)})`;
}

export interface MissingCamera {
  readonly deviceId: string;
  readonly missingSeconds: number;
  readonly gaps: readonly { startAt: string; endAt: string }[];
}

/** What a `target-missing-data` problem says the node that would serve lacks. */
export interface TargetMissing {
  readonly nodeName: string;
  readonly missingSeconds: number;
  readonly camerasAffected: number;
  readonly cameras: readonly MissingCamera[];
}

const isGap = (g: unknown): g is { startAt: string; endAt: string } => typeof g === 'object' && g !== null && typeof (g as { startAt?: unknown }).startAt === 'string' && typeof (g as { endAt?: unknown }).endAt === 'string';

/** The fields of a `target-missing-data` problem, checked (it comes from the network); null for any other problem. */
export function targetMissingOf(problem: { type: string; [field: string]: unknown }): TargetMissing | null {
  if (problem.type !== 'urn:twinrec:problem:target-missing-data') return null;
  const { nodeName, missingSeconds, camerasAffected, cameras } = problem;
  if (typeof nodeName !== 'string' || typeof missingSeconds !== 'number' || typeof camerasAffected !== 'number' || !Array.isArray(cameras)) return null;
  const listed = cameras.flatMap((c: unknown): MissingCamera[] => {
    const camera = c as { deviceId?: unknown; missingSeconds?: unknown; gaps?: unknown };
    if (typeof camera.deviceId !== 'string' || typeof camera.missingSeconds !== 'number' || !Array.isArray(camera.gaps)) return [];
    return [{ deviceId: camera.deviceId, missingSeconds: camera.missingSeconds, gaps: camera.gaps.filter(isGap) }];
  });
  return { nodeName, missingSeconds, camerasAffected, cameras: listed };
}

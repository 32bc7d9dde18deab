// How the availability timeline is worded and laid out: its ranges, local times with their UTC
// offset, shares, durations, colours and the chart's margins (which the browser test reads too).
// Pure and import-free, so it runs under Node as well.

export const timelineRanges = [
  { key: '1h', label: '1 h', ms: 3_600_000 },
  { key: '6h', label: '6 h', ms: 6 * 3_600_000 },
  { key: '24h', label: '24 h', ms: 24 * 3_600_000 },
  { key: '7d', label: '7 d', ms: 7 * 24 * 3_600_000 },
  { key: '30d', label: '30 d', ms: 30 * 24 * 3_600_000 },
] as const;
export type TimelineRangeKey = (typeof timelineRanges)[number]['key'];
export const timelineRangeDefault: TimelineRangeKey = '24h';

/** The chart's plot area inside its box, in CSS pixels: the time axis runs from `left` to width - `right`. */
export const timelineChartGrid = { left: 150, right: 28, top: 34, bottom: 34 } as const;
export const timelineRowHeightPx = 46;

/** One colour per node, in the order the timeline lists them (SafeKit's serving blue first). */
export const nodeColours = ['#0b5cad', '#1e7b34', '#7a4fb5', '#b86e00'] as const;
export const markerColours = { failover: '#b3261e', switch: '#a1168f', failback: '#1f3a5f' } as const;
export const gapColours = { open: '#e8a33d', filled: '#9db4c8', expired: '#6b7683' } as const;

export const nodeColour = (index: number): string => nodeColours[index % nodeColours.length] ?? nodeColours[0];

const pad = (n: number): string => String(Math.abs(n)).padStart(2, '0');

/** The operator's UTC offset at that moment: `UTC+01:00`, `UTC−05:00`, `UTC`. */
export function utcOffsetLabel(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  if (minutes === 0) return 'UTC';
  return `UTC${minutes > 0 ? '+' : '−'}${pad(Math.trunc(minutes / 60))}:${pad(minutes % 60)}`;
}

/** Local time, `2026-12-06 23:40:12`. */
export function formatLocal(time: string | number | Date): string {
  const d = new Date(time);
  if (Number.isNaN(d.getTime())) return String(time);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `2 h 5 min`, `3 min 20 s`, `12 s`, `0 s`: the largest unit and the next one (when not 0). */
export function formatDuration(seconds: number): string {
  const units: Array<[number, string]> = [
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  const total = Math.max(0, Math.round(seconds));
  const first = units.findIndex(([size]) => total >= size);
  if (first === -1) return '0 s';
  const [size, unit] = units[first] ?? [1, 's'];
  const whole = Math.floor(total / size);
  const next = units[first + 1];
  const rest = next === undefined ? 0 : Math.floor((total - whole * size) / next[0]);
  return next !== undefined && rest > 0 ? `${whole} ${unit} ${rest} ${next[1]}` : `${whole} ${unit}`;
}

/** A share of the window: `99.2 %`, `100 %`, `0 %`; never rounds a small non-zero share to 0 or a near-whole one to 100. */
export function formatShare(share: number): string {
  if (share <= 0) return '0 %';
  if (share >= 1) return '100 %';
  const percent = Math.min(99.9, Math.max(0.1, Math.round(share * 1000) / 10));
  return `${percent.toFixed(1)} %`;
}

/** `rs-a 99.2 %, rs-b 0.8 %, unserved 0 s`. */
export function sharesText(timeline: { nodes: ReadonlyArray<{ name: string; servingShare: number }>; unservedSeconds: number }): string {
  return [...timeline.nodes.map((n) => `${n.name} ${formatShare(n.servingShare)}`), `unserved ${formatDuration(timeline.unservedSeconds)}`].join(', ');
}

/** `failover`, `switch`, `failback` as the legend and the table say them. */
export const markerKindLabels = { failover: 'Failover', switch: 'Switch', failback: 'Failback' } as const;
export const gapStateLabels = { open: 'Data missing', filled: 'Data backfilled', expired: 'Data expired' } as const;

/** `3,100 ms`, or `—` when not measured. */
export function formatMs(ms: number | null): string {
  return ms === null ? '—' : `${ms.toLocaleString('en-US')} ms`;
}

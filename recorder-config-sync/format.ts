// Readable text for operators: one line per change, values quoted and shortened.
import type { Change, DifferenceKind } from './diff.js';
import type { UnclassifiedReport } from './unclassified.js';

/** Longest value shown in readable output; `--json` shows values in full. */
export const maxShownValueChars = 60;

/**
 * A value for a table cell: strings quoted (so blanks show), elements collapsed to one line,
 * long values shortened with '…', absence spelled out.
 *
 * @example
 *   showValue('lab-xpco')                 // '"lab-xpco"'
 *   showValue(null)                       // '(absent)'
 *   showValue('<pipeline>\n  <a>1</a>…', 'element')   // '<pipeline> <a>1</a>…'
 */
export function showValue(value: string | null, subject: Change['subject'] = 'text'): string {
  if (value === null) return '(absent)';
  const text = subject === 'element' ? value.replace(/\s+/g, ' ') : JSON.stringify(value);
  return text.length > maxShownValueChars ? `${text.slice(0, maxShownValueChars - 1)}…` : text;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `a`, `a and b`, `a, b and c`. */
function enumerate(parts: readonly string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`;
}

export interface KindCounts {
  readonly shared: number;
  readonly local: number;
  readonly unclassified: number;
}

export function countKinds(changes: readonly Change[]): KindCounts {
  let shared = 0;
  let local = 0;
  let unclassified = 0;
  for (const change of changes) {
    if (change.kind === 'shared') shared++;
    else if (change.kind === 'local') local++;
    else unclassified++;
  }
  return { shared, local, unclassified };
}

/** What `twinrec config diff` found: every difference and unclassified path, whatever `--only` shows. */
export interface DiffReport {
  readonly primaryPath: string;
  readonly nodePath: string;
  readonly changes: readonly Change[];
  readonly unclassified: UnclassifiedReport;
  /** `--only`: the one kind shown, or null for all. */
  readonly only: DifferenceKind | null;
}

/** What `--only` lets through. Unclassified paths are shown with all kinds, or with `--only unclassified`. */
export interface ShownDiff {
  readonly changes: readonly Change[];
  readonly unclassified: UnclassifiedReport;
  /** Something to report: `config diff` exits 1. */
  readonly found: boolean;
}

export function shownDiff(report: DiffReport): ShownDiff {
  const { only } = report;
  const changes = only === null ? report.changes : report.changes.filter((c) => c.kind === only);
  const unclassified = only === null || only === 'unclassified' ? report.unclassified : { paths: [], omitted: 0 };
  return { changes, unclassified, found: changes.length > 0 || unclassified.paths.length > 0 };
}

/** The lines `twinrec config diff` prints; every count says what it counts, and what `--only` hides is counted too. */
export function formatDiff(report: DiffReport): string {
  const { primaryPath, nodePath, only } = report;
  const all = countKinds(report.changes);
  const shown = shownDiff(report);
  const unclassifiedTotal = report.unclassified.paths.length + report.unclassified.omitted;
  const primaryName = `${primaryPath} (primary)`;
  if (report.changes.length === 0 && unclassifiedTotal === 0) return `${nodePath} matches ${primaryName}: no differences\n`;

  const hidden: string[] = [];
  for (const kind of ['shared', 'local', 'unclassified'] as const) {
    if (only !== null && kind !== only && all[kind] > 0) hidden.push(plural(all[kind], `${kind} difference`));
  }
  if (shown.unclassified.paths.length === 0 && unclassifiedTotal > 0) hidden.push(plural(unclassifiedTotal, 'unclassified path'));
  const notShown = hidden.length === 0 ? '' : ` (${enumerate(hidden)} not shown)`;

  let head: string;
  if (only === null) {
    const counts = [`${all.shared} shared`, `${all.local} local`, ...(all.unclassified > 0 ? [`${all.unclassified} unclassified`] : [])];
    head = report.changes.length === 0
      ? `${nodePath} matches ${primaryName}: no differences`
      : `${nodePath} differs from ${primaryName}: ${plural(report.changes.length, 'difference')}: ${counts.join(', ')}`;
  } else {
    head = shown.changes.length === 0
      ? `${nodePath} has no ${only} differences from ${primaryName}${notShown}`
      : `${nodePath} differs from ${primaryName}: ${plural(shown.changes.length, `${only} difference`)}${notShown}`;
  }

  const lines = [head];
  if (shown.changes.length > 0) {
    lines.push('', ...table([['KIND', 'PATH', 'PRIMARY → NODE'], ...shown.changes.map((c) => [c.kind, c.path, `${showValue(c.before, c.subject)} → ${showValue(c.after, c.subject)}`])]));
  }
  if (shown.unclassified.paths.length > 0) {
    const where = { both: 'both files', primary: 'the primary only', node: 'the node only' } as const;
    lines.push(
      '',
      `${plural(unclassifiedTotal, 'unclassified path')}: no clone rule says shared or local, so a clone keeps each node's own and never copies it`,
      ...table([['UNCLASSIFIED', 'IN'], ...shown.unclassified.paths.map((u) => [u.path, where[u.in]])]),
      ...(shown.unclassified.omitted > 0 ? [`… and ${shown.unclassified.omitted} more`] : []),
    );
  }
  const footer: string[] = [];
  if (all.shared > 0) footer.push(`a clone copies the ${plural(all.shared, 'shared difference')}: twinrec config clone --from ${primaryPath} --to ${nodePath}`);
  else if (only !== 'shared') footer.push('no shared differences: a clone would change nothing'); // the head said so already
  if (unclassifiedTotal > 0) footer.push('to synchronize an unclassified path, or to mark it node-local, add a rule for it in a rules file (--rules)');
  return `${[...lines, '', ...footer].join('\n')}\n`;
}

/** The lines `twinrec config clone` prints. */
export function formatClone(from: string, to: string, changes: readonly Change[], outcome: string): string {
  const { shared, local, unclassified } = countKinds(changes);
  const head = `${from} → ${to}: ${shared} shared value${shared === 1 ? '' : 's'} to copy, ${local} local value${local === 1 ? '' : 's'} kept${
    unclassified > 0 ? `, ${unclassified} unclassified value${unclassified === 1 ? '' : 's'} kept (no rule covers ${unclassified === 1 ? 'it' : 'them'}: never copied)` : ''}`;
  const rows = changes.map((c) => c.kind === 'shared'
    ? ['copy', c.path, `${showValue(c.before, c.subject)} → ${showValue(c.after, c.subject)}`]
    : ['keep', c.kind === 'unclassified' ? `${c.path} (unclassified)` : c.path, `${showValue(c.before, c.subject)} (primary: ${showValue(c.after, c.subject)})`]);
  return [head, ...(rows.length > 0 ? ['', ...table(rows), ''] : []), outcome, ''].join('\n');
}

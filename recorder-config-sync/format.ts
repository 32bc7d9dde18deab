// Readable text for operators: one line per change, values quoted and shortened.
import type { Change } from './diff.js';

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

/** A path with a marker when no rule covers it. */
function showPath(change: Change): string {
  return change.rule === null ? `${change.path} (unknown)` : change.path;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

export function countKinds(changes: readonly Change[]): { shared: number; local: number } {
  const shared = changes.filter((c) => c.kind === 'shared').length;
  return { shared, local: changes.length - shared };
}

/** The lines `twinrec config diff` prints. */
export function formatDiff(primaryPath: string, nodePath: string, changes: readonly Change[]): string {
  const { shared, local } = countKinds(changes);
  if (changes.length === 0) return `${nodePath} matches ${primaryPath}: no differences\n`;
  const head = `${nodePath} differs from ${primaryPath} (primary): ${changes.length} difference${changes.length === 1 ? '' : 's'}, ${shared} shared, ${local} local`;
  const rows = [['KIND', 'PATH', 'PRIMARY → NODE'], ...changes.map((c) => [c.kind, showPath(c), `${showValue(c.before, c.subject)} → ${showValue(c.after, c.subject)}`])];
  const foot = shared > 0 ? `shared differences are copied by: twinrec config clone --from ${primaryPath} --to ${nodePath}` : 'only node-local differences: the two files are in sync';
  return [head, '', ...table(rows), '', foot, ''].join('\n');
}

/** The lines `twinrec config clone` prints. */
export function formatClone(from: string, to: string, changes: readonly Change[], outcome: string): string {
  const { shared, local } = countKinds(changes);
  const head = `${from} → ${to}: ${shared} shared value${shared === 1 ? '' : 's'} to copy, ${local} local value${local === 1 ? '' : 's'} kept`;
  const rows = changes.map((c) => c.kind === 'shared'
    ? ['copy', showPath(c), `${showValue(c.before, c.subject)} → ${showValue(c.after, c.subject)}`]
    : ['keep', showPath(c), `${showValue(c.before, c.subject)} (primary: ${showValue(c.after, c.subject)})`]);
  return [head, ...(rows.length > 0 ? ['', ...table(rows), ''] : []), outcome, ''].join('\n');
}

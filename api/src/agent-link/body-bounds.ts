// Cheap bounds on an agent's JSON body, checked before its schema: zod collects every issue,
// so an array of a million wrong items would cost seconds to describe. One iterative pass
// (no recursion: a deeply nested body cannot overflow the stack) refuses a body no agent
// sends, at its first excess, before anything else walks it.

/** Limits on a parsed JSON value's shape. */
export interface JsonBounds {
  /** Nesting of arrays and objects: the top level is depth 0. */
  readonly depthMax: number;
  /** Items of any one array. */
  readonly arrayLengthMax: number;
  /** Keys of any one object. */
  readonly keysMax: number;
  /** Values (objects, arrays and scalars) in all. */
  readonly valuesMax: number;
}

/**
 * What an agent's register or report body stays within. The largest legitimate report lists
 * 4096 cameras and 4096 backfill cameras of 32 gaps each (about 500,000 values), nested 6
 * deep, plus its events' `data` (contracts/controller-v1.ts bounds those to 8 levels).
 */
export const agentBodyBounds: JsonBounds = { depthMax: 24, arrayLengthMax: 4096, keysMax: 256, valuesMax: 1_000_000 };

/** Where a body first exceeds a bound, as a validation issue; null when it keeps them all. */
export interface BoundsIssue {
  readonly path: string;
  readonly message: string;
}

interface Entry {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Entry | null;
  readonly key: string;
}

/**
 * The first bound `value` exceeds, else null. The path is a JSON pointer under `/body`.
 *
 * @example
 *   jsonBoundsIssue({ a: [[[]]] }, { depthMax: 2, arrayLengthMax: 10, keysMax: 10, valuesMax: 100 })
 *   // { path: '/body/a/0', message: 'must nest at most 2 levels of arrays and objects' }
 */
export function jsonBoundsIssue(value: unknown, bounds: JsonBounds): BoundsIssue | null {
  // Only arrays and objects are stacked (a report is mostly scalars): scalars are counted where they are met.
  if (typeof value !== 'object' || value === null) return null;
  const stack: Entry[] = [{ value, depth: 0, parent: null, key: '' }];
  let values = 1;
  while (stack.length > 0) {
    const entry = stack.pop() as Entry;
    const v = entry.value as object;
    if (entry.depth >= bounds.depthMax) return { path: pathOf(entry), message: `must nest at most ${bounds.depthMax} levels of arrays and objects` };
    if (Array.isArray(v)) {
      if (v.length > bounds.arrayLengthMax) return { path: pathOf(entry), message: `must have at most ${bounds.arrayLengthMax} items` };
      values += v.length;
      if (values > bounds.valuesMax) return { path: '/body', message: `must hold at most ${bounds.valuesMax} values` };
      for (let i = 0; i < v.length; i += 1) {
        const item = v[i] as unknown;
        if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: entry.depth + 1, parent: entry, key: String(i) });
      }
    } else {
      let keys = 0;
      for (const key in v) {
        keys += 1;
        if (keys > bounds.keysMax) return { path: pathOf(entry), message: `must have at most ${bounds.keysMax} properties` };
        const item = (v as Record<string, unknown>)[key];
        if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: entry.depth + 1, parent: entry, key });
      }
      values += keys;
      if (values > bounds.valuesMax) return { path: '/body', message: `must hold at most ${bounds.valuesMax} values` };
    }
  }
  return null;
}

function pathOf(entry: Entry): string {
  const keys: string[] = [];
  for (let e: Entry | null = entry; e !== null && e.parent !== null; e = e.parent) keys.push(e.key.slice(0, 64).replace(/~/g, '~0').replace(/\//g, '~1'));
  return `/body${keys.reverse().map((k) => `/${k}`).join('')}`;
}

/** A long list in a body whose items are checked one by one first (itemIssues). */
export interface CheckedList {
  /** Keys from the body to the array. */
  readonly path: readonly string[];
  /** What each item must be. */
  readonly item: { safeParse(value: unknown): { success: true } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } } };
}

/**
 * The issues of the items of `lists` in `body`, up to `issuesMax`: each item is parsed alone, and
 * the walk stops once that many are found. zod describes every issue of a body it parses
 * whole, so 4096 wrong cameras would cost half a second; an item that is right costs
 * microseconds, so this bounds the cost of a wrong body to about `issuesMax` wrong items.
 */
export function itemIssues(body: unknown, lists: readonly CheckedList[], issuesMax: number): BoundsIssue[] {
  const issues: BoundsIssue[] = [];
  for (const list of lists) {
    let node: unknown = body;
    for (const key of list.path) node = typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
    if (!Array.isArray(node)) continue;
    for (let i = 0; i < node.length && issues.length < issuesMax; i += 1) {
      const parsed = list.item.safeParse(node[i]);
      if (parsed.success) continue;
      for (const issue of parsed.error.issues.slice(0, issuesMax - issues.length)) {
        issues.push({ path: `/body/${[...list.path, String(i), ...issue.path.map((p) => String(p).slice(0, 64))].join('/')}`, message: issue.message });
      }
    }
  }
  return issues;
}

// The paths of a RecorderConfig.xml that no clone rule classifies. A clone keeps each node's own
// value there and never copies it, so an element a newer XProtect adds, or a vendor's section,
// would silently stay unsynchronized; `config diff` and config sync report these paths instead.
// Pure: documents in, paths out.
import { compileRules, defaultCloneRules, type CloneRules, type RulePath } from './clone-rules.js';
import { isNamespaceDeclaration } from './diff.js';
import type { RecorderConfig } from './validate.js';
import { childElements, type XmlElement } from './xml-document.js';

/** Which files hold an unclassified path. */
export type UnclassifiedIn = 'both' | 'primary' | 'node';

export interface UnclassifiedPath {
  /**
   * Below `<recorderconfig>`, without occurrence indexes (`rules/rule`, not `rules/rule[2]`):
   * an element (`VendorX`, `recorder/newSetting`) or an attribute (`webserver/port@mode`). Only
   * the outermost unclassified element is named, not what is inside it.
   */
  readonly path: string;
  readonly in: UnclassifiedIn;
}

export interface UnclassifiedReport {
  /** In document order, the primary's first; at most `maxPaths`. */
  readonly paths: readonly UnclassifiedPath[];
  /** Paths left out beyond `maxPaths` (at least this many when a file alone holds more than `maxPaths`). */
  readonly omitted: number;
}

/** Bound on distinct paths collected per document: a real file has none; a broken one must not flood a report. */
export const maxUnclassifiedPaths = 1000;

/**
 * The distinct unclassified paths of one document, in document order. Namespace declarations
 * are no setting and never unclassified.
 *
 * @example
 *   unclassifiedPathsOf(parseRecorderConfig(xml))   // ['recorder/newSetting', 'VendorX']
 */
export function unclassifiedPathsOf(config: RecorderConfig, rules: CloneRules = defaultCloneRules, maxPaths = maxUnclassifiedPaths): { paths: string[]; omitted: number } {
  const found = new Set<string>();
  let omitted = 0;
  const add = (path: string): void => {
    if (found.has(path)) return;
    if (found.size < maxPaths) found.add(path);
    else omitted++;
  };
  // Depth is bounded by the parser (64 levels), so the recursion is too.
  const visit = (element: XmlElement, path: string, rulePath: RulePath): void => {
    for (const attribute of element.attributes) {
      if (!isNamespaceDeclaration(attribute.name) && rulePath.attribute(attribute.name).rule === null) add(`${path}@${attribute.name}`);
    }
    for (const child of childElements(element)) {
      const childPath = rulePath.child(child.name);
      const spelled = path === '' ? child.name : `${path}/${child.name}`;
      if (childPath.element.rule === null) add(spelled);
      else visit(child, spelled, childPath);
    }
  };
  visit(config.doc.root, '', compileRules(rules).root());
  return { paths: [...found], omitted };
}

/**
 * The unclassified paths of both files, each with where it occurs.
 *
 * @example
 *   unclassifiedPaths(primary, node).paths   // [{ path: 'VendorX', in: 'node' }]
 */
export function unclassifiedPaths(primary: RecorderConfig, node: RecorderConfig, rules: CloneRules = defaultCloneRules, maxPaths = maxUnclassifiedPaths): UnclassifiedReport {
  const p = unclassifiedPathsOf(primary, rules, maxPaths);
  const n = unclassifiedPathsOf(node, rules, maxPaths);
  const inNode = new Set(n.paths);
  const inPrimary = new Set(p.paths);
  const all: UnclassifiedPath[] = [
    ...p.paths.map((path) => ({ path, in: inNode.has(path) ? 'both' as const : 'primary' as const })),
    ...n.paths.filter((path) => !inPrimary.has(path)).map((path) => ({ path, in: 'node' as const })),
  ];
  const paths = all.slice(0, maxPaths);
  return { paths, omitted: all.length - paths.length + Math.max(p.omitted, n.omitted) };
}

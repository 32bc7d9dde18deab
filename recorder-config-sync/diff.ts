// Compares two RecorderConfig.xml trees under the clone rules. One walk serves both `diff`
// (which reports) and `clone` (which also takes the edits that make a shared difference go
// away), so the two can never disagree about what differs.
import {
  compileRules, defaultCloneRules, mapStoragePath,
  type ChangeKind, type Classification, type CloneRules, type CompiledRules, type RulePath,
} from './clone-rules.js';
import { inFile } from './errors.js';
import { parseRecorderConfig, type RecorderConfig } from './validate.js';
import {
  applyPatches, childElements, directText, escapeAttribute, escapeText,
  type Patch, type XmlAttribute, type XmlDocument, type XmlElement,
} from './xml-document.js';

/** What a change is about: an element present on one side only, an attribute, or an element's text. */
export type ChangeSubject = 'element' | 'attribute' | 'text';

/**
 * How a difference is treated: `shared` (a clone copies it), `local` (each node keeps its own),
 * or `unclassified`: no rule covers the path, so a clone keeps the node's own and never copies
 * it, and `diff` says so instead of passing it off as local.
 */
export type DifferenceKind = ChangeKind | 'unclassified';

/**
 * One difference between two RecorderConfig.xml files.
 *
 * In `diff(a, b)`, `before` is the value in `a` (the primary) and `after` the value in `b`.
 * In `clone(primary, target)`, `before` is the target's value and `after` the primary's (after
 * the storage path map): a `shared` change was applied, so the clone holds `after`; a `local`
 * change was not, so the clone still holds `before`.
 */
export interface Change {
  /** Below `<recorderconfig>`, e.g. `server/address`, `rules/rule[2]`, `webserver/encryption@certificateHash`. */
  readonly path: string;
  readonly kind: DifferenceKind;
  readonly subject: ChangeSubject;
  /** Text or attribute value (decoded), or an element's XML; null when absent. Secrets read `(redacted)`. */
  readonly before: string | null;
  readonly after: string | null;
  /** The rule that decided `kind`, or null when no rule covers the path (kind `unclassified`). */
  readonly rule: string | null;
}

/**
 * Compares a node's RecorderConfig.xml with the primary's.
 *
 * @param primaryXml the reference (the primary's file); `before` in each change.
 * @param nodeXml the other node's file; `after` in each change.
 * @throws RecorderConfigError when either input is not a valid RecorderConfig.xml.
 * @example
 *   diff(primaryXml, secondaryXml)
 *   // → [{ path: 'webserver/host', kind: 'local', subject: 'text', before: 'rec-a', after: 'rec-b', rule: 'webserver/host' }]
 */
export function diff(primaryXml: string | Uint8Array, nodeXml: string | Uint8Array, rules: CloneRules = defaultCloneRules): Change[] {
  return diffDocuments(parseLabelled(primaryXml, 'primary'), parseLabelled(nodeXml, 'node'), rules);
}

/**
 * {@link diff} on documents already parsed and validated.
 *
 * @example
 *   diffDocuments(parseRecorderConfig(a), parseRecorderConfig(b)).filter((c) => c.kind === 'shared')
 */
export function diffDocuments(primary: RecorderConfig, node: RecorderConfig, rules: CloneRules = defaultCloneRules): Change[] {
  return compareDocuments(primary.doc, node.doc, compileRules(rules)).differences.map((d) => ({
    path: d.path, kind: d.kind, subject: d.subject, before: d.primary, after: d.node, rule: d.rule,
  }));
}

/** Parses and validates, prefixing any error with which input it was (`primary`, `target`, …). */
export function parseLabelled(xml: string | Uint8Array, label: string): RecorderConfig {
  try {
    return parseRecorderConfig(xml);
  } catch (err) {
    throw inFile(err, label);
  }
}

// ---- the walk -----------------------------------------------------------------------------

/** A difference as found by the walk; values are for display (secrets redacted). */
export interface Difference {
  readonly path: string;
  readonly kind: DifferenceKind;
  readonly subject: ChangeSubject;
  readonly rule: string | null;
  readonly primary: string | null;
  readonly node: string | null;
  /** What a clone writes for a shared difference (null: removed, or local). */
  readonly desired: string | null;
}

/** An edit to the node's document that removes one shared difference. */
export type Edit =
  | { readonly op: 'set-attribute'; readonly attribute: XmlAttribute; readonly value: string }
  | { readonly op: 'add-attribute'; readonly element: XmlElement; readonly name: string; readonly value: string }
  | { readonly op: 'remove-attribute'; readonly attribute: XmlAttribute }
  | { readonly op: 'set-text'; readonly element: XmlElement; readonly value: string }
  /** Replace everything inside the element with the primary's raw content. */
  | { readonly op: 'replace-content'; readonly element: XmlElement; readonly content: string }
  /** Insert the primary's elements after `anchor` (or first, when null), in order. */
  | {
    readonly op: 'insert-elements'; readonly parent: XmlElement; readonly anchor: XmlElement | null;
    readonly fragments: readonly string[];
    /** The primary's layout, for a parent that has no child elements yet. */
    readonly childSeparator: string; readonly closingSeparator: string;
  }
  | { readonly op: 'remove-element'; readonly parent: XmlElement; readonly element: XmlElement };

export interface Comparison {
  readonly differences: readonly Difference[];
  readonly edits: readonly Edit[];
}

/** Shown instead of a value whose name says it is a secret (passphrase, password, …). */
export const redacted = '(redacted)';
const secretNameRe = /password|passphrase|secret|privatekey|apikey/i;

interface Walk {
  readonly rules: CompiledRules;
  readonly primary: XmlDocument;
  readonly node: XmlDocument;
  readonly differences: Difference[];
  readonly edits: Edit[];
}

/**
 * Walks both trees. Children are matched by name and occurrence (the second `<rule>` with the
 * second `<rule>`), so interleaved siblings and reordered sections compare as they should.
 * Comments, processing instructions, formatting whitespace and namespace declarations are not
 * compared.
 */
export function compareDocuments(primary: XmlDocument, node: XmlDocument, rules: CompiledRules): Comparison {
  const walk: Walk = { rules, primary, node, differences: [], edits: [] };
  compareElements(walk, primary.root, node.root, Location.root, rules.root());
  return { differences: walk.differences, edits: walk.edits };
}

/** A list of sibling elements, with each one's occurrence among same-named siblings counted once, on demand. */
class Siblings {
  private occurrences: Int32Array | undefined;
  private counts: Map<string, number> | undefined;
  constructor(readonly elements: readonly XmlElement[]) {}

  occurrence(position: number): number {
    this.count();
    return this.occurrences?.[position] ?? 1;
  }

  countOf(name: string): number {
    this.count();
    return this.counts?.get(name) ?? 0;
  }

  private count(): void {
    if (this.counts !== undefined) return;
    const counts = new Map<string, number>();
    const occurrences = new Int32Array(this.elements.length);
    this.elements.forEach((element, i) => {
      const n = (counts.get(element.name) ?? 0) + 1;
      counts.set(element.name, n);
      occurrences[i] = n;
    });
    this.counts = counts;
    this.occurrences = occurrences;
  }
}

/**
 * Where an element sits. Its path is spelled only when a difference is recorded, because a walk
 * of a large file visits tens of thousands of elements and records a handful.
 */
class Location {
  static readonly root = new Location(null, '', new Siblings([]), -1, new Siblings([]));
  private spelled: string | undefined;

  constructor(
    private readonly parent: Location | null,
    private readonly name: string,
    /** The sibling list holding the element, and its position there. */
    private readonly siblings: Siblings,
    private readonly position: number,
    /** The other side's siblings: an index is shown when the name repeats on either side. */
    private readonly otherSiblings: Siblings,
  ) {}

  get path(): string {
    if (this.spelled !== undefined) return this.spelled;
    if (this.parent === null) return (this.spelled = '');
    const parentPath = this.parent.path;
    const base = parentPath === '' ? this.name : `${parentPath}/${this.name}`;
    const repeated = Math.max(this.siblings.countOf(this.name), this.otherSiblings.countOf(this.name)) > 1;
    return (this.spelled = repeated ? `${base}[${this.siblings.occurrence(this.position)}]` : base);
  }
}

function compareElements(walk: Walk, p: XmlElement, n: XmlElement, where: Location, rulePath: RulePath): void {
  // The same characters are the same subtree: most of a clone is byte-identical to its primary,
  // so this string comparison (no parsing, no allocation of values) skips nearly everything.
  if (p.end - p.start === n.end - n.start && walk.primary.source.slice(p.start, p.end) === walk.node.source.slice(n.start, n.end)) return;
  if (p.attributes.length > 0 || n.attributes.length > 0) compareAttributes(walk, p, n, where, rulePath);
  const pElements = childElements(p);
  const nElements = childElements(n);
  if (pElements.length === 0 && nElements.length === 0) {
    compareLeaf(walk, p, n, where, rulePath);
    return;
  }
  const blank = isBlankContent(walk.primary.source, p) && isBlankContent(walk.node.source, n);
  if (!blank && directText(p) !== directText(n)) {
    compareMixedContent(walk, p, n, where, rulePath);
    return;
  }
  compareChildren(walk, p, n, pElements, nElements, where, rulePath);
}

function sameAttributes(a: readonly XmlAttribute[], b: readonly XmlAttribute[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as XmlAttribute;
    const y = b[i] as XmlAttribute;
    if (x.name !== y.name || x.value !== y.value) return false;
  }
  return true;
}

function compareAttributes(walk: Walk, p: XmlElement, n: XmlElement, where: Location, rulePath: RulePath): void {
  if (sameAttributes(p.attributes, n.attributes)) return; // the usual case
  for (const pa of p.attributes) {
    if (isNamespaceDeclaration(pa.name)) continue;
    const na = n.attributes.find((a) => a.name === pa.name);
    if (na !== undefined && na.value === pa.value) continue;
    const classification = rulePath.attribute(pa.name);
    const decision = decideValue(walk, classification, pa.value, na?.value ?? null);
    if (decision === null) continue;
    record(walk, `${where.path}@${pa.name}`, 'attribute', classification, decision.kind, displayValue(pa.name, pa.value), displayValue(pa.name, na?.value ?? null), displayValue(pa.name, decision.desired));
    if (decision.kind !== 'shared' || decision.desired === null) continue;
    walk.edits.push(na === undefined
      ? { op: 'add-attribute', element: n, name: pa.name, value: decision.desired }
      : { op: 'set-attribute', attribute: na, value: decision.desired });
  }
  for (const na of n.attributes) {
    if (isNamespaceDeclaration(na.name) || p.attributes.some((a) => a.name === na.name)) continue;
    const classification = rulePath.attribute(na.name);
    const kind = absentOnPrimaryKind(classification);
    record(walk, `${where.path}@${na.name}`, 'attribute', classification, kind, null, displayValue(na.name, na.value), null);
    if (kind === 'shared') walk.edits.push({ op: 'remove-attribute', attribute: na });
  }
}

function compareLeaf(walk: Walk, p: XmlElement, n: XmlElement, where: Location, rulePath: RulePath): void {
  const pText = directText(p);
  const nText = directText(n);
  if (pText === nText || (isBlank(pText) && isBlank(nText))) return; // equal, or formatting only
  const classification = rulePath.element;
  const decision = decideValue(walk, classification, pText, nText);
  if (decision === null) return;
  record(walk, where.path, 'text', classification, decision.kind, displayValue(p.name, pText), displayValue(n.name, nText), displayValue(p.name, decision.desired));
  if (decision.kind === 'shared' && decision.desired !== null) walk.edits.push({ op: 'set-text', element: n, value: decision.desired });
}

/** Text beside child elements: copied wholesale when the whole element is shared, else kept. */
function compareMixedContent(walk: Walk, p: XmlElement, n: XmlElement, where: Location, rulePath: RulePath): void {
  const kind: ChangeKind = rulePath.subtreeShared ? 'shared' : 'local';
  const pDisplay = renderElement(walk, walk.primary, p, rulePath, 'display');
  record(walk, where.path, 'element', rulePath.element, kind, pDisplay, renderElement(walk, walk.node, n, rulePath, 'display'), kind === 'shared' ? pDisplay : null);
  if (kind === 'shared') walk.edits.push({ op: 'replace-content', element: n, content: innerSource(walk.primary, p) });
}

function sameNames(a: readonly XmlElement[], b: readonly XmlElement[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]?.name !== b[i]?.name) return false;
  return true;
}

/** `name NUL occurrence` for each element: the key children are matched by. */
function occurrenceKeys(elements: readonly XmlElement[]): string[] {
  const seen = new Map<string, number>();
  return elements.map((element) => {
    const occurrence = (seen.get(element.name) ?? 0) + 1;
    seen.set(element.name, occurrence);
    return `${element.name}\u0000${occurrence}`;
  });
}

function compareChildren(
  walk: Walk, p: XmlElement, n: XmlElement, pElements: readonly XmlElement[], nElements: readonly XmlElement[],
  where: Location, rulePath: RulePath,
): void {
  const pSiblings = new Siblings(pElements);
  const nSiblings = new Siblings(nElements);
  // Nearly always both sides have the same children in the same order: pair them directly.
  if (sameNames(pElements, nElements)) {
    for (let i = 0; i < pElements.length; i++) {
      const pe = pElements[i] as XmlElement;
      compareElements(walk, pe, nElements[i] as XmlElement, new Location(where, pe.name, pSiblings, i, nSiblings), rulePath.child(pe.name));
    }
    return;
  }
  const pKeys = occurrenceKeys(pElements);
  const nKeys = occurrenceKeys(nElements);
  const nByKey = new Map<string, number>();
  nKeys.forEach((key, i) => nByKey.set(key, i));
  const pKeySet = new Set(pKeys);
  const layout = primaryLayout(walk.primary, p);

  let anchor: XmlElement | null = null;
  let fragments: string[] = [];
  for (let i = 0; i < pElements.length; i++) {
    const pe = pElements[i] as XmlElement;
    const childPath = rulePath.child(pe.name);
    const match = nByKey.get(pKeys[i] as string);
    if (match !== undefined) {
      if (fragments.length > 0) walk.edits.push({ op: 'insert-elements', parent: n, anchor, fragments, ...layout });
      fragments = [];
      const ne = nElements[match] as XmlElement;
      compareElements(walk, pe, ne, new Location(where, pe.name, pSiblings, i, nSiblings), childPath);
      anchor = ne;
      continue;
    }
    const kind = presentOnPrimaryOnlyKind(walk, childPath.element, pe);
    const display = renderElement(walk, walk.primary, pe, childPath, 'display');
    const path = new Location(where, pe.name, pSiblings, i, nSiblings).path;
    record(walk, path, 'element', childPath.element, kind, display, null, kind === 'shared' ? display : null);
    if (kind === 'shared') fragments.push(renderElement(walk, walk.primary, pe, childPath, 'insert'));
  }
  if (fragments.length > 0) walk.edits.push({ op: 'insert-elements', parent: n, anchor, fragments, ...layout });
  for (let i = 0; i < nElements.length; i++) {
    if (pKeySet.has(nKeys[i] as string)) continue;
    const ne = nElements[i] as XmlElement;
    const childPath = rulePath.child(ne.name);
    const kind = absentOnPrimaryKind(childPath.element);
    const path = new Location(where, ne.name, nSiblings, i, pSiblings).path;
    record(walk, path, 'element', childPath.element, kind, null, renderElement(walk, walk.node, ne, childPath, 'display'), null);
    if (kind === 'shared') walk.edits.push({ op: 'remove-element', parent: n, element: ne });
  }
}

// ---- decisions ----------------------------------------------------------------------------

interface Decision {
  readonly kind: ChangeKind;
  /** The value a clone writes (shared), else null. */
  readonly desired: string | null;
}

/** Decides a value present on the primary; null when there is no difference to report. */
function decideValue(walk: Walk, classification: Classification, pValue: string, nValue: string | null): Decision | null {
  if (classification.kind === 'mapped') {
    const mapped = mapStoragePath(pValue, walk.rules.storagePathMap);
    if (mapped === undefined || mapped === nValue) return pValue === nValue ? null : { kind: 'local', desired: null };
    return { kind: 'shared', desired: mapped };
  }
  if (pValue === nValue) return null;
  return classification.kind === 'shared' ? { kind: 'shared', desired: pValue } : { kind: 'local', desired: null };
}

/** A node's attribute or element that the primary lacks: shared ones are removed by a clone. */
function absentOnPrimaryKind(classification: Classification): ChangeKind {
  return classification.kind === 'shared' ? 'shared' : 'local';
}

/** A primary's element the node lacks: a mapped leaf is inserted only when the map covers it. */
function presentOnPrimaryOnlyKind(walk: Walk, classification: Classification, element: XmlElement): ChangeKind {
  if (classification.kind !== 'mapped') return classification.kind;
  const mappable = childElements(element).length === 0 && mapStoragePath(directText(element), walk.rules.storagePathMap) !== undefined;
  return mappable ? 'shared' : 'local';
}

/** Records a difference; one no rule covers is `unclassified` (and, being kept like a local one, has no edit). */
function record(
  walk: Walk, path: string, subject: ChangeSubject, classification: Classification, kind: ChangeKind,
  primary: string | null, node: string | null, desired: string | null,
): void {
  const shown: DifferenceKind = classification.rule === null ? 'unclassified' : kind;
  walk.differences.push({ path, kind: shown, subject, rule: classification.rule, primary, node, desired: shown === 'shared' ? desired : null });
}

/**
 * `xmlns` and `xmlns:*` (e.g. the `xmlns:xsi` and `xmlns:xsd` .NET's XmlSerializer writes on the
 * root) declare prefixes; they hold no setting, so they are never a difference.
 */
export function isNamespaceDeclaration(attributeName: string): boolean {
  return attributeName === 'xmlns' || attributeName.startsWith('xmlns:');
}

function displayValue(name: string, value: string | null): string | null {
  return value !== null && secretNameRe.test(name) ? redacted : value;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}

function isBlankRange(source: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}

/** True when an element's own text and CDATA are only whitespace (decoding only when in doubt). */
function isBlankContent(source: string, element: XmlElement): boolean {
  for (const child of element.children) {
    if (child.type !== 'text' && child.type !== 'cdata') continue;
    if (!isBlankRange(source, child.start, child.end) && !isBlank(child.value)) return false;
  }
  return true;
}

// ---- rendering pieces of the primary ---------------------------------------------------------

function innerSource(doc: XmlDocument, element: XmlElement): string {
  return element.selfClosing ? '' : doc.source.slice(element.startTagEnd, element.endTagStart);
}

/** The whitespace before the first child element and after the last one, for an empty target parent. */
function primaryLayout(doc: XmlDocument, parent: XmlElement): { childSeparator: string; closingSeparator: string } {
  const first = parent.children.findIndex((c) => c.type === 'element');
  const before = parent.children[first - 1];
  const last = parent.children[parent.children.length - 1];
  const blankText = (c: typeof before): string => (c !== undefined && c.type === 'text' && isBlank(c.value) ? doc.source.slice(c.start, c.end) : '');
  return { childSeparator: blankText(before), closingSeparator: last?.type === 'text' ? blankText(last) : '' };
}

/**
 * The source of an element with edits: `display` redacts secret values; `insert` leaves out
 * whatever is local (a node-local value is never copied, even into an element the node lacks)
 * and rewrites mapped values through the storage path map.
 */
function renderElement(walk: Walk, doc: XmlDocument, element: XmlElement, rulePath: RulePath, mode: 'display' | 'insert'): string {
  const patches: Patch[] = [];
  collectRenderPatches(walk, doc, element, rulePath, mode, patches);
  return applyPatches(doc.source, patches, element.start, element.end);
}

function collectRenderPatches(
  walk: Walk, doc: XmlDocument, element: XmlElement, rulePath: RulePath, mode: 'display' | 'insert', patches: Patch[],
): void {
  for (const attribute of element.attributes) {
    if (mode === 'display') {
      if (secretNameRe.test(attribute.name)) patches.push({ start: attribute.valueStart, end: attribute.valueEnd, text: redacted });
      continue;
    }
    const classification = rulePath.attribute(attribute.name);
    if (classification.kind === 'shared') continue;
    const mapped = classification.kind === 'mapped' ? mapStoragePath(attribute.value, walk.rules.storagePathMap) : undefined;
    patches.push(mapped === undefined
      ? { start: attribute.spaceStart, end: attribute.end, text: '' }
      : { start: attribute.valueStart, end: attribute.valueEnd, text: escapeAttribute(mapped, attribute.quote) });
  }
  const children = childElements(element);
  if (children.length === 0) {
    const inner = { start: element.startTagEnd, end: element.endTagStart };
    if (mode === 'display' && secretNameRe.test(element.name) && !element.selfClosing) patches.push({ ...inner, text: redacted });
    if (mode === 'insert' && rulePath.element.kind === 'mapped' && !element.selfClosing) {
      const mapped = mapStoragePath(directText(element), walk.rules.storagePathMap);
      if (mapped !== undefined) patches.push({ ...inner, text: escapeText(mapped) });
    }
    return;
  }
  for (const child of children) {
    const childPath = rulePath.child(child.name);
    if (mode === 'insert' && presentOnPrimaryOnlyKind(walk, childPath.element, child) === 'local') {
      patches.push({ start: leadingBlankStart(doc, element, child), end: child.end, text: '' });
      continue;
    }
    collectRenderPatches(walk, doc, child, childPath, mode, patches);
  }
}

/** Where the blank text before a child starts (or the child itself), so removing it leaves tidy lines. */
export function leadingBlankStart(doc: XmlDocument, parent: XmlElement, child: XmlElement): number {
  const index = parent.children.indexOf(child);
  const before = parent.children[index - 1];
  return before !== undefined && before.type === 'text' && isBlankRange(doc.source, before.start, before.end) ? before.start : child.start;
}

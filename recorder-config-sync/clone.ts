// Clone-for-peer: the target's own file with every shared difference from the primary taken
// over, and nothing else touched. Pure: strings in, a string out.
import { compileRules, defaultCloneRules, type CloneRules } from './clone-rules.js';
import { compareDocuments, leadingBlankStart, parseLabelled, type Change, type Edit } from './diff.js';
import { RecorderConfigError } from './errors.js';
import type { RecorderConfig } from './validate.js';
import { applyPatches, escapeAttribute, escapeText, type Patch, type XmlDocument, type XmlElement } from './xml-document.js';

export interface CloneResult {
  /** The target's text with the shared values of the primary; byte-identical where nothing changed. */
  readonly xml: string;
  /**
   * Every difference between the target and the primary, `before` the target's value and
   * `after` the primary's: `shared` ones were applied, `local` ones were kept.
   */
  readonly changes: readonly Change[];
}

/**
 * Makes the target's RecorderConfig.xml a clone of the primary's: shared values are copied
 * (storage paths through the map), node-local and unknown ones are kept. Before the result is
 * written, {@link verifyClone} checks it (the CLI does so through `applyRecorderConfig`'s
 * `check`): the pure clone stays fast, and the check happens where it protects the disk.
 *
 * @throws RecorderConfigError when either input is not a valid RecorderConfig.xml.
 * @example
 *   const { xml, changes } = clone(primaryXml, secondaryXml);
 *   changes.filter((c) => c.kind === 'shared')   // what was copied
 *   diff(primaryXml, xml).every((c) => c.kind === 'local')   // true
 */
export function clone(primaryXml: string | Uint8Array, targetXml: string | Uint8Array, rules: CloneRules = defaultCloneRules): CloneResult {
  return cloneDocuments(parseLabelled(primaryXml, 'primary'), parseLabelled(targetXml, 'target'), rules);
}

/**
 * {@link clone} on documents already parsed and validated.
 *
 * @example
 *   const { xml } = cloneDocuments(parseRecorderConfig(primaryBytes), parseRecorderConfig(targetBytes));
 */
export function cloneDocuments(primary: RecorderConfig, target: RecorderConfig, rules: CloneRules = defaultCloneRules): CloneResult {
  const compiled = compileRules(rules);
  const { differences, edits } = compareDocuments(primary.doc, target.doc, compiled);
  const eol = target.doc.source.includes('\r\n') ? '\r\n' : '\n';
  const patches = edits.flatMap((edit) => editToPatches(target.doc, edit, eol));
  const xml = patches.length === 0 ? target.doc.source : applyPatches(target.doc.source, patches);
  return {
    xml,
    changes: differences.map((d) => ({
      path: d.path, kind: d.kind, subject: d.subject, before: d.node, after: d.kind === 'shared' ? d.desired : d.primary, rule: d.rule,
    })),
  };
}

/**
 * Checks a clone before it is written: it is a valid RecorderConfig.xml with the primary's
 * recorder/id, and it differs from the primary only in local values.
 *
 * @throws RecorderConfigError `invalid`, naming the shared paths that still differ.
 * @example
 *   const primary = parseRecorderConfig(primaryBytes);
 *   await applyRecorderConfig({ path, xml, expectedSha256, check: (config) => verifyClone(primary, config) });
 */
export function verifyClone(primary: RecorderConfig, candidate: RecorderConfig, rules: CloneRules = defaultCloneRules): void {
  if (candidate.info.recorderId !== primary.info.recorderId) {
    throw new RecorderConfigError('invalid', `recorder/id ${candidate.info.recorderId} is not the primary's ${primary.info.recorderId}: not a clone`);
  }
  const left = compareDocuments(primary.doc, candidate.doc, compileRules(rules)).differences.filter((d) => d.kind === 'shared');
  if (left.length > 0) {
    throw new RecorderConfigError('invalid', `not a clone of the primary: shared values differ at ${left.slice(0, 5).map((d) => d.path).join(', ')}${left.length > 5 ? ` and ${left.length - 5} more` : ''}`);
  }
}

function editToPatches(doc: XmlDocument, edit: Edit, eol: string): Patch[] {
  switch (edit.op) {
    case 'set-attribute':
      return [{ start: edit.attribute.valueStart, end: edit.attribute.valueEnd, text: escapeAttribute(edit.value, edit.attribute.quote) }];
    case 'add-attribute': {
      const quote = edit.element.attributes[edit.element.attributes.length - 1]?.quote ?? '"';
      const at = edit.element.attributesEnd;
      return [{ start: at, end: at, text: ` ${edit.name}=${quote}${escapeAttribute(edit.value, quote)}${quote}` }];
    }
    case 'remove-attribute':
      return [{ start: edit.attribute.spaceStart, end: edit.attribute.end, text: '' }];
    case 'set-text':
      return [replaceContent(edit.element, escapeText(edit.value))];
    case 'replace-content':
      return [replaceContent(edit.element, withEol(edit.content, eol))];
    case 'remove-element':
      return [{ start: leadingBlankStart(doc, edit.parent, edit.element), end: edit.element.end, text: '' }];
    case 'insert-elements':
      return [insertElements(doc, edit, eol)];
  }
}

/** Replaces what is inside an element; a self-closing `<x />` becomes `<x>…</x>`. */
function replaceContent(element: XmlElement, content: string): Patch {
  return element.selfClosing
    ? { start: element.attributesEnd, end: element.end, text: `>${content}</${element.name}>` }
    : { start: element.startTagEnd, end: element.endTagStart, text: content };
}

function insertElements(doc: XmlDocument, edit: Extract<Edit, { op: 'insert-elements' }>, eol: string): Patch {
  const fragments = edit.fragments.map((f) => withEol(f, eol));
  const { parent, anchor } = edit;
  const firstChild = parent.children.find((c): c is XmlElement => c.type === 'element');
  if (anchor !== null) {
    const separator = separatorBefore(doc, parent, anchor);
    return { start: anchor.end, end: anchor.end, text: fragments.map((f) => separator + f).join('') };
  }
  if (firstChild !== undefined) {
    const separator = separatorBefore(doc, parent, firstChild);
    return { start: parent.startTagEnd, end: parent.startTagEnd, text: fragments.map((f) => separator + f).join('') };
  }
  // The target's element has no children yet: lay them out the way the primary does.
  const body = fragments.map((f) => withEol(edit.childSeparator, eol) + f).join('') + withEol(edit.closingSeparator, eol);
  if (parent.selfClosing || /^[ \t\r\n]*$/.test(doc.source.slice(parent.startTagEnd, parent.endTagStart))) return replaceContent(parent, body);
  return { start: parent.endTagStart, end: parent.endTagStart, text: body };
}

/** The blank text right before a child, used as the separator between siblings. */
function separatorBefore(doc: XmlDocument, parent: XmlElement, child: XmlElement): string {
  return doc.source.slice(leadingBlankStart(doc, parent, child), child.start);
}

/** Writes a fragment copied from the primary with the target's line endings. */
function withEol(text: string, eol: string): string {
  return /[\r\n]/.test(text) ? text.replace(/\r\n|\r|\n/g, eol) : text;
}

// The full-schema fixture: every element and attribute of the real `<recorderconfig>` document,
// with CRLF line ends and a UTF-8 byte order mark, as XProtect's .NET writes it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from './fixtures/support.js';
import { clone } from './clone.js';
import { compileRules, defaultCloneRules, withOverrides, type RulePath } from './clone-rules.js';
import { diff } from './diff.js';
import { parseRecorderConfig } from './validate.js';
import { applyPatches, childElements, directText, encodeXml, escapeAttribute, escapeText, parseXml, serializeXml, type Patch, type XmlElement } from './xml-document.js';

const name = '13-full-schema-crlf-bom.xml';
const bytes = fixture(name);
const text = bytes.toString('utf8');
const peerId = '0badc0de-0000-4000-8000-0000000000b2';

interface Value {
  readonly path: string;
  readonly kind: string;
  readonly patch: (value: string) => Patch;
  readonly value: string;
}

/** Every leaf text and attribute value (namespace declarations aside), with its classification. */
function valuesOf(source: string): Value[] {
  const doc = parseXml(source);
  const out: Value[] = [];
  const visit = (element: XmlElement, path: string, rulePath: RulePath): void => {
    for (const a of element.attributes) {
      if (a.name.startsWith('xmlns')) continue;
      out.push({ path: `${path}@${a.name}`, kind: rulePath.attribute(a.name).kind, value: a.value, patch: (v) => ({ start: a.valueStart, end: a.valueEnd, text: escapeAttribute(v, a.quote) }) });
    }
    const children = childElements(element);
    if (children.length === 0 && !element.selfClosing) {
      out.push({ path, kind: rulePath.element.kind, value: directText(element), patch: (v) => ({ start: element.startTagEnd, end: element.endTagStart, text: escapeText(v) }) });
    }
    for (const child of children) visit(child, path === '' ? child.name : `${path}/${child.name}`, rulePath.child(child.name));
  };
  visit(doc.root, '', compileRules(defaultCloneRules).root());
  return out;
}

/** The peer: the same file with every value different (recorder/id another GUID). */
function peerOf(source: string): string {
  return applyPatches(source, valuesOf(source).map((v) => v.patch(v.path === 'recorder/id' ? peerId : `peer ${v.value}`)));
}

describe('full-schema fixture', () => {
  test('has a UTF-8 BOM and CRLF line ends only, and round-trips byte for byte (parse, serialize, encode, clone onto itself)', () => {
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.ok(text.includes('\r\n'));
    assert.doesNotMatch(text.replace(/\r\n/g, ''), /[\r\n]/);
    assert.ok(encodeXml(serializeXml(parseXml(bytes))).equals(bytes));
    assert.ok(encodeXml(clone(bytes, bytes).xml).equals(bytes));
  });

  test('clone-for-peer changes exactly what the rules say: shared values become the primary\'s, every other byte stays the peer\'s', () => {
    const peer = peerOf(text);
    const values = valuesOf(peer);
    const primaryValues = new Map(valuesOf(text).map((v) => [v.path, v.value]));
    assert.ok(values.length > 120, `${values.length} values`);
    const shared = values.filter((v) => v.kind === 'shared');
    const kept = values.filter((v) => v.kind !== 'shared');
    assert.ok(shared.length > 90 && kept.length > 20, `${shared.length} shared, ${kept.length} kept`);
    const expected = applyPatches(peer, shared.map((v) => v.patch(primaryValues.get(v.path) ?? assert.fail(v.path))));

    const { xml, changes } = clone(bytes, encodeXml(peer));
    assert.equal(xml, expected);
    assert.ok(xml.startsWith('\uFEFF') && !/[^\r]\n/.test(xml), 'BOM and CRLF kept');
    assert.deepEqual(changes.filter((c) => c.kind === 'shared').map((c) => c.path).sort(), shared.map((v) => v.path).sort());
    assert.deepEqual(changes.filter((c) => c.kind !== 'shared').map((c) => [c.path, c.kind]).sort(), kept.map((v) => [v.path, 'local']).sort());
    // What is left between the primary and the clone is local, and nothing is unclassified.
    assert.deepEqual(diff(bytes, xml).filter((c) => c.kind !== 'local'), []);
    assert.equal(parseRecorderConfig(xml).info.recorderId, '7d3e9a10-2b4c-4f5e-8a6b-1c2d3e4f5a6b');
  });

  test('with a storage path map, the default storage path is the primary\'s, mapped', () => {
    const rules = withOverrides(defaultCloneRules, { storagePathMap: [{ from: 'C:\\MediaDatabase', to: 'E:\\Media' }] });
    const { xml } = clone(bytes, encodeXml(peerOf(text)), rules);
    assert.match(xml, /<database_default>\r\n {6}<name>Local default<\/name>\r\n {6}<path>E:\\Media<\/path>/);
  });

  test('namespace declarations alone are no difference, and a clone leaves the target\'s as they are', () => {
    const declarations = ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"';
    assert.ok(text.includes(declarations));
    for (const variant of [text.replace(declarations, ''), text.replace(declarations, ' xmlns:xsd="urn:other" xmlns="urn:default"')]) {
      assert.deepEqual(diff(text, variant), []);
      assert.deepEqual(diff(variant, text), []);
      assert.equal(clone(text, variant).xml, variant);
    }
  });
});

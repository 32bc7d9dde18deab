import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStringPromise } from 'xml2js';
import { corpusNames, fixture, primaryName } from './fixtures/support.js';
import { RecorderConfigError } from './errors.js';
import {
  applyPatches, childElements, directText, escapeAttribute, escapeText, findElement, maxConfigBytes, maxElementDepth,
  parseXml, serializeXml, type XmlDocument, type XmlElement,
} from './xml-document.js';

function parseError(input: string | Uint8Array): RecorderConfigError {
  try {
    parseXml(input);
  } catch (err) {
    assert.ok(err instanceof RecorderConfigError, `expected a RecorderConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the input to be refused');
}

describe('corpus round-trip', () => {
  test('the corpus has at least 10 files', () => {
    assert.ok(corpusNames().length >= 10, `only ${corpusNames().length} files`);
  });

  for (const name of corpusNames()) {
    test(`${name} re-serializes byte for byte`, () => {
      const bytes = fixture(name);
      const doc = parseXml(bytes);
      assert.ok(Buffer.from(serializeXml(doc), 'utf8').equals(bytes));
    });
  }

  test('the corpus exercises what the issue lists', () => {
    const all = corpusNames().map((n) => fixture(n));
    const some = (predicate: (b: Buffer) => boolean, what: string): void => assert.ok(all.some(predicate), `no fixture with ${what}`);
    const text = (b: Buffer): string => b.toString('utf8');
    some((b) => text(b).includes('encoding="utf-8"?>'), 'a utf-8 declaration');
    some((b) => text(b).includes('standalone="yes"'), 'a standalone declaration');
    some((b) => text(b).startsWith("<?xml version='1.0'"), 'a single-quoted declaration');
    some((b) => !text(b).replace(/^\uFEFF/, '').startsWith('<?xml'), 'no declaration');
    some((b) => b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf, 'a UTF-8 byte order mark');
    some((b) => text(b).includes('<!--'), 'comments');
    some((b) => text(b).includes('<![CDATA['), 'CDATA');
    some((b) => /<\?[a-wyz]/.test(text(b)), 'a processing instruction');
    some((b) => text(b).includes(' />'), 'self-closing with a space');
    some((b) => text(b).includes('\r\n'), 'Windows line endings');
    some((b) => text(b).includes('\r\n') && /[^\r]\n/.test(text(b)), 'mixed line endings');
    some((b) => text(b).includes('\t'), 'tabs');
    some((b) => !text(b).endsWith('\n'), 'no final newline');
    some((b) => text(b).includes('&#x41;'), 'character references');
    some((b) => text(b).includes('<host>10.1.0.10</host>\n      <allow>'), 'interleaved siblings');
    some((b) => text(b).includes('xmlns:'), 'namespaces');
    some((b) => text(b).includes('<VendorPlugin_ACME'), 'unknown elements');
  });

  test('every byte of a document belongs to exactly one node (spans tile the source)', () => {
    for (const name of corpusNames()) {
      const doc = parseXml(fixture(name));
      let at = doc.hasBom ? 1 : 0;
      const visit = (node: XmlDocument['nodes'][number]): void => {
        assert.equal(node.start, at, `${name}: gap or overlap at ${at}`);
        if (node.type === 'element' && !node.selfClosing) {
          at = node.startTagEnd;
          node.children.forEach(visit);
          assert.equal(node.endTagStart, at, `${name}: gap before </${node.name}>`);
        }
        at = node.end;
      };
      doc.nodes.forEach(visit);
      assert.equal(at, doc.source.length, name);
    }
  });
});

// A second, independent reader of the same files: the structure we read must be the structure
// xml2js (sax, strict) reads (names, attribute order and values, text).
describe('agrees with xml2js on the corpus', () => {
  type Simple = { name: string; attributes: [string, string][]; children: Simple[]; text: string };
  /** An element as xml2js gives it with explicitChildren and preserveChildrenOrder: `$$` holds elements and text in document order. */
  type Xml2jsNode = { '#name': string; $?: Record<string, string>; $$?: Xml2jsNode[]; _?: string };
  const fromOurs = (e: XmlElement): Simple => ({
    name: e.name,
    attributes: e.attributes.map((a) => [a.name, a.value]),
    children: childElements(e).map(fromOurs),
    text: directText(e).trim(),
  });
  const isText = (node: Xml2jsNode): boolean => node['#name'] === '__text__';
  const fromXml2js = (node: Xml2jsNode): Simple => ({
    name: node['#name'],
    attributes: Object.entries(node.$ ?? {}),
    children: (node.$$ ?? []).filter((n) => !isText(n)).map(fromXml2js),
    // Text and CDATA, in order; sax leaves CR LF as it is, where XML reads LF.
    text: (node.$$ ?? []).filter(isText).map((n) => n._ ?? '').join('').replace(/\r\n?/g, '\n').trim(),
  });
  const options = { strict: true, explicitChildren: true, preserveChildrenOrder: true, charsAsChildren: true, includeWhiteChars: true };
  for (const name of corpusNames()) {
    test(name, async () => {
      const ours = fromOurs(parseXml(fixture(name)).root);
      const document = (await parseStringPromise(fixture(name).toString('utf8'), options)) as Record<string, Xml2jsNode>;
      const roots = Object.values(document);
      assert.equal(roots.length, 1);
      assert.deepEqual(ours, fromXml2js(roots[0] as Xml2jsNode));
    });
  }
});

describe('reading values', () => {
  test('text: references decoded, CRLF normalized, CDATA kept verbatim', () => {
    const doc = parseXml('<r><a>x &amp; &lt;y&gt; &#x41;&#66; &quot;&apos;</a><b>1\r\n2\r3</b><c><![CDATA[<b> & ]]></c></r>');
    assert.equal(directText(findElement(doc.root, 'a') as XmlElement), 'x & <y> AB "\'');
    assert.equal(directText(findElement(doc.root, 'b') as XmlElement), '1\n2\n3');
    assert.equal(directText(findElement(doc.root, 'c') as XmlElement), '<b> & ');
  });

  test('attributes: whitespace normalized to spaces, references kept', () => {
    const doc = parseXml('<r a="x\ty\r\nz" b=\'&#10;&#9;&quot;\' />');
    assert.deepEqual(doc.root.attributes.map((a) => [a.name, a.value, a.quote]), [['a', 'x y z', '"'], ['b', '\n\t"', "'"]]);
  });

  test('the declaration is read, and a UTF-8 BOM is kept', () => {
    const doc = parseXml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="no"?><r/>')]));
    assert.equal(doc.hasBom, true);
    assert.deepEqual([doc.declaration?.version, doc.declaration?.encoding, doc.declaration?.standalone], ['1.0', 'UTF-8', 'no']);
    assert.equal(serializeXml(doc), '\uFEFF<?xml version="1.0" encoding="UTF-8" standalone="no"?><r/>');
  });

  test('non-ASCII names and values', () => {
    const doc = parseXml('<r><Überwachung name="Süd – Halle">ü</Überwachung></r>');
    const e = findElement(doc.root, 'Überwachung') as XmlElement;
    assert.equal(e.attributes[0]?.value, 'Süd – Halle');
    assert.equal(directText(e), 'ü');
  });
});

describe('escaping', () => {
  test('text escaping round-trips through the parser', () => {
    for (const value of ['a & b', '<x>', ']]>', 'cr\r here', 'tab\tand\nnewline', '"quotes\'']) {
      const doc = parseXml(`<r>${escapeText(value)}</r>`);
      assert.equal(directText(doc.root), value);
    }
  });

  test('attribute escaping round-trips for both quote styles', () => {
    for (const quote of ['"', "'"] as const) {
      for (const value of ['a & b', '<x>', 'tab\tnl\ncr\r', `both " and '`]) {
        const doc = parseXml(`<r a=${quote}${escapeAttribute(value, quote)}${quote}/>`);
        assert.equal(doc.root.attributes[0]?.value, value);
      }
    }
  });
});

describe('patches', () => {
  test('replace, insert and delete, the rest copied as is', () => {
    const src = '<a x="1"><b/></a>';
    assert.equal(applyPatches(src, [{ start: 6, end: 7, text: '2' }, { start: 9, end: 9, text: '<c/>' }, { start: 13, end: 13, text: '<d/>' }]), '<a x="2"><c/><b/><d/></a>');
    assert.equal(applyPatches(src, []), src);
  });

  test('insertions at one position keep their order and come before a replacement there', () => {
    assert.equal(applyPatches('abc', [{ start: 1, end: 2, text: 'X' }, { start: 1, end: 1, text: '1' }, { start: 1, end: 1, text: '2' }]), 'a12Xc');
  });

  test('overlapping patches are a bug and throw', () => {
    assert.throws(() => applyPatches('abcdef', [{ start: 1, end: 4, text: '' }, { start: 3, end: 5, text: '' }]), /overlaps/);
  });
});

describe('refusing bad XML', () => {
  const cases: [string, string, RecorderConfigError['code'], RegExp][] = [
    ['empty', '', 'empty', /file is empty \(0 bytes\)/],
    ['whitespace only', ' \r\n\t ', 'empty', /only whitespace/],
    ['BOM only', '\uFEFF', 'empty', /empty/],
    ['declaration only', '<?xml version="1.0"?>\n', 'truncated', /no root element/],
    ['unclosed element', '<r><a>1</a>', 'truncated', /ends inside <r>/],
    ['cut in a start tag', '<r><a x="1', 'truncated', /attribute 'x' .* not closed/],
    ['cut in a comment', '<r><!-- c', 'truncated', /comment is not closed/],
    ['mismatched end tag', '<r><a></b></r>', 'malformed', /line 1, column 7: end tag <\/b> does not match <a>/],
    ['two roots', '<r/><s/>', 'malformed', /second root element/],
    ['text outside the root', '<r/>x', 'malformed', /text after the root/],
    ['text before the root', 'x<r/>', 'malformed', /text before the root/],
    ['duplicate attribute', '<r a="1" a="2"/>', 'malformed', /appears twice/],
    ['unquoted attribute', '<r a=1/>', 'malformed', /must be quoted/],
    ['attribute without value', '<r a/>', 'malformed', /has no value/],
    ['missing space between attributes', '<r a="1"b="2"/>', 'malformed', /expected whitespace/],
    ['< in an attribute', '<r a="<"/>', 'malformed', /'<' is not allowed/],
    ['bare ampersand', '<r>R&D</r>', 'malformed', /'&' must start a reference/],
    [']]> in text', '<r>a]]>b</r>', 'malformed', /']]>' is not allowed/],
    ['-- in a comment', '<r><!-- a -- b --></r>', 'malformed', /'--' is not allowed/],
    ['declaration not at the start', ' <?xml version="1.0"?><r/>', 'malformed', /only allowed at the very start/],
    ['bad declaration', '<?xml encoding="utf-8"?><r/>', 'malformed', /declaration is malformed/],
    ['control character', '<r>\u0001</r>', 'malformed', /U\+0001 is not allowed/],
    ['invalid character reference', '<r>&#0;</r>', 'malformed', /not a valid character reference/],
    ['CDATA outside the root', '<![CDATA[x]]><r/>', 'malformed', /CDATA outside/],
    ['end tag without start', '</r>', 'malformed', /without a start tag/],
    ['other markup declaration', '<r><!ELEMENT r ANY></r>', 'malformed', /unexpected '<!'/],
    ['undefined entity', '<r>&nbsp;</r>', 'entity', /undefined entity &nbsp;/],
    ['DOCTYPE', '<!DOCTYPE r><r/>', 'doctype', /DOCTYPE declaration is not allowed/],
    ['ENTITY outside a DOCTYPE', '<!ENTITY x "y"><r/>', 'entity', /ENTITY declaration is not allowed/],
    ['declared non-UTF-8 encoding', '<?xml version="1.0" encoding="windows-1252"?><r/>', 'encoding', /encoding="windows-1252"/],
  ];
  for (const [what, input, code, message] of cases) {
    test(what, () => {
      const err = parseError(input);
      assert.equal(err.code, code, err.message);
      assert.match(err.message, message);
    });
  }

  test('nesting deeper than the bound', () => {
    const deep = `${'<a>'.repeat(maxElementDepth + 1)}${'</a>'.repeat(maxElementDepth + 1)}`;
    assert.equal(parseError(deep).code, 'limit');
    const ok = `${'<a>'.repeat(maxElementDepth)}${'</a>'.repeat(maxElementDepth)}`;
    assert.equal(parseXml(ok).root.name, 'a');
  });

  test('UTF-16 and UTF-32, with or without a byte order mark', () => {
    const text = '<recorderconfig/>';
    const le = Buffer.from(text, 'utf16le');
    const cases: [Buffer, RegExp][] = [
      [Buffer.concat([Buffer.from([0xff, 0xfe]), le]), /UTF-16 \(little-endian byte order mark FF FE\)/],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]), /UTF-16 \(big-endian byte order mark FE FF\)/],
      [le, /UTF-16 without a byte order mark/],
      [Buffer.from(le).swap16(), /UTF-16 without a byte order mark/],
      [Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x3c, 0x00, 0x00, 0x00]), /UTF-32 \(little-endian/],
      [Buffer.from([0x00, 0x00, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x3c]), /UTF-32 \(big-endian/],
    ];
    for (const [bytes, message] of cases) {
      const err = parseError(bytes);
      assert.equal(err.code, 'encoding');
      assert.match(err.message, message);
      assert.match(err.message, /only UTF-8 is supported \(save RecorderConfig\.xml as UTF-8/);
    }
  });

  test('input over the size cap, as text or bytes', () => {
    assert.equal(parseError('<r/>'.padEnd(maxConfigBytes + 1, ' ')).code, 'too-large');
    assert.equal(parseError(Buffer.alloc(maxConfigBytes + 1, 0x20)).code, 'too-large');
    assert.throws(() => parseXml('<r>é</r>', { maxBytes: 8 }), /too large/); // 9 bytes in UTF-8
    assert.equal(parseXml('<r>é</r>', { maxBytes: 9 }).root.name, 'r');
  });

  test('invalid UTF-8 bytes', () => {
    assert.equal(parseError(Buffer.from([0x3c, 0x72, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x72, 0x3e])).code, 'encoding');
  });

  test('a fixture cut anywhere before its root closes is refused as truncated or malformed, never read', () => {
    const bytes = fixture(primaryName).toString('utf8');
    const rootEnd = bytes.lastIndexOf('</recorderconfig>');
    let refused = 0;
    for (let cut = 0; cut < rootEnd + '</recorderconfig>'.length; cut += 7) {
      const err = parseError(bytes.slice(0, cut));
      assert.ok(['truncated', 'empty', 'malformed'].includes(err.code), `cut at ${cut}: ${err.code} ${err.message}`);
      refused++;
    }
    assert.ok(refused > 500);
  });
});

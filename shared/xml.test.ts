import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readXml, XmlSyntaxError } from './xml.js';

describe('readXml', () => {
  it('gives elements as strings, objects and arrays, without attributes, comments or the declaration', () => {
    const xml = '<?xml version="1.0"?><!-- c --><r a="1"><id>007</id><x/><y> </y><n>1</n><n><m>2</m></n><t><![CDATA[<b> &]]> &amp; &#65;</t></r>';
    assert.deepEqual(readXml(xml), { r: { id: '007', x: '', y: '', n: ['1', { m: '2' }], t: '<b> & & A' } });
  });

  it('strips namespace prefixes when asked', () => {
    const xml = '<s:Envelope xmlns:s="urn:s"><s:Body><R xmlns="urn:r"><tns:A xmlns:tns="urn:r">1</tns:A></R></s:Body></s:Envelope>';
    assert.deepEqual(readXml(xml, { stripPrefixes: true }), { Envelope: { Body: { R: { A: '1' } } } });
    assert.deepEqual(Object.keys(readXml(xml)), ['s:Envelope']);
  });

  it('reads no element as {}', () => {
    for (const xml of ['', ' \r\n', '<?xml version="1.0"?>', '<!-- only a comment -->']) assert.deepEqual(readXml(xml), {});
  });

  it('refuses what is not one well-formed document, with the position', () => {
    const cases: Array<[string, RegExp]> = [
      ['<r><a>1</a>', /Unclosed root tag at line 1, column 11/],
      ['<r>\n<a></b></r>', /Unexpected close tag at line 2, column 7/],
      ['<r/>x', /Text data outside of root node/],
      ['<r/><s/>', /second root element/],
      ['<r>R&D</r>', /entity/],
      ['<r a=1/>', /Unquoted attribute value/],
    ];
    for (const [xml, message] of cases) assert.throws(() => readXml(xml), (err: unknown) => err instanceof XmlSyntaxError && message.test(err.message), xml);
  });

  it('never expands or fetches an entity a DOCTYPE declares', () => {
    for (const xml of ['<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>', '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>']) {
      assert.throws(() => readXml(xml), /Invalid character entity/);
    }
    assert.deepEqual(readXml('<!DOCTYPE r><r>1</r>'), { r: '1' });
  });

  it('keeps element names like __proto__ on the result, off Object.prototype', () => {
    const result = readXml('<r><__proto__><polluted>1</polluted></__proto__></r>');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.ok(Object.hasOwn(result.r as object, '__proto__'));
  });
});

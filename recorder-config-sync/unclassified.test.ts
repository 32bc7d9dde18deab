import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from './fixtures/support.js';
import { defaultCloneRules, withOverrides } from './clone-rules.js';
import { diff } from './diff.js';
import { unclassifiedPaths, unclassifiedPathsOf } from './unclassified.js';
import { parseRecorderConfig } from './validate.js';

const full = fixture('13-full-schema-crlf-bom.xml').toString('utf8');
const parse = (xml: string) => parseRecorderConfig(xml);
/** The full-schema file with `extra` inserted before `</recorder>`. */
const withInRecorder = (extra: string): string => full.replace('  </recorder>', `    ${extra}\r\n  </recorder>`);

describe('unclassified paths', () => {
  test('the full-schema file has none', () => {
    assert.deepEqual(unclassifiedPathsOf(parse(full)), { paths: [], omitted: 0 });
  });

  test('an element added to the full-schema file is unclassified, in the report and as a difference', () => {
    const node = withInRecorder('<newSetting>on</newSetting>');
    assert.deepEqual(unclassifiedPaths(parse(full), parse(node)), { paths: [{ path: 'recorder/newSetting', in: 'node' }], omitted: 0 });
    assert.deepEqual(diff(full, node).map((c) => [c.path, c.kind, c.rule]), [['recorder/newSetting', 'unclassified', null]]);
  });

  test('where: both, primary only, node only; the outermost element of a subtree only, each path once', () => {
    const primary = withInRecorder('<a><b>1</b><c x="1"/></a><a/>').replace('</recorderconfig>', '  <VendorX>1</VendorX>\r\n</recorderconfig>');
    const node = withInRecorder('<a/>').replace('<Multicast SessionLingerSeconds="30" />', '<Multicast SessionLingerSeconds="30" Ttl="8" />');
    assert.deepEqual(unclassifiedPaths(parse(primary), parse(node)).paths, [
      { path: 'recorder/a', in: 'both' },
      { path: 'VendorX', in: 'primary' },
      { path: 'Multicast@Ttl', in: 'node' },
    ]);
  });

  test('namespace declarations are never unclassified; other root attributes are', () => {
    const declared = full.replace('<recorderconfig ', '<recorderconfig xmlns="urn:x" xmlns:ext="urn:ext" schemaRevision="7" ');
    assert.deepEqual(unclassifiedPathsOf(parse(declared)).paths, ['@schemaRevision']);
  });

  test('a rules file classifies them; a subtree rule covers what is inside', () => {
    const node = withInRecorder('<newSetting><deep>1</deep></newSetting>');
    const rules = withOverrides(defaultCloneRules, { rules: [{ path: 'recorder/newSetting', kind: 'shared' }] });
    assert.deepEqual(unclassifiedPathsOf(parse(node), rules).paths, []);
    const elementOnly = withOverrides(defaultCloneRules, { rules: [{ path: 'recorder/newSetting', kind: 'shared', scope: 'element' }] });
    assert.deepEqual(unclassifiedPathsOf(parse(node), elementOnly).paths, ['recorder/newSetting/deep']);
  });

  test('bounded: at most maxPaths, the rest counted', () => {
    const many = Array.from({ length: 30 }, (_, i) => `<extra${i}/>`).join('');
    const config = parse(withInRecorder(many));
    const report = unclassifiedPathsOf(config, defaultCloneRules, 10);
    assert.deepEqual([report.paths.length, report.omitted], [10, 20]);
    assert.equal(report.paths[0], 'recorder/extra0');
    const both = unclassifiedPaths(config, parse(full), defaultCloneRules, 10);
    assert.deepEqual([both.paths.length, both.omitted], [10, 20]);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixture } from './fixtures/support.js';
import { parseRecorderConfig } from './validate.js';
import { unclassifiedPathsOf } from './unclassified.js';
import { childElements, type XmlElement } from './xml-document.js';
import {
  compileRules, defaultCloneRules, mapStoragePath, parseRulesFile, unknownKind, withOverrides, type CloneRules,
} from './clone-rules.js';
import { RecorderConfigError } from './errors.js';

const rules = compileRules(defaultCloneRules);
const kindOf = (path: string): string => {
  const [element = '', attribute] = path.split('@');
  return rules.classify(element === '' ? [] : element.split('/'), attribute ?? null).kind;
};

describe('built-in rules', () => {
  test('the paths the issue names as shared are shared', () => {
    for (const path of ['recorder/id', 'recorder/ClientRegistrationId', 'server/address', 'server/webapiport', 'server/authorizationserveraddress',
      'pipeline/maxframesinqueue', 'database/database_server/thread_pools/delete_thread_pool_size', 'database/Failover/MaxSizeMb']) {
      assert.equal(kindOf(path), 'shared', path);
    }
  });

  test('the paths the issue names as node-local are local (or mapped, for the default database path)', () => {
    for (const path of ['webserver/host', 'webapi/publicUri', 'recorder/serverEncryption@certificateHash', 'webserver/encryption@certificateHash']) {
      assert.equal(kindOf(path), 'local', path);
    }
    assert.equal(kindOf('database/database_default/path'), 'mapped');
  });

  test('the built-in rules name each element and attribute; only the two typed "any content" cover what is inside', () => {
    assert.equal(kindOf('recorder/serverEncryption@enabled'), 'shared');
    assert.equal(kindOf('webserver/encryption@enabled'), 'shared');
    assert.equal(kindOf('database/database_server/socket_communication/authentication/basic/passphrase'), 'local');
    assert.deepEqual(rules.classify(['server', 'some', 'future', 'child'], null), { kind: 'local', rule: null });
    assert.deepEqual(rules.classify(['database', 'database_server', 'banks', 'bank', 'path'], null), { kind: 'local', rule: 'database/database_server/banks' });
    assert.deepEqual(rules.classify(['driverservices', 'hosts', 'host'], 'address'), { kind: 'shared', rule: 'driverservices/hosts/host' });
  });

  test('anything no rule covers is unclassified (rule null), and kept like a local value', () => {
    assert.equal(unknownKind, 'local');
    for (const path of ['SiteNotes', 'recorder/futureIdentityOption', 'webserver/http2', 'webserver/http2@enabled', 'server/futureServerOption', 'EdgeStorage@Future', '@schemaRevision']) {
      const [element = '', attribute] = path.split('@');
      assert.deepEqual(rules.classify(element === '' ? [] : element.split('/'), attribute ?? null), { kind: 'local', rule: null }, path);
    }
  });

  test('the issue\'s examples of unnamed elements are classified now', () => {
    for (const path of ['recorder/garbagecollectinterval', 'webapi/timeoutfraction', 'database/database_client/address', 'database/database_server/logging/path',
      'database/database_server/table_split/max_minutes', 'database/encryption/light/bytes', 'database/event_channel/max_queue_size',
      'database/Caching/DiskUsageInformationBank@TimeoutSeconds', 'recorder/memoryloginterval', 'recorder/unmanagedmemorypressure']) {
      const [element = '', attribute] = path.split('@');
      assert.notEqual(rules.classify(element.split('/'), attribute ?? null).rule, null, path);
    }
  });

  test('the full-schema fixture and the built-in rules match exactly: nothing unclassified, and every rule names something in it', () => {
    const config = parseRecorderConfig(fixture('13-full-schema-crlf-bom.xml'));
    assert.deepEqual(unclassifiedPathsOf(config), { paths: [], omitted: 0 });
    const present = new Set<string>();
    const visit = (element: XmlElement, path: string): void => {
      for (const attribute of element.attributes) if (!attribute.name.startsWith('xmlns')) present.add(`${path}@${attribute.name}`);
      for (const child of childElements(element)) {
        const childPath = path === '' ? child.name : `${path}/${child.name}`;
        present.add(childPath);
        visit(child, childPath);
      }
    };
    visit(config.doc.root, '');
    assert.deepEqual(defaultCloneRules.rules.map((r) => r.path).filter((path) => !present.has(path)), []);
    assert.equal(new Set(defaultCloneRules.rules.map((r) => r.path)).size, defaultCloneRules.rules.length, 'one rule per path');
  });

  test('isSubtreeShared sees local and mapped exceptions, and unnamed children, inside a shared element', () => {
    assert.equal(rules.isSubtreeShared(['pipeline']), false, 'a child the rules do not name would be unclassified');
    assert.equal(rules.isSubtreeShared(['driverservices', 'hosts', 'host']), true);
    assert.equal(rules.isSubtreeShared(['database', 'database_server', 'banks']), false);
    const wholePipeline = compileRules(withOverrides(defaultCloneRules, { rules: [{ path: 'pipeline', kind: 'shared' }] }));
    assert.equal(wholePipeline.isSubtreeShared(['pipeline']), true);
    assert.equal(rules.isSubtreeShared(['webserver', 'encryption']), false);
    assert.equal(rules.isSubtreeShared(['recorder']), false);
    const custom = compileRules({ rules: [{ path: 'a', kind: 'shared' }, { path: 'a/*/c', kind: 'mapped' }], storagePathMap: [] });
    assert.equal(custom.isSubtreeShared(['a']), false);
    assert.equal(custom.isSubtreeShared(['a', 'x']), false);
    assert.equal(custom.isSubtreeShared(['a', 'x', 'd']), true);
  });

  test('README.md lists exactly the built-in rules, with their scope and reason', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| `([^`]+)` \| (shared|local|mapped) \| (element|subtree|attribute) \| (.+) \|$/gm)].map((m) => [m[1], m[2], m[3], m[4]]);
    assert.deepEqual(rows, defaultCloneRules.rules.map((r) => [r.path, r.kind, r.path.includes('@') ? 'attribute' : r.scope ?? 'subtree', r.note]));
  });
});

describe('matching', () => {
  const custom: CloneRules = {
    rules: [
      { path: 'a', kind: 'shared' },
      { path: 'a/*', kind: 'local' },
      { path: 'a/b', kind: 'shared' },
      { path: 'a/b@*', kind: 'local' },
      { path: 'a/b@keep', kind: 'shared' },
      { path: '@version', kind: 'shared' },
    ],
    storagePathMap: [],
  };
  const c = compileRules(custom);
  test('more segments, then attribute rules, then fewer wildcards, then later rules win', () => {
    assert.deepEqual(c.classify(['a'], null), { kind: 'shared', rule: 'a' });
    assert.deepEqual(c.classify(['a', 'x'], null), { kind: 'local', rule: 'a/*' });
    assert.deepEqual(c.classify(['a', 'b'], null), { kind: 'shared', rule: 'a/b' });
    assert.deepEqual(c.classify(['a', 'b'], 'other'), { kind: 'local', rule: 'a/b@*' });
    assert.deepEqual(c.classify(['a', 'b'], 'keep'), { kind: 'shared', rule: 'a/b@keep' });
    assert.deepEqual(c.classify(['a', 'b', 'c'], 'x'), { kind: 'shared', rule: 'a/b' });
    assert.deepEqual(c.classify([], 'version'), { kind: 'shared', rule: '@version' });
    const scoped = compileRules({ rules: [{ path: 'a', kind: 'shared', scope: 'element' }, { path: 'a/b', kind: 'local', scope: 'element' }], storagePathMap: [] });
    assert.deepEqual(scoped.classify(['a'], null), { kind: 'shared', rule: 'a' });
    assert.deepEqual(scoped.classify(['a', 'b'], null), { kind: 'local', rule: 'a/b' });
    assert.deepEqual(scoped.classify(['a', 'c'], null), { kind: 'local', rule: null }, 'an element rule covers no child');
    assert.deepEqual(scoped.classify(['a'], 'x'), { kind: 'local', rule: null }, 'nor an attribute');
    assert.deepEqual(scoped.classify(['a', 'b', 'c'], null), { kind: 'local', rule: null });
    const later = compileRules({ rules: [{ path: 'x', kind: 'shared' }, { path: 'x', kind: 'local' }], storagePathMap: [] });
    assert.equal(later.classify(['x'], null).kind, 'local');
  });

  test('rule paths are checked', () => {
    assert.throws(() => compileRules({ rules: [{ path: 'a//b', kind: 'shared' }], storagePathMap: [] }), /invalid rule path/);
  });
});

describe('storage path map', () => {
  const map = [{ from: 'D:\\MediaDatabase', to: 'E:\\Media' }, { from: 'D:\\', to: 'F:\\' }, { from: 'D:\\MediaDatabase\\Archive', to: 'G:\\Archive\\' }];
  test('longest whole-segment prefix wins, case-insensitive, either separator', () => {
    assert.equal(mapStoragePath('D:\\MediaDatabase', map), 'E:\\Media');
    assert.equal(mapStoragePath('d:\\mediadatabase\\Cam 1', map), 'E:\\Media\\Cam 1');
    assert.equal(mapStoragePath('D:/MediaDatabase/x', map), 'E:\\Media/x');
    assert.equal(mapStoragePath('D:\\MediaDatabase\\Archive\\2026', map), 'G:\\Archive\\2026');
    assert.equal(mapStoragePath('D:\\MediaDatabase2', map), 'F:\\MediaDatabase2');
    assert.equal(mapStoragePath('C:\\MediaDatabase', map), undefined);
    assert.equal(mapStoragePath('D:', [{ from: 'D:\\MediaDatabase', to: 'E:\\Media' }]), undefined);
  });
});

describe('rules files', () => {
  test('YAML with a rule override and an object-form storage map', () => {
    const override = parseRulesFile(`
# cluster 1: both lab nodes on one host
rules:
  - path: webserver/port
    kind: local
    note: both nodes on one host
storagePathMap:
  'D:\\MediaDatabase': 'E:\\Media'
`, 'cluster-1.yaml');
    assert.deepEqual(override.rules, [{ path: 'webserver/port', kind: 'local', note: 'both nodes on one host' }]);
    assert.deepEqual(override.storagePathMap, [{ from: 'D:\\MediaDatabase', to: 'E:\\Media' }]);
  });

  test('a rule may say its scope', () => {
    assert.deepEqual(parseRulesFile('rules:\n  - { path: VendorX, kind: shared, scope: element }\n', 'r.yaml').rules, [{ path: 'VendorX', kind: 'shared', scope: 'element' }]);
    assert.throws(() => parseRulesFile('rules:\n  - { path: VendorX, kind: shared, scope: deep }\n', 'r.yaml'), /r\.yaml: rules\[0\]\.scope: /);
  });

  test('JSON with a list-form storage map', () => {
    const override = parseRulesFile('{"storagePathMap":[{"from":"D:\\\\Media","to":"E:\\\\Media"}]}', 'r.json');
    assert.deepEqual(override.storagePathMap, [{ from: 'D:\\Media', to: 'E:\\Media' }]);
    assert.deepEqual(parseRulesFile('', 'empty.yaml'), {});
  });

  const bad: [string, string, RegExp][] = [
    ['wrong kind', 'rules:\n  - { path: a, kind: maybe }', /bad\.yaml: rules\[0\]\.kind: /],
    ['bad path', 'rules:\n  - { path: "a b", kind: local }', /rules\[0\]\.path: expected element names/],
    ['unknown key', 'rulez: []', /bad\.yaml: \(top level\): .*rulez/],
    ['unknown rule key', 'rules:\n  - { path: a, kind: local, why: x }', /rules\[0\]: .*why/],
    ['not YAML', 'rules: [\n', /bad\.yaml: not valid YAML or JSON/],
    ['duplicate map entry', "storagePathMap:\n  - { from: 'D:\\X', to: 'E:\\X' }\n  - { from: 'd:/x/', to: 'F:\\X' }", /mapped twice/],
    ['empty map target', "storagePathMap:\n  'D:\\X': ''", /storagePathMap/],
    ['YAML alias bomb', `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]`, /bad\.yaml: not valid YAML or JSON: Excessive alias count/],
  ];
  for (const [what, text, message] of bad) {
    test(`refuses: ${what}`, () => {
      assert.throws(() => parseRulesFile(text, 'bad.yaml'), (err: unknown) => err instanceof RecorderConfigError && err.code === 'rules' && message.test(err.message));
    });
  }

  test('overrides replace the same path, add new ones, and replace the map', () => {
    const merged = withOverrides(defaultCloneRules, {
      rules: [{ path: 'webserver/port', kind: 'local' }, { path: 'SiteNotes', kind: 'shared' }],
      storagePathMap: [{ from: 'D:\\', to: 'E:\\' }],
    });
    const c = compileRules(merged);
    assert.equal(c.classify(['webserver', 'port'], null).kind, 'local');
    assert.equal(c.classify(['SiteNotes'], null).kind, 'shared');
    assert.equal(merged.rules.filter((r) => r.path === 'webserver/port').length, 1);
    assert.equal(merged.rules.length, defaultCloneRules.rules.length + 1);
    assert.deepEqual(merged.storagePathMap, [{ from: 'D:\\', to: 'E:\\' }]);
  });

  test('an override may not make recorder/id anything but shared', () => {
    assert.throws(() => withOverrides(defaultCloneRules, { rules: [{ path: 'recorder/id', kind: 'local' }] }), /recorder\/id must stay shared/);
    assert.throws(() => withOverrides(defaultCloneRules, { rules: [{ path: 'recorder/*', kind: 'local' }, { path: 'recorder/id', kind: 'mapped' }] }), /recorder\/id must stay shared/);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusNames, fixture, fixturesDir, primaryName, secondaryName } from './fixtures/support.js';
import { clone, verifyClone } from './clone.js';
import { defaultCloneRules, withOverrides } from './clone-rules.js';
import { diff } from './diff.js';
import { RecorderConfigError } from './errors.js';
import { parseRecorderConfig } from './validate.js';
import { directText, findElement, type XmlElement } from './xml-document.js';

const id = '4b1c2f3e-8d7a-4c55-9e21-0a6b3c9d7e11';
const otherId = 'c0ffee00-1234-4abc-8def-00000000b002';
const doc = (recorderId: string, body: string): string => `<recorderconfig>\n  <recorder>\n    <id>${recorderId}</id>\n  </recorder>\n${body}</recorderconfig>\n`;
const textAt = (xml: string, path: string): string | undefined => {
  const element = findElement(parseRecorderConfig(xml).doc.root, path);
  return element === undefined ? undefined : directText(element as XmlElement);
};

describe('clone', () => {
  test('primary onto a fresh secondary gives the expected file (golden), changing only shared lines', () => {
    const { xml, changes } = clone(fixture(primaryName), fixture(secondaryName));
    assert.equal(xml, readFileSync(join(fixturesDir, 'expected', '02-cloned-from-01.xml'), 'utf8'));
    const shared = changes.filter((c) => c.kind === 'shared').map((c) => c.path);
    assert.deepEqual(shared, [
      'recorder/id', 'recorder/displayname', 'recorder/ClientRegistrationId', 'recorder/serverEncryption@enabled', 'server/address',
      'server/authorizationserveraddress', 'pipeline/maxframesinqueue', 'pipeline/gopframecountlimit', 'pipeline/audioburstdelay', 'EdgeStorage@StartupRetrieveSeconds',
    ]);
    const server = changes.find((c) => c.path === 'server/address');
    assert.deepEqual([server?.before, server?.after], ['old-ms', 'lab-xpco']);
    // Line by line, the only lines that differ are the ones holding shared values.
    const before = fixture(secondaryName).toString('utf8').split('\n');
    const after = xml.split('\n');
    assert.equal(after.length, before.length);
    const changedLines = before.map((line, i) => (line === after[i] ? null : line.trim())).filter((l) => l !== null);
    assert.equal(changedLines.length, 9);
    assert.ok(changedLines.every((l) => !/host|publicUri|MediaDatabase|passphrase|version|SiteNotes|driverspath/.test(l)), changedLines.join('\n'));
  });

  test('node-local values stay the target\'s', () => {
    const { xml } = clone(fixture(primaryName), fixture(secondaryName));
    assert.equal(textAt(xml, 'webserver/host'), 'rec-b.lab.local');
    assert.equal(textAt(xml, 'webapi/publicUri'), 'rec-b.lab.local:9001');
    assert.equal(textAt(xml, 'database/database_default/path'), 'D:\\MediaDatabase');
    assert.equal(textAt(xml, 'version'), '25.1.0.1');
    assert.equal(textAt(xml, 'SiteNotes'), 'rack 4, slot 2');
    assert.match(xml, /<serverEncryption enabled="true" certificateHash="B0B0B0B0E5F60718293A4B5C6D7E8F90DEADBEEF" \/>/);
    assert.match(xml, /<encryption enabled="false" certificateHash="C0C0C0C0E5F60718293A4B5C6D7E8F90DEADBEEF" \/>/);
    assert.equal(textAt(xml, 'recorder/id'), id);
  });

  test('every corpus pair: the clone re-parses, diff(primary, clone) is only local, and only shared paths moved', () => {
    const names = corpusNames();
    let pairs = 0;
    for (const p of names) {
      for (const t of names) {
        const primary = fixture(p);
        const target = fixture(t);
        const { xml, changes } = clone(primary, target);
        parseRecorderConfig(xml);
        const left = diff(primary, xml).filter((c) => c.kind === 'shared');
        assert.deepEqual(left, [], `${p} → ${t}`);
        const sharedPaths = new Set(changes.filter((c) => c.kind === 'shared').map((c) => c.path));
        for (const moved of diff(target, xml)) assert.ok(sharedPaths.has(moved.path), `${p} → ${t}: ${moved.path} changed but is not shared`);
        const again = clone(primary, xml);
        assert.equal(again.xml, xml, `${p} → ${t}: a second clone changes more`);
        assert.deepEqual(again.changes.filter((c) => c.kind === 'shared'), []);
        pairs++;
      }
    }
    assert.equal(pairs, names.length ** 2);
  });

  test('cloning a file onto itself returns it byte for byte (whole corpus)', () => {
    for (const name of corpusNames()) {
      const text = fixture(name).toString('utf8');
      assert.equal(clone(text, text).xml, text, name);
    }
  });

  test('self-closing elements and empty sections get the primary\'s content in the target\'s layout (golden)', () => {
    const { xml } = clone(fixture(primaryName), fixture('07-self-closing-variants.xml'));
    assert.equal(xml, readFileSync(join(fixturesDir, 'expected', '07-cloned-from-01.xml'), 'utf8'));
    assert.doesNotMatch(xml, /\r/); // the target's LF line endings, not the primary's CRLF
    assert.match(xml, /<ClientRegistrationId>9f0e1d2c-3b4a-4958-a7b6-c5d4e3f2a1b0<\/ClientRegistrationId>/);
    assert.match(xml, / {2}<pipeline>\n {4}<maxframesinqueue>300<\/maxframesinqueue>\n[^]*\n {2}<\/pipeline>\n/);
  });

  test('a CRLF target gets CRLF in inserted elements; a BOM stays', () => {
    const failover = '  <database>\n    <Failover>\n      <MaxSizeMb>1</MaxSizeMb>\n    </Failover>\n';
    const primary = doc(id, `${failover}    <BankAvailability>\n      <CheckIntervalSeconds>2</CheckIntervalSeconds>\n    </BankAvailability>\n  </database>\n`);
    const target = `\uFEFF${doc(otherId, `${failover}  </database>\n`).replace(/\n/g, '\r\n')}`;
    const { xml } = clone(primary, target);
    assert.ok(xml.startsWith('\uFEFF<recorderconfig>\r\n'));
    assert.match(xml, /<\/Failover>\r\n {4}<BankAvailability>\r\n {6}<CheckIntervalSeconds>2<\/CheckIntervalSeconds>\r\n {4}<\/BankAvailability>\r\n {2}<\/database>/);
    assert.doesNotMatch(xml.replace(/\r\n/g, ''), /[\r\n]/);
  });

  test('attributes are added, changed and removed in place, in the target\'s quote style', () => {
    const primary = doc(id, '  <EdgeStorage StartupRetrieveSeconds="60" MaxSimultaneousJobs="5" />\n');
    const target = doc(otherId, "  <EdgeStorage JobMinSeconds='1' StartupRetrieveSeconds='30' />\n");
    const { xml } = clone(primary, target);
    assert.match(xml, /<EdgeStorage StartupRetrieveSeconds='60' MaxSimultaneousJobs='5' \/>/);
  });

  test('a shared element the target lacks is inserted without its node-local parts', () => {
    const primary = doc(id, '  <webserver>\n    <host>rec-a</host>\n    <port>7563</port>\n    <encryption enabled="true" certificateHash="AAAA" />\n  </webserver>\n');
    const target = doc(otherId, '  <webserver>\n    <host>rec-b</host>\n    <port>7563</port>\n  </webserver>\n');
    const { xml, changes } = clone(primary, target);
    assert.match(xml, /<port>7563<\/port>\n {4}<encryption enabled="true" \/>\n {2}<\/webserver>/);
    assert.doesNotMatch(xml, /AAAA/);
    assert.deepEqual(diff(primary, xml).map((c) => [c.path, c.kind]), [['webserver/host', 'local'], ['webserver/encryption@certificateHash', 'local']]);
    assert.equal(changes.find((c) => c.path === 'webserver/encryption')?.kind, 'shared');
  });

  test('an unclassified section, element or attribute is never copied or removed, not even inside a shared section', () => {
    const primary = doc(id, '  <VendorA>1</VendorA>\n  <server>\n    <address>ms</address>\n    <futureA>1</futureA>\n  </server>\n  <EdgeStorage FutureA="1" />\n');
    const target = doc(otherId, '  <VendorB>2</VendorB>\n  <server>\n    <address>ms</address>\n    <futureB>2</futureB>\n  </server>\n  <EdgeStorage FutureB="2" />\n');
    const { xml, changes } = clone(primary, target);
    assert.equal(xml, target.replace(otherId, id));
    assert.deepEqual(changes.filter((c) => c.rule === null).map((c) => [c.path, c.kind]), [
      ['VendorA', 'unclassified'], ['server/futureA', 'unclassified'], ['server/futureB', 'unclassified'],
      ['EdgeStorage@FutureA', 'unclassified'], ['EdgeStorage@FutureB', 'unclassified'], ['VendorB', 'unclassified'],
    ]);
    // Inserting a missing shared section leaves its unclassified parts out too.
    const bare = doc(otherId, '');
    assert.equal(textAt(clone(primary, bare).xml, 'server/address'), 'ms');
    assert.equal(textAt(clone(primary, bare).xml, 'server/futureA'), undefined);
  });

  test('the storage path map rewrites the default database path, including into an inserted element', () => {
    const rules = withOverrides(defaultCloneRules, { storagePathMap: [{ from: 'C:\\MediaDatabase', to: 'E:\\Media' }] });
    const { xml, changes } = clone(fixture(primaryName), fixture(secondaryName), rules);
    assert.equal(textAt(xml, 'database/database_default/path'), 'E:\\Media');
    const change = changes.find((c) => c.path === 'database/database_default/path');
    assert.deepEqual([change?.kind, change?.before, change?.after], ['shared', 'D:\\MediaDatabase', 'E:\\Media']);
    assert.deepEqual(diff(fixture(primaryName), xml, rules).filter((c) => c.kind === 'shared'), []);

    const primary = doc(id, '  <database>\n    <database_default>\n      <name>x</name>\n      <path>C:\\MediaDatabase\\Cams</path>\n    </database_default>\n  </database>\n');
    const target = doc(otherId, '  <database>\n    <database_default>\n      <name>x</name>\n    </database_default>\n  </database>\n');
    assert.equal(textAt(clone(primary, target, rules).xml, 'database/database_default/path'), 'E:\\Media\\Cams');
    assert.equal(textAt(clone(primary, target).xml, 'database/database_default/path'), undefined);
  });

  test('values are escaped when written', () => {
    const primary = doc(id, '  <server>\n    <address>a&amp;b &lt;c&gt;</address>\n  </server>\n  <Multicast SessionLingerSeconds="&quot;q&quot; &amp; &#10;"/>\n');
    const target = doc(otherId, '  <server>\n    <address>old</address>\n  </server>\n  <Multicast SessionLingerSeconds="old"/>\n');
    const { xml } = clone(primary, target);
    assert.match(xml, /<address>a&amp;b &lt;c&gt;<\/address>/);
    assert.match(xml, /<Multicast SessionLingerSeconds="&quot;q&quot; &amp; &#10;"\/>/);
    assert.equal(textAt(xml, 'server/address'), 'a&b <c>');
  });

  test('text mixed with elements is copied whole only when a subtree rule makes the element entirely shared', () => {
    const primary = doc(id, '  <pipeline>fast<a>1</a></pipeline>\n');
    const target = doc(otherId, '  <pipeline>slow<a>2</a></pipeline>\n');
    const whole = withOverrides(defaultCloneRules, { rules: [{ path: 'pipeline', kind: 'shared' }] });
    assert.match(clone(primary, target, whole).xml, /<pipeline>fast<a>1<\/a><\/pipeline>/);
    // The built-in pipeline rule names its children only: <a> is unclassified, so the content is kept.
    assert.match(clone(primary, target).xml, /<pipeline>slow<a>2<\/a><\/pipeline>/);
  });

  test('per-cluster overrides change what is copied', () => {
    const rules = withOverrides(defaultCloneRules, { rules: [{ path: 'server/address', kind: 'local' }, { path: 'SiteNotes', kind: 'shared' }] });
    const primary = doc(id, '  <server>\n    <address>ms-a</address>\n  </server>\n  <SiteNotes>a</SiteNotes>\n');
    const target = doc(otherId, '  <server>\n    <address>ms-b</address>\n  </server>\n  <SiteNotes>b</SiteNotes>\n');
    const { xml } = clone(primary, target, rules);
    assert.equal(textAt(xml, 'server/address'), 'ms-b');
    assert.equal(textAt(xml, 'SiteNotes'), 'a');
  });

  test('verifyClone accepts a clone and refuses anything that still differs in a shared value', () => {
    const primary = parseRecorderConfig(fixture(primaryName));
    verifyClone(primary, parseRecorderConfig(clone(fixture(primaryName), fixture(secondaryName)).xml));
    const stale = fixture('expected/02-cloned-from-01.xml').toString('utf8').replace('<address>lab-xpco</address>', '<address>old-ms</address>');
    assert.throws(() => verifyClone(primary, parseRecorderConfig(stale)), (err: unknown) => err instanceof RecorderConfigError && err.code === 'invalid' && /shared values differ at server\/address$/.test(err.message));
    assert.throws(() => verifyClone(primary, parseRecorderConfig(fixture(secondaryName))), (err: unknown) => err instanceof RecorderConfigError && /recorder\/id c0ffee00-.* is not the primary's 4b1c2f3e-/.test(err.message));
    const otherRules = withOverrides(defaultCloneRules, { rules: [{ path: 'server/address', kind: 'local' }] });
    verifyClone(primary, parseRecorderConfig(stale), otherRules);
  });

  test('bad input is refused with the side named, and nothing is returned', () => {
    const good = doc(id, '');
    const cases: [string | Buffer, string | Buffer, string, RecorderConfigError['code']][] = [
      ['', good, 'primary', 'empty'],
      [good, '<recorderconfig><recorder>', 'target', 'truncated'],
      [good, '<recorderconfig><version>1</version></recorderconfig>', 'target', 'missing-recorder-id'],
      [good, '<servicesconfig><recorder><id>x</id></recorder></servicesconfig>', 'target', 'not-recorder-config'],
      [good, doc('not-a-guid', ''), 'target', 'invalid'],
      [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good, 'utf16le')]), good, 'primary', 'encoding'],
    ];
    for (const [p, t, side, code] of cases) {
      assert.throws(() => clone(p, t), (err: unknown) => err instanceof RecorderConfigError && err.code === code && err.message.startsWith(`${side}: `), `${side} ${code}`);
    }
  });
});

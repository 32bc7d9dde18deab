import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusNames, fixture, primaryName, secondaryName } from './fixtures/support.js';
import { defaultCloneRules, withOverrides } from './clone-rules.js';
import { diff, redacted, type Change } from './diff.js';
import { RecorderConfigError } from './errors.js';

const id = '4b1c2f3e-8d7a-4c55-9e21-0a6b3c9d7e11';
const doc = (body: string, rootAttributes = ''): string => `<recorderconfig${rootAttributes}><recorder><id>${id}</id></recorder>${body}</recorderconfig>`;
const brief = (changes: readonly Change[]): string[] => changes.map((c) => `${c.kind} ${c.subject} ${c.path}`);

describe('diff', () => {
  test('primary vs. a fresh secondary: every difference, classified', () => {
    const changes = diff(fixture(primaryName), fixture(secondaryName));
    assert.deepEqual(brief(changes), [
      'local text version',
      'shared text recorder/id',
      'shared text recorder/displayname',
      'shared text recorder/ClientRegistrationId',
      'shared attribute recorder/serverEncryption@enabled',
      'local attribute recorder/serverEncryption@certificateHash',
      'local text recorder/driverspath',
      'shared text server/address',
      'shared text server/authorizationserveraddress',
      'local text webapi/publicUri',
      'shared text pipeline/maxframesinqueue',
      'shared element pipeline/gopframecountlimit',
      'shared element pipeline/audioburstdelay',
      'local text database/database_default/path',
      'local text database/database_server/socket_communication/authentication/basic/passphrase',
      'local text webserver/host',
      'local attribute webserver/encryption@certificateHash',
      'shared attribute EdgeStorage@StartupRetrieveSeconds',
      'unclassified element SiteNotes',
    ]);
    const address = changes.find((c) => c.path === 'server/address');
    assert.deepEqual(address, { path: 'server/address', kind: 'shared', subject: 'text', before: 'lab-xpco', after: 'old-ms', rule: 'server/address' });
    assert.deepEqual(changes.find((c) => c.path === 'pipeline/gopframecountlimit')?.before, '<gopframecountlimit>250</gopframecountlimit>');
    assert.equal(changes.find((c) => c.path === 'pipeline/gopframecountlimit')?.after, null);
    assert.equal(changes.find((c) => c.path === 'SiteNotes')?.rule, null);
  });

  test('a file compared with itself has no differences (whole corpus)', () => {
    for (const name of corpusNames()) assert.deepEqual(diff(fixture(name), fixture(name)), [], name);
  });

  test('formatting, comments, quotes, attribute order, self-closing form and line endings are not differences', () => {
    const a = doc('<server><address>ms</address><webapiport>9000</webapiport></server><pipeline/><HardwareCheck enabled="true" intervalSeconds="60"/>');
    const b = [
      '<?xml version="1.0" encoding="utf-8"?>\r\n<!-- reformatted -->\r\n<recorderconfig>\r\n',
      `  <recorder>\r\n    <id>${id}</id>\r\n  </recorder>\r\n`,
      '  <server>\r\n    <!-- the MS -->\r\n    <address><![CDATA[ms]]></address>\r\n    <webapiport>9000</webapiport>\r\n  </server>\r\n',
      '  <pipeline>\r\n  </pipeline>\r\n',
      "  <HardwareCheck intervalSeconds='60' enabled='true'></HardwareCheck>\r\n",
      '</recorderconfig>\r\n',
    ].join('');
    assert.deepEqual(diff(a, b), []);
  });

  test('siblings are matched by name and occurrence, so interleaving and section order do not matter', () => {
    const base = fixture('06-interleaved-siblings.xml').toString('utf8');
    const reordered = base.replace('<allow>10.1.0.0/24</allow>\n      <host>10.1.0.11</host>', '<host>10.1.0.11</host>\n      <allow>10.1.0.0/24</allow>');
    assert.notEqual(reordered, base);
    assert.deepEqual(diff(base, reordered), []);
    const changed = base.replace('<host>10.1.0.11</host>', '<host>10.1.0.99</host>');
    assert.deepEqual(diff(base, changed).map((c) => [c.path, c.kind, c.before, c.after]), [['driverservices/hosts/host[2]', 'shared', '10.1.0.11', '10.1.0.99']]);
    const fewer = base.replace('<rule name="c">4</rule>', '');
    assert.deepEqual(brief(diff(base, fewer)), ['unclassified element rules/rule[3]']); // not in the real schema
  });

  test('elements and attributes no rule covers are unclassified, at every level, also inside a section of shared children', () => {
    const a = doc('<webserver><host>a</host></webserver><server><address>ms</address></server>');
    const b = doc('<webserver><host>a</host><http2 enabled="true"/></webserver><server><address>ms</address><futureOption>5</futureOption></server><VendorX/>', ' schemaRevision="7"');
    assert.deepEqual(diff(a, b).map((c) => [c.path, c.kind, c.rule]), [
      ['@schemaRevision', 'unclassified', null],
      ['webserver/http2', 'unclassified', null],
      ['server/futureOption', 'unclassified', null],
      ['VendorX', 'unclassified', null],
    ]);
    // The examples of elements the first rules did not name are all classified now.
    const named = `<recorderconfig><recorder><id>${id}</id><garbagecollectinterval>1</garbagecollectinterval><memoryloginterval>1</memoryloginterval>` +
      '<unmanagedmemorypressure>1</unmanagedmemorypressure></recorder><webapi><timeoutfraction>1</timeoutfraction></webapi>' +
      '<database><database_client><port>1</port></database_client><database_server><logging><prefix>x</prefix></logging><server/><table_split/><banks><bank/></banks></database_server>' +
      '<encryption><light><bytes>1</bytes></light></encryption><event_channel><max_queue_size>1</max_queue_size></event_channel>' +
      '<Caching><ListFileSystemDiskUsage TimeoutSeconds="1"/></Caching></database></recorderconfig>';
    const changes = diff(doc(''), named);
    assert.deepEqual(changes.map((c) => c.path), ['recorder/garbagecollectinterval', 'recorder/memoryloginterval', 'recorder/unmanagedmemorypressure', 'webapi', 'database']);
    assert.ok(changes.every((c) => c.kind !== 'unclassified'), JSON.stringify(changes));
  });

  test('namespace declarations are not differences', () => {
    const plain = doc('<server><address>ms</address></server>');
    const declared = doc('<server xmlns:x="urn:x"><address>ms</address></server>', ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"');
    const other = doc('<server xmlns="urn:default"><address>ms</address></server>', ' xmlns:xsd="urn:another"');
    assert.deepEqual(diff(plain, declared), []);
    assert.deepEqual(diff(declared, plain), []);
    assert.deepEqual(diff(declared, other), []);
    // …while a real difference next to them still is one.
    assert.deepEqual(brief(diff(declared, other.replace('>ms<', '>ms2<'))), ['shared text server/address']);
  });

  test('secret values are redacted, in values and inside element XML', () => {
    const a = doc('<database><database_server><socket_communication><authentication><basic><passphrase>one</passphrase></basic></authentication></socket_communication></database_server></database>');
    const b = a.replace('one', 'two');
    assert.deepEqual(diff(a, b).map((c) => [c.before, c.after]), [[redacted, redacted]]);
    const c = doc('<SiteSecrets password="hunter2"><apiKey>abc</apiKey></SiteSecrets>');
    const shown = diff(doc(''), c)[0]?.after ?? '';
    assert.doesNotMatch(shown, /hunter2|abc/);
    assert.match(shown, /password="\(redacted\)"/);
  });

  test('the default database path: local when it differs exactly as the storage path map says, shared otherwise', () => {
    const at = (path: string): string => doc(`<database><database_default><path>${path}</path></database_default></database>`);
    const rules = withOverrides(defaultCloneRules, { storagePathMap: [{ from: 'C:\\MediaDatabase', to: 'E:\\Media' }] });
    assert.deepEqual(brief(diff(at('C:\\MediaDatabase'), at('E:\\Media'), rules)), ['local text database/database_default/path']);
    assert.deepEqual(diff(at('C:\\MediaDatabase'), at('F:\\Elsewhere'), rules).map((c) => [c.kind, c.after]), [['shared', 'F:\\Elsewhere']]);
    assert.deepEqual(brief(diff(at('C:\\MediaDatabase'), at('F:\\Elsewhere'))), ['local text database/database_default/path']);
  });

  test('invalid input is refused with the side named', () => {
    assert.throws(() => diff('<recorderconfig>', doc('')), (err: unknown) => err instanceof RecorderConfigError && err.code === 'truncated' && /^primary: /.test(err.message));
    assert.throws(() => diff(doc(''), '<other/>'), (err: unknown) => err instanceof RecorderConfigError && err.code === 'not-recorder-config' && /^node: /.test(err.message));
  });
});

// `twinrec config diff|clone|rollback`, run as an operator runs them: a child process of the
// real program (cli/main.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, copyFile, lstat, mkdir, readdir, readFile, readlink, rename, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fixture, fixturesDir, folderSnapshot, primaryName, runConfigCli, secondaryName, tempFolder } from './fixtures/support.js';
import type { Change } from './diff.js';

const primary = join(fixturesDir, primaryName);
const secondary = join(fixturesDir, secondaryName);
const cloned = fixture('expected/02-cloned-from-01.xml').toString('utf8');

let folder: { dir: string; remove: () => Promise<void> };
let n = 0;
before(async () => { folder = await tempFolder(); });
after(async () => { await folder.remove(); });

/** A fresh folder with the secondary's file as RecorderConfig.xml. */
async function target(): Promise<{ dir: string; path: string }> {
  const dir = join(folder.dir, `c${++n}`);
  await mkdir(dir);
  const path = join(dir, 'RecorderConfig.xml');
  await copyFile(secondary, path);
  return { dir, path };
}

describe('help', () => {
  test('config --help lists diff, clone and rollback; each command documents every flag with examples', async () => {
    const [top, diff, clone, rollback] = await Promise.all([
      runConfigCli(['--help']), runConfigCli(['diff', '--help']), runConfigCli(['clone', '--help']), runConfigCli(['rollback', '--help']),
    ]);
    assert.equal(top.code, 0);
    for (const command of ['diff', 'clone', 'rollback']) assert.match(top.stdout, new RegExp(`\\n {2}${command} `));
    const flags: [typeof diff, string[]][] = [
      [diff, ['--rules <file>', '--only <kind>', '--json']],
      [clone, ['--from <file>', '--to <file>', '--dry-run', '--rules <file>', '--keep-backups <n>', '--json']],
      [rollback, ['--backup <name>', '--list', '--keep-backups <n>', '--json']],
    ];
    for (const [run, expected] of flags) {
      assert.equal(run.code, 0, run.stderr);
      for (const flag of expected) assert.match(run.stdout, new RegExp(`${flag.replace(/[-<>]/g, '\\$&')} +\\S`), flag);
      assert.match(run.stdout, /Examples:\n {2}\$ twinrec config /);
      assert.match(run.stdout, /Exit codes:/);
    }
  });
});

describe('config diff', () => {
  test('exit 0 and "no differences" for identical files; exit 1 and a table for different ones', async () => {
    const [same, different] = await Promise.all([runConfigCli(['diff', primary, primary]), runConfigCli(['diff', primary, secondary])]);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /matches .*: no differences/);
    assert.equal(different.code, 1, different.stderr);
    assert.match(different.stdout, /: 19 differences: 10 shared, 8 local, 1 unclassified\n/);
    assert.match(different.stdout, /\nshared +server\/address +"lab-xpco" → "old-ms"\n/);
    assert.match(different.stdout, /\nunclassified +SiteNotes +\(absent\) → <SiteNotes owner="ops">rack 4, slot 2<\/SiteNotes>\n/);
    assert.match(different.stdout, /\n1 unclassified path: no clone rule says shared or local[^\n]*\nUNCLASSIFIED +IN\nSiteNotes +the node only\n/);
    assert.match(different.stdout, /\na clone copies the 10 shared differences: twinrec config clone --from /);
    assert.match(different.stdout, /passphrase +"\(redacted\)" → "\(redacted\)"/);
    assert.equal(different.stderr, '');
  });

  test('--json gives every change with path, kind, subject, before, after and rule', async () => {
    const run = await runConfigCli(['diff', primary, secondary, '--json']);
    assert.equal(run.code, 1);
    const out = JSON.parse(run.stdout) as { differences: number; shared: number; local: number; unclassified: number; changes: Change[]; unclassifiedPaths: unknown[] };
    assert.deepEqual([out.differences, out.shared, out.local, out.unclassified], [19, 10, 8, 1]);
    assert.deepEqual(out.unclassifiedPaths, [{ path: 'SiteNotes', in: 'node' }]);
    assert.deepEqual(out.changes.find((c) => c.path === 'webserver/host'), {
      path: 'webserver/host', kind: 'local', subject: 'text', before: 'rec-a.lab.local', after: 'rec-b.lab.local', rule: 'webserver/host',
    });
  });

  test('--only shared: exit 0 for a clone (only local differences), 1 before cloning', async () => {
    const t = await target();
    await writeFile(t.path, cloned);
    const [afterClone, beforeClone] = await Promise.all([
      runConfigCli(['diff', primary, t.path, '--only', 'shared']), runConfigCli(['diff', primary, secondary, '--only', 'shared', '--json']),
    ]);
    assert.equal(afterClone.code, 0, afterClone.stdout);
    // Exact wording: not "no differences" while local ones exist; what --only hides is counted.
    assert.equal(afterClone.stdout.split('\n')[0],
      `${t.path} has no shared differences from ${primary} (primary) (8 local differences, 1 unclassified difference and 1 unclassified path not shown)`);
    assert.doesNotMatch(afterClone.stdout, /no differences/);
    assert.equal(beforeClone.code, 1);
    assert.ok((JSON.parse(beforeClone.stdout) as { changes: Change[] }).changes.every((c) => c.kind === 'shared'));
  });

  test('errors: exit 2, one line on stderr naming the file, and --json adds the error on stdout', async () => {
    const missing = join(folder.dir, 'missing.xml');
    const [plain, json, badOnly] = await Promise.all([
      runConfigCli(['diff', primary, missing]), runConfigCli(['diff', missing, primary, '--json']), runConfigCli(['diff', primary, secondary, '--only', 'all']),
    ]);
    assert.equal(plain.code, 2);
    assert.equal(plain.stderr, `twinrec config diff: ${missing}: file not found\n`);
    assert.equal(plain.stdout, '');
    assert.equal(json.code, 2);
    assert.deepEqual(JSON.parse(json.stdout), { error: { code: 'not-found', message: `${missing}: file not found` } });
    assert.equal(badOnly.code, 2);
    assert.match(badOnly.stderr, /argument 'all' is invalid/);
  });
});

describe('config diff: the full schema', () => {
  const full = join(fixturesDir, '13-full-schema-crlf-bom.xml');

  test('the full-schema fixture against itself, and against a peer differing only in namespace declarations: no difference, nothing unclassified', async () => {
    const peer = join(folder.dir, 'full-xmlns-peer.xml');
    const bytes = await readFile(full);
    const text = bytes.toString('utf8');
    await writeFile(peer, text.replace(' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"', ' xmlns="urn:x" xmlns:xsd="urn:y"'));
    for (const node of [full, peer]) {
      const [plain, json] = await Promise.all([runConfigCli(['diff', full, node]), runConfigCli(['diff', full, node, '--json'])]);
      assert.equal(plain.code, 0, plain.stdout);
      assert.equal(plain.stdout, `${node} matches ${full} (primary): no differences\n`);
      const out = JSON.parse(json.stdout) as { differences: number; unclassified: number; unclassifiedPaths: unknown[] };
      assert.deepEqual([json.code, out.differences, out.unclassified, out.unclassifiedPaths], [0, 0, 0, []]);
    }
  });

  test('an element and an attribute added to the full-schema file are reported as unclassified, with their paths, and exit 1', async () => {
    const node = join(folder.dir, 'full-with-additions.xml');
    const text = (await readFile(full)).toString('utf8');
    const added = text
      .replace('    <version>25.1.0.2</version>\r\n  </recorder>', '    <version>25.1.0.2</version>\r\n    <newSetting>on</newSetting>\r\n  </recorder>')
      .replace('<Multicast SessionLingerSeconds="30" />', '<Multicast SessionLingerSeconds="30" Ttl="8" />');
    assert.notEqual(added, text);
    await writeFile(node, added);
    const [plain, json, onlyShared, onlyUnclassified] = await Promise.all([
      runConfigCli(['diff', full, node]), runConfigCli(['diff', full, node, '--json']),
      runConfigCli(['diff', full, node, '--only', 'shared']), runConfigCli(['diff', full, node, '--only', 'unclassified']),
    ]);
    assert.equal(plain.code, 1);
    assert.equal(plain.stdout, [
      `${node} differs from ${full} (primary): 2 differences: 0 shared, 0 local, 2 unclassified`,
      '',
      'KIND          PATH                 PRIMARY → NODE',
      'unclassified  recorder/newSetting  (absent) → <newSetting>on</newSetting>',
      'unclassified  Multicast@Ttl        (absent) → "8"',
      '',
      '2 unclassified paths: no clone rule says shared or local, so a clone keeps each node\'s own and never copies it',
      'UNCLASSIFIED         IN',
      'recorder/newSetting  the node only',
      'Multicast@Ttl        the node only',
      '',
      'no shared differences: a clone would change nothing',
      'to synchronize an unclassified path, or to mark it node-local, add a rule for it in a rules file (--rules)',
      '',
    ].join('\n'));
    const out = JSON.parse(json.stdout) as { unclassified: number; changes: Change[]; unclassifiedPaths: unknown[] };
    assert.equal(out.unclassified, 2);
    assert.deepEqual(out.changes.map((c) => [c.path, c.kind, c.rule]), [['recorder/newSetting', 'unclassified', null], ['Multicast@Ttl', 'unclassified', null]]);
    assert.deepEqual(out.unclassifiedPaths, [{ path: 'recorder/newSetting', in: 'node' }, { path: 'Multicast@Ttl', in: 'node' }]);
    assert.equal(onlyShared.code, 0);
    assert.equal(onlyShared.stdout, `${node} has no shared differences from ${full} (primary) (2 unclassified differences and 2 unclassified paths not shown)\n\n` +
      'to synchronize an unclassified path, or to mark it node-local, add a rule for it in a rules file (--rules)\n');
    assert.equal(onlyUnclassified.code, 1);
    assert.match(onlyUnclassified.stdout, /^.* differs from .* \(primary\): 2 unclassified differences\n/);

    // Once a rules file classifies them, they are ordinary differences.
    const rules = join(folder.dir, 'classify.yaml');
    await writeFile(rules, 'rules:\n  - { path: recorder/newSetting, kind: shared, scope: element }\n  - { path: Multicast@Ttl, kind: local }\n');
    const classified = await runConfigCli(['diff', full, node, '--rules', rules, '--json']);
    const after = JSON.parse(classified.stdout) as { shared: number; local: number; unclassified: number; unclassifiedPaths: unknown[] };
    assert.deepEqual([classified.code, after.shared, after.local, after.unclassified, after.unclassifiedPaths], [1, 1, 1, 0, []]);
  });

  test('an unclassified element both files hold alike is listed (exit 1), though it is no difference', async () => {
    const [a, b] = [join(folder.dir, 'both-a.xml'), join(folder.dir, 'both-b.xml')];
    const text = (await readFile(full)).toString('utf8').replace('</recorderconfig>', '  <VendorX>1</VendorX>\r\n</recorderconfig>');
    await Promise.all([writeFile(a, text), writeFile(b, text)]);
    const run = await runConfigCli(['diff', a, b]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^.* matches .* \(primary\): no differences\n\n1 unclassified path: [^\n]*\nUNCLASSIFIED +IN\nVendorX +both files\n/);
  });
});

describe('config clone', () => {
  test('--dry-run shows what would be copied and kept, and writes nothing', async () => {
    const t = await target();
    const snapshot = await folderSnapshot(t.dir);
    const run = await runConfigCli(['clone', '--from', primary, '--to', t.path, '--dry-run']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /10 shared values to copy, 8 local values kept, 1 unclassified value kept \(no rule covers it: never copied\)/);
    assert.match(run.stdout, /\nkeep +SiteNotes \(unclassified\) +<SiteNotes owner="ops">rack 4, slot 2<\/SiteNotes> \(primary: \(absent\)\)\n/);
    assert.match(run.stdout, /\ncopy {2}server\/address +"old-ms" → "lab-xpco"\n/);
    assert.match(run.stdout, /\nkeep {2}webserver\/host +"rec-b\.lab\.local" \(primary: "rec-a\.lab\.local"\)\n/);
    assert.match(run.stdout, /dry run: .* was not changed/);
    assert.deepEqual(await folderSnapshot(t.dir), snapshot);
  });

  test('writes the clone with a backup; a second run finds nothing to do', async () => {
    const t = await target();
    const first = await runConfigCli(['clone', '--from', primary, '--to', t.path]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(await readFile(t.path, 'utf8'), cloned);
    const backups = (await readdir(t.dir)).filter((name) => /^RecorderConfig\.xml\.twinrec-\d{8}T\d{6}\.\d{3}Z\.bak$/.test(name));
    assert.equal(backups.length, 1);
    assert.ok((await readFile(join(t.dir, backups[0] as string))).equals(fixture(secondaryName)));
    assert.match(first.stdout, new RegExp(`wrote .*; backup .*${backups[0]?.replace(/\./g, '\\.')}`));
    const second = await runConfigCli(['clone', '--from', primary, '--to', t.path, '--json']);
    assert.equal(second.code, 0);
    const out = JSON.parse(second.stdout) as { written: boolean; shared: number; local: number; unclassified: number; backup: string | null };
    assert.deepEqual([out.written, out.shared, out.local, out.unclassified, out.backup], [false, 0, 8, 1, null]);
  });

  test('--json reports the backup, hashes and changes', async () => {
    const t = await target();
    const run = await runConfigCli(['clone', '--from', primary, '--to', t.path, '--json', '--keep-backups', '2']);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { dryRun: boolean; written: boolean; backup: string; sha256Before: string; sha256After: string; changes: Change[] };
    assert.equal(out.dryRun, false);
    assert.equal(out.written, true);
    assert.match(out.backup, /RecorderConfig\.xml\.twinrec-\d{8}T\d{6}\.\d{3}Z\.bak$/);
    assert.match(out.sha256Before, /^[0-9a-f]{64}$/);
    assert.notEqual(out.sha256Before, out.sha256After);
    assert.equal(out.changes.filter((c) => c.kind === 'shared').length, 10);
  });

  test('--rules: overrides and a storage path map from a YAML file', async () => {
    const t = await target();
    const rules = join(t.dir, 'cluster.yaml');
    await writeFile(rules, "rules:\n  - { path: server/address, kind: local }\nstoragePathMap:\n  'C:\\MediaDatabase': 'E:\\Media'\n");
    const run = await runConfigCli(['clone', '--from', primary, '--to', t.path, '--rules', rules]);
    assert.equal(run.code, 0, run.stderr);
    const xml = await readFile(t.path, 'utf8');
    assert.match(xml, /<address>old-ms<\/address>/);
    assert.match(xml, /<path>E:\\Media<\/path>/);
  });

  test('a symbolic link is written through: the real file gets the clone (its mode kept, its backup beside it), the link stays a link', async () => {
    const t = await target();
    const realDir = join(t.dir, 'deploy');
    await mkdir(realDir);
    const real = join(realDir, 'RecorderConfig.xml');
    await rename(t.path, real);
    await chmod(real, 0o640);
    await symlink(join('deploy', 'RecorderConfig.xml'), t.path);
    const run = await runConfigCli(['clone', '--from', primary, '--to', t.path, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { written: boolean; realPath: string; backup: string };
    assert.equal(out.written, true);
    assert.equal(out.realPath, real);
    assert.ok((await lstat(t.path)).isSymbolicLink(), 'the link is still a link');
    assert.equal(await readlink(t.path), join('deploy', 'RecorderConfig.xml'));
    assert.equal(await readFile(real, 'utf8'), cloned, 'the real file holds the clone');
    assert.equal((await stat(real)).mode & 0o777, 0o640, 'with its permission bits');
    assert.equal(dirname(out.backup), realDir, 'the backup is beside the real file');
    assert.ok((await readFile(out.backup)).equals(fixture(secondaryName)));
    assert.deepEqual((await readdir(t.dir)).sort(), ['RecorderConfig.xml', 'deploy'], 'nothing written beside the link');

    const rollback = await runConfigCli(['rollback', t.path]);
    assert.equal(rollback.code, 0, rollback.stderr);
    assert.match(rollback.stdout, new RegExp(`through its symbolic link to ${real.replace(/[.\\/]/g, '\\$&')}`));
    assert.ok((await lstat(t.path)).isSymbolicLink(), 'a rollback keeps the link too');
    assert.ok((await readFile(real)).equals(fixture(secondaryName)));
  });

  test('errors leave the target untouched: bad rules file, bad flag value, missing flag', async () => {
    const t = await target();
    const rules = join(t.dir, 'bad.yaml');
    await writeFile(rules, 'rules:\n  - { path: recorder/id, kind: sometimes }\n');
    const snapshot = await folderSnapshot(t.dir);
    const [badRules, badKeep, missingTo] = await Promise.all([
      runConfigCli(['clone', '--from', primary, '--to', t.path, '--rules', rules]),
      runConfigCli(['clone', '--from', primary, '--to', t.path, '--keep-backups', '0']),
      runConfigCli(['clone', '--from', primary]),
    ]);
    assert.equal(badRules.code, 2);
    assert.match(badRules.stderr, /^twinrec config clone: .*bad\.yaml: rules\[0\]\.kind: .*\n$/);
    assert.equal(badKeep.code, 2);
    assert.match(badKeep.stderr, /--keep-backups <n>' argument '0' is invalid\. expected a whole number from 1 to 1000/);
    assert.equal(missingTo.code, 2);
    assert.match(missingTo.stderr, /required option '--to <file>' not specified/);
    assert.deepEqual(await folderSnapshot(t.dir), snapshot);
  });
});

describe('config rollback', () => {
  test('--list, then restore the newest backup, then a named one', async () => {
    const t = await target();
    const empty = await runConfigCli(['rollback', t.path, '--list']);
    assert.equal(empty.code, 0);
    assert.match(empty.stdout, /no twinrec backups of/);
    assert.equal((await runConfigCli(['clone', '--from', primary, '--to', t.path])).code, 0);

    const list = await runConfigCli(['rollback', t.path, '--list', '--json']);
    const backups = (JSON.parse(list.stdout) as { backups: { name: string; takenAt: string }[] }).backups;
    assert.equal(backups.length, 1);
    const restore = await runConfigCli(['rollback', t.path]);
    assert.equal(restore.code, 0, restore.stderr);
    assert.match(restore.stdout, new RegExp(`restored .* from ${backups[0]?.name.replace(/\./g, '\\.')}; the content it replaced is in `));
    assert.ok((await readFile(t.path)).equals(fixture(secondaryName)));

    const named = await runConfigCli(['rollback', t.path, '--backup', backups[0]?.name as string, '--json']);
    assert.equal(named.code, 0, named.stderr);
    assert.equal((JSON.parse(named.stdout) as { changed: boolean }).changed, false); // already that content
    const undo = await runConfigCli(['rollback', t.path]); // the newest backup is now the clone
    assert.equal(undo.code, 0);
    assert.equal(await readFile(t.path, 'utf8'), cloned);
  });

  test('no backup, or an unknown name: exit 2 and nothing changes', async () => {
    const t = await target();
    const snapshot = await folderSnapshot(t.dir);
    const [none, unknown] = await Promise.all([
      runConfigCli(['rollback', t.path]), runConfigCli(['rollback', t.path, '--backup', 'RecorderConfig.xml.twinrec-20000101T000000.000Z.bak']),
    ]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^twinrec config rollback: no twinrec backup of RecorderConfig\.xml in .*\n$/);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no backup named RecorderConfig\.xml\.twinrec-20000101T000000\.000Z\.bak/);
    assert.deepEqual(await folderSnapshot(t.dir), snapshot);
  });
});

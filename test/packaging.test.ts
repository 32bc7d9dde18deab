// The service definitions in packaging/: the systemd units pass systemd's own checks (verify, and
// the security exposure rating), and the WinSW definitions are what install.ps1 installs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseStringPromise } from 'xml2js';

const run = promisify(execFile);
const packaging = fileURLToPath(new URL('../packaging/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'twinrec-packaging-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The unit as shipped, under an instance name for a template; verify wants its ExecStart binary to exist. */
function unitCopy(file: string): string {
  let text = readFileSync(join(packaging, 'systemd', file), 'utf8');
  if (!existsSync('/usr/bin/node')) text = text.replaceAll('/usr/bin/node', process.execPath);
  const target = join(work, file.replace('@.service', '@ci.service'));
  writeFileSync(target, text);
  return target;
}

/** systemd-analyze's exit code and everything it printed. */
async function analyze(args: readonly string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('systemd-analyze', args, { timeout: 60_000 });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (err) {
    const failed = err as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw err;
    return { code: failed.code, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** Exposure at most 2.5 of 10 (systemd-analyze counts tenths): "OK" or better. */
const exposureTenthsMax = 25;
const units = ['twinrec-controller.service', 'twinrec-agent.service', 'twinrec-relay@.service'];

describe('systemd units', () => {
  for (const unit of units) {
    test(`${unit}: systemd-analyze verify finds nothing to say`, async () => {
      const { code, output } = await analyze(['verify', unitCopy(unit)]);
      assert.equal(output, '');
      assert.equal(code, 0);
    });

    test(`${unit}: exposure rated at most ${exposureTenthsMax / 10}`, async () => {
      const { code, output } = await analyze(['security', '--offline=yes', `--threshold=${exposureTenthsMax}`, unitCopy(unit)]);
      assert.equal(code, 0, output.split('\n').slice(-3).join('\n'));
      assert.match(output, /Overall exposure level for \S+: \d\.\d (OK|SAFE)/);
    });
  }

  test('the checks can fail: an unknown setting, and a unit without hardening', async () => {
    const typo = join(work, 'typo.service');
    writeFileSync(typo, readFileSync(unitCopy('twinrec-agent.service'), 'utf8').replace('ProtectSystem=strict', 'ProtectSystems=strict'));
    assert.match((await analyze(['verify', typo])).output, /Unknown key 'ProtectSystems'/);
    const bare = join(work, 'bare.service');
    writeFileSync(bare, `[Service]\nExecStart=${existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath}\n`);
    assert.notEqual((await analyze(['security', '--offline=yes', `--threshold=${exposureTenthsMax}`, bare])).code, 0);
  });

  test('each unit runs the twinrec command of its role, as user twinrec, and stops on SIGTERM', () => {
    const expected: Record<string, RegExp> = {
      'twinrec-controller.service': /^ExecStart=\/usr\/bin\/node \/opt\/twinrec\/dist\/cli\/main\.js serve$/m,
      'twinrec-agent.service': /^ExecStart=\/usr\/bin\/node \/opt\/twinrec\/dist\/cli\/main\.js agent --config \/etc\/twinrec\/agent\.yaml$/m,
      'twinrec-relay@.service': /^ExecStart=\/usr\/bin\/node \/opt\/twinrec\/dist\/cli\/main\.js relay --listen \$\{TWINREC_RELAY_LISTEN\} --control \$\{TWINREC_RELAY_CONTROL\} --secret-file \/etc\/twinrec\/relay-%i\.secret --state-file /m,
    };
    for (const unit of units) {
      const text = readFileSync(join(packaging, 'systemd', unit), 'utf8');
      assert.match(text, expected[unit] as RegExp, unit);
      assert.match(text, /^User=twinrec$/m, unit);
      assert.match(text, /^KillSignal=SIGTERM$/m, unit);
      assert.match(text, /^UMask=0077$/m, unit);
    }
  });
});

describe('Windows services (WinSW)', () => {
  const roles = { agent: /^"%ProgramFiles%\\twinrec\\dist\\cli\\main\.js" agent --config / as RegExp, controller: /^"%ProgramFiles%\\twinrec\\dist\\cli\\main\.js" serve --config / as RegExp };
  for (const [role, argumentsPattern] of Object.entries(roles)) {
    test(`twinrec-${role}.xml is a WinSW definition that restarts on failure and rolls its logs`, async () => {
      // Attributes matter here (onfailure action, log mode): xml2js with them, strict.
      const doc = (await parseStringPromise(readFileSync(join(packaging, 'windows', `twinrec-${role}.xml`), 'utf8'), { strict: true, explicitArray: false, trim: true })) as Record<string, unknown>;
      const service = doc.service as Record<string, unknown>;
      assert.equal(service.id, `twinrec-${role}`);
      assert.equal(service.executable, '%ProgramFiles%\\nodejs\\node.exe');
      assert.match(String(service.arguments), argumentsPattern);
      assert.equal(service.startmode, 'Automatic');
      assert.equal(service.stopparentprocessfirst, 'true');
      const failures = ([] as unknown[]).concat(service.onfailure).map((f) => (f as { $: { action: string } }).$.action);
      assert.ok(failures.length >= 1 && failures.every((a) => a === 'restart'), JSON.stringify(failures));
      assert.equal((service.log as { $: { mode: string } }).$.mode, 'roll-by-size');
      const account = service.serviceaccount as { user: string };
      assert.equal(account.user, role === 'agent' ? 'LocalSystem' : 'LocalService');
    });
  }

  test('install.ps1 installs the definition of the role it is given, after checking WinSW', () => {
    const script = readFileSync(join(packaging, 'windows', 'install.ps1'), 'utf8');
    assert.match(script, /\[ValidateSet\('agent', 'controller'\)\]/);
    assert.match(script, /\$id = "twinrec-\$Role"/);
    assert.match(script, /Copy-Item -Force \(Join-Path \$PSScriptRoot "\$id\.xml"\)/);
    assert.match(script, /Get-FileHash -Algorithm SHA256/);
    for (const role of Object.keys(roles)) assert.ok(existsSync(join(packaging, 'windows', `twinrec-${role}.xml`)), role);
  });
});

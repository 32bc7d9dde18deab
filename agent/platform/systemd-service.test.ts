import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseActiveState, systemdService } from './systemd-service.js';

describe('parseActiveState', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['active\n', 'running'],
    ['activating\n', 'starting'],
    ['reloading\n', 'starting'],
    ['deactivating\n', 'stopping'],
    ['inactive\n', 'stopped'],
    ['failed\n', 'stopped'],
    ['  active  ', 'running'],
    ['maintenance\n', 'unknown'],
    ['', 'unknown'],
    ['ActiveState=active\n', 'unknown'],
  ];
  for (const [output, status] of cases) it(`${JSON.stringify(output)} → ${status}`, () => assert.equal(parseActiveState(output), status));
});

// No systemd on the test machines: `systemctl` is a script that records its arguments and
// answers what state.json says (ActiveState, exit code, stderr, delay).
describe('systemdService with a scripted systemctl', () => {
  let dir = '';
  let systemctl = '';
  const calls = async (): Promise<string[][]> =>
    (await readFile(join(dir, 'calls.log'), 'utf8').catch(() => ''))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as string[]);
  const answer = (state: { activeState?: string; exitCode?: number; stderr?: string; delayMs?: number }): Promise<void> => writeFile(join(dir, 'state.json'), JSON.stringify(state));

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'twinrec-systemctl-'));
    systemctl = join(dir, 'systemctl');
    const script = `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
const dir = ${JSON.stringify(dir)};
const args = process.argv.slice(2);
fs.appendFileSync(path.join(dir, 'calls.log'), JSON.stringify(args) + '\\n');
const state = JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8'));
setTimeout(() => {
  if (args.includes('show')) process.stdout.write((state.activeState ?? 'active') + '\\n');
  if (state.stderr) process.stderr.write(state.stderr);
  process.exit(state.exitCode ?? 0);
}, state.delayMs ?? 0);
`;
    await writeFile(systemctl, script);
    await chmod(systemctl, 0o755);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts and stops with blocking systemctl calls and reads ActiveState', async () => {
    await answer({ activeState: 'activating' });
    const service = systemdService({ unit: 'xprotect-recorder.service', timeoutMs: 10_000, systemctl });
    assert.equal(service.kind, 'systemd');
    await service.start();
    await service.stop();
    assert.equal(await service.status(), 'starting');
    await answer({ activeState: 'failed' });
    assert.equal(await service.status(), 'stopped');
    assert.deepEqual(await calls(), [
      ['--no-ask-password', 'start', 'xprotect-recorder.service'],
      ['--no-ask-password', 'stop', 'xprotect-recorder.service'],
      ['show', '--property=ActiveState', '--value', 'xprotect-recorder.service'],
      ['show', '--property=ActiveState', '--value', 'xprotect-recorder.service'],
    ]);
  });

  it('a failed start names the unit, the exit code and systemctl’s message', async () => {
    await answer({ exitCode: 5, stderr: 'Failed to start nope.service: Unit nope.service not found.\n' });
    const service = systemdService({ unit: 'nope.service', timeoutMs: 10_000, systemctl });
    await assert.rejects(service.start(), { message: 'systemctl start nope.service failed (exit 5): Failed to start nope.service: Unit nope.service not found.' });
    assert.equal(await service.status(), 'unknown');
  });

  it('a systemctl that does not answer in time is killed', async () => {
    await answer({ delayMs: 30_000 });
    const service = systemdService({ unit: 'slow.service', timeoutMs: 500, systemctl });
    await assert.rejects(service.start(), /timed out after 500 ms/);
    assert.equal(await service.status(), 'unknown');
  });

  it('a missing systemctl fails the start and gives an unknown status', async () => {
    const service = systemdService({ unit: 'x.service', timeoutMs: 5_000, systemctl: join(dir, 'no-such-systemctl') });
    await assert.rejects(service.start(), /cannot run/);
    assert.equal(await service.status(), 'unknown');
  });

  it('refuses unit names that systemctl would read as options', () => {
    assert.throws(() => systemdService({ unit: '--host=evil', timeoutMs: 1_000 }), /not a valid systemd unit name/);
    assert.throws(() => systemdService({ unit: 'a b.service', timeoutMs: 1_000 }), /not a valid systemd unit name/);
    assert.throws(() => systemdService({ unit: '', timeoutMs: 1_000 }), /not a valid systemd unit name/);
    assert.doesNotThrow(() => systemdService({ unit: 'xprotect-recorder@1.service', timeoutMs: 1_000 }));
  });
});

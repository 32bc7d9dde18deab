import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultRecordingServerServiceName, parseScQueryState, scErrorCode, windowsService } from './windows-service.js';

const queryOutput = (state: number, word: string): string =>
  [
    '',
    'SERVICE_NAME: Milestone XProtect Recording Server ',
    '        TYPE               : 10  WIN32_OWN_PROCESS  ',
    `        STATE              : ${state}  ${word}  `,
    '                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)',
    '        WIN32_EXIT_CODE    : 0  (0x0)',
    '        SERVICE_EXIT_CODE  : 0  (0x0)',
    '        CHECKPOINT         : 0x0',
    '        WAIT_HINT          : 0x0',
    '',
  ].join('\r\n');

describe('parseScQueryState', () => {
  const cases: ReadonlyArray<readonly [number, string, string]> = [
    [1, 'STOPPED', 'stopped'],
    [2, 'START_PENDING', 'starting'],
    [3, 'STOP_PENDING', 'stopping'],
    [4, 'RUNNING', 'running'],
    [5, 'CONTINUE_PENDING', 'unknown'],
    [7, 'PAUSED', 'unknown'],
  ];
  for (const [state, word, status] of cases) it(`STATE : ${state} ${word} → ${status}`, () => assert.equal(parseScQueryState(queryOutput(state, word)), status));

  it('reads the number, whatever the language of the word', () => assert.equal(parseScQueryState(queryOutput(4, 'EN COURS')), 'running'));

  it('an error answer has no state', () => {
    assert.equal(parseScQueryState('[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r\n\r\nThe specified service does not exist as an installed service.\r\n'), 'unknown');
    assert.equal(parseScQueryState(''), 'unknown');
  });
});

describe('scErrorCode', () => {
  it('is null on success, else the number after FAILED or the exit code', () => {
    assert.equal(scErrorCode({ exitCode: 0, stdout: queryOutput(4, 'RUNNING'), stderr: '' }), null);
    assert.equal(scErrorCode({ exitCode: 1056, stdout: '[SC] StartService FAILED 1056:\r\n\r\nAn instance of the service is already running.\r\n', stderr: '' }), 1056);
    // POSIX truncates exit codes to 8 bits; the text still carries the Win32 error.
    assert.equal(scErrorCode({ exitCode: 1062 % 256, stdout: '[SC] ControlService FAILED 1062:\r\n\r\nThe service has not been started.\r\n', stderr: '' }), 1062);
    assert.equal(scErrorCode({ exitCode: 5, stdout: 'Access is denied.', stderr: '' }), 5);
  });
});

// No Service Control Manager on the test machines: `sc.exe` is a script that records its
// arguments and plays a service from state.json (pending states advance on each query).
describe('windowsService with a scripted sc.exe', () => {
  let dir = '';
  let sc = '';
  const calls = async (): Promise<string[][]> =>
    (await readFile(join(dir, 'calls.log'), 'utf8').catch(() => ''))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as string[]);
  const setState = (state: { state: number; failStart?: boolean; stuck?: boolean; deny?: boolean }): Promise<void> => writeFile(join(dir, 'state.json'), JSON.stringify(state));

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'twinrec-sc-'));
    sc = join(dir, 'sc.exe');
    const script = `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
const dir = ${JSON.stringify(dir)};
const file = path.join(dir, 'state.json');
const [action, name] = process.argv.slice(2);
fs.appendFileSync(path.join(dir, 'calls.log'), JSON.stringify([action, name]) + '\\n');
const s = JSON.parse(fs.readFileSync(file, 'utf8'));
const words = { 1: 'STOPPED', 2: 'START_PENDING', 3: 'STOP_PENDING', 4: 'RUNNING' };
const show = (n) => process.stdout.write('\\r\\nSERVICE_NAME: ' + name + '\\r\\n        TYPE               : 10  WIN32_OWN_PROCESS\\r\\n        STATE              : ' + n + '  ' + words[n] + '\\r\\n');
const fail = (code, text) => { process.stdout.write('[SC] ' + (action === 'start' ? 'StartService' : 'ControlService') + ' FAILED ' + code + ':\\r\\n\\r\\n' + text + '\\r\\n'); process.exit(code); };
if (s.deny && action !== 'query') fail(5, 'Access is denied.');
if (action === 'query') {
  show(s.state);
  if (!s.stuck && s.state === 2) s.state = s.failStart ? 1 : 4;
  else if (!s.stuck && s.state === 3) s.state = 1;
} else if (action === 'start') {
  if (s.state !== 1) fail(1056, 'An instance of the service is already running.');
  s.state = 2;
  show(2);
} else if (action === 'stop') {
  if (s.state === 1) fail(1062, 'The service has not been started.');
  s.state = 3;
  show(3);
}
fs.writeFileSync(file, JSON.stringify(s));
`;
    await writeFile(sc, script);
    await chmod(sc, 0o755);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts, then polls until RUNNING; stops, then polls until STOPPED', async () => {
    await setState({ state: 1 });
    const service = windowsService({ timeoutMs: 20_000, sc });
    assert.equal(service.kind, 'windows-service');
    assert.equal(await service.status(), 'stopped');
    await service.start();
    assert.equal(await service.status(), 'running');
    await service.stop();
    assert.equal(await service.status(), 'stopped');
    const name = defaultRecordingServerServiceName;
    assert.deepEqual(await calls(), [
      ['query', name],
      ['start', name],
      ['query', name], // START_PENDING
      ['query', name], // RUNNING
      ['query', name],
      ['stop', name],
      ['query', name], // STOP_PENDING
      ['query', name], // STOPPED
      ['query', name],
    ]);
  });

  it('starting a running service (1056) and stopping a stopped one (1062) succeed', async () => {
    const service = windowsService({ serviceName: 'Milestone XProtect Recording Server', timeoutMs: 20_000, sc });
    await setState({ state: 4 });
    await service.start();
    await setState({ state: 1 });
    await service.stop();
  });

  it('a service that stops again while starting fails the start', async () => {
    await setState({ state: 1, failStart: true });
    const service = windowsService({ timeoutMs: 20_000, sc });
    await assert.rejects(service.start(), /"Milestone XProtect Recording Server" stopped while starting/);
  });

  it('a service stuck in START_PENDING fails the start at the timeout', async () => {
    await setState({ state: 1, stuck: true });
    const service = windowsService({ timeoutMs: 1_500, sc });
    await assert.rejects(service.start(), /not running after 1500 ms \(last state: starting/);
  });

  it('another sc.exe error fails with its number and message', async () => {
    await setState({ state: 4, deny: true });
    const service = windowsService({ timeoutMs: 5_000, sc });
    await assert.rejects(service.stop(), { message: 'sc.exe stop "Milestone XProtect Recording Server" failed (error 5): [SC] ControlService FAILED 5: Access is denied.' });
    assert.equal(await service.status(), 'running');
  });

  it('a missing sc.exe fails the start; status is unknown', async () => {
    const service = windowsService({ timeoutMs: 5_000, sc: join(dir, 'no-such-sc.exe') });
    await assert.rejects(service.start(), /cannot run/);
    assert.equal(await service.status(), 'unknown');
  });

  it('refuses a service name that cannot be one', () => {
    assert.throws(() => windowsService({ serviceName: '', timeoutMs: 1_000 }), /not a valid Windows service name/);
    assert.throws(() => windowsService({ serviceName: 'a"b', timeoutMs: 1_000 }), /not a valid Windows service name/);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cameraStatusFlags, type CameraObservation } from './device-status.js';
import { SessionError, StatusSessions } from './status-sessions.js';
import { StatusTracker } from './status-tracker.js';

const healthy: CameraObservation = { enabled: true, started: true, connected: true, connectionFailed: false, overflow: false, writeError: false, repairing: false };

describe('device status', () => {
  it('derives XProtect status fields from observations', () => {
    assert.equal(cameraStatusFlags(healthy).Recording, true);
    const lost = cameraStatusFlags({ ...healthy, connected: false, connectionFailed: true });
    assert.deepEqual([lost.Recording, lost.ErrorNoConnection, lost.Error], [false, true, true]);
    const full = cameraStatusFlags({ ...healthy, writeError: true });
    assert.deepEqual([full.Recording, full.ErrorWritingGop, full.Error], [false, true, true]);
    const overflow = cameraStatusFlags({ ...healthy, overflow: true });
    assert.deepEqual([overflow.Recording, overflow.ErrorOverflow, overflow.Error], [true, true, true]);
    const disabled = cameraStatusFlags({ ...healthy, enabled: false });
    assert.deepEqual([disabled.Enabled, disabled.Started, disabled.Recording], [false, false, false]);
    assert.equal(cameraStatusFlags({ ...healthy, repairing: true }).DbRepairInProgress, true);
  });
});

describe('status sessions', () => {
  it('returns every subscribed device first, then only changes, waiting for one up to the timeout', async () => {
    const tracker = new StatusTracker();
    tracker.update(
      new Map([
        ['a', cameraStatusFlags(healthy)],
        ['b', cameraStatusFlags(healthy)],
      ]),
      1,
    );
    const sessions = new StatusSessions(tracker);
    const id = sessions.start(Date.now());
    sessions.subscribe(id, ['a', 'b'], Date.now());
    assert.deepEqual(
      (await sessions.getStatus(id, 0, Date.now())).map((s) => s.deviceId),
      ['a', 'b'],
    );
    assert.deepEqual(await sessions.getStatus(id, 0, Date.now()), []);
    const waiting = sessions.getStatus(id, 30_000, Date.now());
    tracker.update(
      new Map([
        ['a', cameraStatusFlags(healthy)],
        ['b', cameraStatusFlags({ ...healthy, connected: false, connectionFailed: true })],
      ]),
      2,
    );
    const changed = await waiting;
    assert.deepEqual(
      changed.map((s) => [s.deviceId, s.flags.ErrorNoConnection, s.changedAtMs]),
      [['b', true, 2]],
    );
    sessions.stop(id);
    await assert.rejects(sessions.getStatus(id, 0, Date.now()), SessionError);
  });

  it('bounds the number of sessions', () => {
    const sessions = new StatusSessions(new StatusTracker(), { maxSessions: 2, idleExpiryMs: 1000, maxWaitMs: 1000, maxDevicesPerSession: 10 });
    sessions.start(0);
    sessions.start(0);
    assert.throws(() => sessions.start(0), /too many/);
    sessions.start(5000); // the idle ones expired
  });
});

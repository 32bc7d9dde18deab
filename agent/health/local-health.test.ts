import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cameraStatus as camera } from '../../contracts/controller-v1.fixtures.js';
import type { StorageStatus } from '../shell/ports.js';
import { toLocalHealth } from './local-health.js';

function storage(name: string, available = true): StorageStatus {
  return { storageId: `id-${name}`, name, path: `/storage/${name}`, available, usedSpaceBytes: 10, freeSpaceBytes: 100 };
}

describe('toLocalHealth', () => {
  it('an unreachable recorder is down, with its reason as the problem', () => {
    assert.deepEqual(toLocalHealth({ reachable: false, reason: 'connection refused' }), {
      health: { recorderUp: false, storageOk: false, recordingShare: 0 },
      camerasTotal: 0,
      camerasRecording: 0,
      problem: 'connection refused',
    });
  });

  it('all cameras recording and storage available is healthy', () => {
    assert.deepEqual(toLocalHealth({ reachable: true, cameras: [camera('a'), camera('b')], storages: [storage('Local default')] }), {
      health: { recorderUp: true, storageOk: true, recordingShare: 1 },
      camerasTotal: 2,
      camerasRecording: 2,
      problem: null,
    });
  });

  it('recordingShare counts enabled cameras only', () => {
    const summary = toLocalHealth({
      reachable: true,
      cameras: [camera('a'), camera('b', { recording: false }), camera('c', { enabled: false, recording: false }), camera('d'), camera('e', { recording: false, errorNoConnection: true, error: true })],
      storages: [storage('Local default')],
    });
    assert.equal(summary.health.recordingShare, 2 / 4);
    assert.equal(summary.camerasTotal, 5);
    assert.equal(summary.camerasRecording, 2);
    assert.equal(summary.problem, '2 of 4 cameras not recording');
  });

  it('no enabled camera means nothing is missing: share 1', () => {
    assert.equal(toLocalHealth({ reachable: true, cameras: [], storages: [storage('s')] }).health.recordingShare, 1);
    assert.equal(toLocalHealth({ reachable: true, cameras: [camera('a', { enabled: false, recording: false })], storages: [storage('s')] }).health.recordingShare, 1);
  });

  it('an offline storage fails storageOk and is named', () => {
    const summary = toLocalHealth({ reachable: true, cameras: [camera('a', { recording: false })], storages: [storage('Local default', false)] });
    assert.deepEqual(summary.health, { recorderUp: true, storageOk: false, recordingShare: 0 });
    assert.equal(summary.problem, 'storage Local default offline');
  });

  it('one offline storage among several fails storageOk', () => {
    const summary = toLocalHealth({ reachable: true, cameras: [camera('a')], storages: [storage('A'), storage('B', false), storage('C', false)] });
    assert.equal(summary.health.storageOk, false);
    assert.equal(summary.problem, 'storages B, C offline');
  });

  it('names at most three offline storages', () => {
    const storages = ['A', 'B', 'C', 'D', 'E'].map((name) => storage(name, false));
    assert.equal(toLocalHealth({ reachable: true, cameras: [], storages }).problem, 'storages A, B, C and 2 more offline');
  });

  it('an unnamed storage is named by its id', () => {
    assert.equal(toLocalHealth({ reachable: true, cameras: [], storages: [storage('', false)] }).problem, 'storage id- offline');
  });

  it('no storage at all fails storageOk', () => {
    const summary = toLocalHealth({ reachable: true, cameras: [camera('a')], storages: [] });
    assert.equal(summary.health.storageOk, false);
    assert.equal(summary.problem, 'no recording storage reported');
  });
});

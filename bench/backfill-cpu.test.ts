import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuByKind, formatCpuByKind, parseThreadStat, threadKind, threadTimes } from './backfill-cpu.js';

test('parseThreadStat reads the name (spaces and parentheses included) and user and system ticks', () => {
  const text = '4242 (V8 DefaultWo) rk) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 11 0 1 2 3';
  assert.deepEqual(parseThreadStat(text, 100), { name: 'V8 DefaultWo) rk', cpu: { user: 2.5, system: 0.75 } });
  assert.equal(parseThreadStat('garbage', 100), null);
});

test('threadKind: the main thread by its id, the others by name', () => {
  assert.equal(threadKind(10, 10, 'node'), 'main');
  assert.equal(threadKind(10, 11, 'libuv-worker'), 'libuv pool');
  assert.equal(threadKind(10, 12, 'V8 DefaultWorke'), 'V8 helpers');
  assert.equal(threadKind(10, 13, 'node'), 'other threads');
});

test('cpuByKind sums the growth of each kind, a new thread from zero', () => {
  const before = new Map([
    [10, { name: 'node', cpu: { user: 1, system: 0.5 } }],
    [11, { name: 'node', cpu: { user: 0.2, system: 0.1 } }],
  ]);
  const after = new Map([
    [10, { name: 'node', cpu: { user: 3, system: 1 } }],
    [11, { name: 'node', cpu: { user: 0.7, system: 0.1 } }],
    [12, { name: 'node', cpu: { user: 0.5, system: 0.5 } }],
  ]);
  const kinds = cpuByKind(10, before, after);
  assert.deepEqual(kinds.get('main'), { user: 2, system: 0.5 });
  assert.deepEqual(kinds.get('other threads'), { user: 1, system: 0.5 });
  assert.equal(formatCpuByKind(kinds, 2), 'main 1.00 u + 0.25 s, other threads 0.50 u + 0.25 s');
});

test('threadTimes of this process lists its main thread (on Linux); of no process, nothing', () => {
  assert.equal(threadTimes(process.pid).has(process.pid), process.platform === 'linux');
  assert.equal(threadTimes(2 ** 22 + 1).size, 0);
});

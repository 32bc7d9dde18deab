import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inNetns } from './spawn.js';

test('a process in a network namespace is run through ip netns exec, its own command line unchanged', () => {
  assert.deepEqual(inNetns('/usr/bin/node', ['a.js', '--x'], undefined), { command: '/usr/bin/node', args: ['a.js', '--x'] });
  const entered = inNetns('/usr/bin/node', ['a.js', '--x'], 'tw123a');
  assert.match(entered.command, /(^|\/)ip$/);
  assert.deepEqual(entered.args, ['netns', 'exec', 'tw123a', '/usr/bin/node', 'a.js', '--x']);
});

test('a namespace name that is not one is refused, not passed to ip', () => {
  for (const bad of ['', '-n', 'a b', 'x'.repeat(65), '../x']) assert.throws(() => inNetns('node', [], bad), /not a network namespace name/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeAnsi, eventBytes, judgeEcho, parseStatistics } from './wire-format.js';

test('International: UTF-8 and CR LF; Compatible: Windows-1252, no separator, ? for what it lacks', () => {
  assert.deepEqual(eventBytes('é€', 'international'), Buffer.from([0xc3, 0xa9, 0xe2, 0x82, 0xac, 13, 10]));
  assert.deepEqual(eventBytes('é€', 'compatible'), Buffer.from([0xe9, 0x80]));
  assert.deepEqual(encodeAnsi('a日b'), Buffer.from('a?b', 'latin1'));
});

test('a statistics echo is read as Send-GenericEvent reads it: four fields, the name may hold commas or be empty', () => {
  assert.deepEqual(parseStatistics('12,30,1,twinrec failover, pair'), { requestNumber: 12, characters: 30, matches: 1, eventName: 'twinrec failover, pair' });
  assert.deepEqual(parseStatistics('1,5,0,'), { requestNumber: 1, characters: 5, matches: 0, eventName: '' });
  assert.deepEqual(parseStatistics('1,5,0'), { requestNumber: 1, characters: 5, matches: 0, eventName: '' });
  assert.equal(parseStatistics('hello'), null);
});

test('echo verdicts: complete, incomplete, No access, wrong bytes', () => {
  const sent = eventBytes('twinrec x', 'international');
  assert.deepEqual(judgeEcho(Buffer.from('3,9,1,T\r\n'), sent, 'international', false), { kind: 'accepted', statistics: { requestNumber: 3, characters: 9, matches: 1, eventName: 'T' } });
  assert.equal(judgeEcho(Buffer.from('3,9,1'), sent, 'international', false).kind, 'incomplete');
  assert.equal(judgeEcho(Buffer.from('3,9,1'), sent, 'international', true).kind, 'accepted');
  assert.equal(judgeEcho(Buffer.from('No access'), sent, 'international', true).kind, 'no-access');
  assert.equal(judgeEcho(Buffer.from('garbage\r\n'), sent, 'international', false).kind, 'bad-echo');
  const ansi = eventBytes('twinrec x', 'compatible');
  assert.equal(judgeEcho(ansi.subarray(0, 4), ansi, 'compatible', false).kind, 'incomplete');
  assert.equal(judgeEcho(ansi.subarray(0, 4), ansi, 'compatible', true).kind, 'bad-echo');
  assert.equal(judgeEcho(ansi, ansi, 'compatible', false).kind, 'accepted');
  assert.equal(judgeEcho(Buffer.from('twinrec y'), ansi, 'compatible', false).kind, 'bad-echo');
  assert.equal(judgeEcho(Buffer.from('No access'), ansi, 'compatible', true).kind, 'no-access');
  const noAccessText = eventBytes('No access to the door', 'compatible');
  assert.equal(judgeEcho(noAccessText, noAccessText, 'compatible', false).kind, 'accepted', 'a message that itself begins with "No access" is echoed, not refused');
});

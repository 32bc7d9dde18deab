// The failure classes of Twinrec.Bridge's SendGenericEvent rejections, from the messages
// GenericEventSender.cs makes (`<operation> failed: <reason>`, the reason a SocketError name,
// "no echo within N ms", "No access: …" or what is wrong with the echo).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureReasonOf } from './bridge-sender.js';

test('bridge rejections map to the four reasons of sender.ts', () => {
  assert.equal(failureReasonOf("generic event failed: No access: this address is not in the data source's allowed list"), 'no-access');
  assert.equal(failureReasonOf('generic event failed: no echo within 2000 ms'), 'timeout');
  assert.equal(failureReasonOf('generic event failed: TimedOut'), 'timeout');
  assert.equal(failureReasonOf('generic event failed: ConnectionRefused'), 'unreachable');
  assert.equal(failureReasonOf('generic event failed: HostNotFound'), 'unreachable');
  assert.equal(failureReasonOf('generic event failed: the echo is not reqNo,chars,matches,name'), 'bad-echo');
  assert.equal(failureReasonOf('generic event failed: connection closed before the echo'), 'bad-echo');
});

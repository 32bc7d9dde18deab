import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoopbackHost } from './loopback.js';

test('loopback hosts: localhost, 127.0.0.0/8 and ::1 in their usual spellings', () => {
  for (const host of ['localhost', 'LOCALHOST', 'api.localhost', '127.0.0.1', '127.10.0.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '[::ffff:7f00:1]']) assert.equal(isLoopbackHost(host), true, host);
});

test('anything else is beyond loopback, including the wildcard addresses', () => {
  for (const host of ['0.0.0.0', '::', '10.0.0.5', '128.0.0.1', '::2', 'fe80::1', 'twinrec.example', 'localhost.example', '127.0.0.1.example', '']) assert.equal(isLoopbackHost(host), false, host);
});

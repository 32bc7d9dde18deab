import assert from 'node:assert/strict';
import { test } from 'node:test';
import { controllerConfigSchema } from '../config/schema.js';
import { servesHttps } from './tls-certificate.js';

const http = (host: string, tls: Record<string, string> = {}) => controllerConfigSchema.parse({ http: { host, tls } }).http;

test('auto serves HTTPS beyond loopback and plain HTTP on it; on and off decide alone; files mean HTTPS', () => {
  assert.equal(servesHttps(http('127.0.0.1')), false);
  assert.equal(servesHttps(http('::1')), false);
  assert.equal(servesHttps(http('0.0.0.0')), true, 'every interface is beyond loopback');
  assert.equal(servesHttps(http('10.0.0.5')), true);
  assert.equal(servesHttps(http('127.0.0.1', { mode: 'on' })), true);
  assert.equal(servesHttps(http('10.0.0.5', { mode: 'off' })), false);
  assert.equal(servesHttps(http('127.0.0.1', { certFile: '/c.pem', keyFile: '/k.pem' })), true);
});

test('certFile and keyFile go together, and not with mode off', () => {
  assert.throws(() => http('127.0.0.1', { certFile: '/c.pem' }), /certFile and keyFile go together/);
  assert.throws(() => http('127.0.0.1', { mode: 'off', certFile: '/c.pem', keyFile: '/k.pem' }), /is off while certFile\/keyFile are set/);
});

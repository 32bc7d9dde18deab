import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { EventRow } from '../db/entities/index.js';
import { EventBus } from '../domain/event-bus.js';
import { DomainError } from '../domain/errors.js';
import type { EventCursor, EventFilter } from '../domain/events.js';
import { eventStreamDefaults, EventStreams, type CredentialCheck, type EventStreamOptions, type ReplaySource, type StreamHolder, type StreamStart } from './event-streams.js';
import { until as untilWithin } from '../../../shared/testing/until.js';

const row = (kind: string, time = new Date()): EventRow => ({ id: randomUUID(), time, clusterId: null, nodeId: null, kind, severity: 'info', message: kind, data: {} });

/** Serves EventStreams on a loopback port; the replay is whatever the test says; `?account=` names the caller's account. */
async function harness(options: Partial<EventStreamOptions>, replay: ReplaySource['after'] = async () => ({ rows: [], truncated: false }), start: StreamStart = null, filter: EventFilter = {}, credential?: CredentialCheck) {
  const bus = new EventBus();
  const streams = new EventStreams(bus, { after: replay }, pino({ level: 'silent' }), { ...eventStreamDefaults, ...options });
  const server: Server = createServer((req, res) => {
    const account = new URL(req.url ?? '/', 'http://localhost').searchParams.get('account');
    const holder: StreamHolder | undefined = account !== null || credential !== undefined ? { accountId: account ?? 'anyone', credential: credential ?? (async () => true) } : undefined;
    streams.serve(res, filter, start, holder).catch((err: Error) => res.writeHead(err instanceof DomainError ? err.status : 503, err instanceof DomainError ? { 'retry-after': String(err.extensions.retryAfterSeconds ?? '') } : {}).end(err.message));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const open = async (query = ''): Promise<{ res: IncomingMessage; text: () => string }> => {
    const res = await new Promise<IncomingMessage>((resolve, reject) => get(`${url}${query}`, { agent: false }, resolve).on('error', reject));
    let text = '';
    res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    return { res, text: () => text };
  };
  const close = async () => {
    streams.closeAll();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { bus, streams, open, close };
}

const until = (condition: () => boolean): Promise<void> => untilWithin(condition, 5_000);

describe('EventStreams', () => {
  let cleanup: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await cleanup?.();
    cleanup = null;
  });

  test('an account holds at most streamsPerAccountMax streams (429 beyond), other accounts still get theirs, and a closed one frees its slot', async () => {
    const h = await harness({ streamsMax: 10, streamsPerAccountMax: 3 });
    cleanup = h.close;
    const mine = [await h.open('?account=a'), await h.open('?account=a'), await h.open('?account=a')];
    assert.deepEqual(mine.map((s) => s.res.statusCode), [200, 200, 200]);
    const refused = await h.open('?account=a');
    assert.equal(refused.res.statusCode, 429);
    assert.equal(refused.res.headers['retry-after'], '3', 'the client is told to come back after its retry interval');
    await once(refused.res, 'end');
    assert.match(refused.text(), /3 event streams open/);
    const other = await h.open('?account=b');
    assert.equal(other.res.statusCode, 200, 'another account is not affected');
    assert.equal(h.streams.heldBy('a'), 3);
    mine[0]?.res.destroy();
    await until(() => h.streams.heldBy('a') === 2);
    const again = await h.open('?account=a');
    assert.equal(again.res.statusCode, 200, 'a closed stream gives its slot back');
    // Every slot is given back as the streams end: nothing is held for an account without streams.
    h.streams.closeAll();
    await until(() => h.streams.heldBy('a') === 0 && h.streams.heldBy('b') === 0);
  });

  test('ends once its credential no longer allows it (logout, revocation, expiry)', async () => {
    let allowed = true;
    let checks = 0;
    const h = await harness({ credentialCheckMs: 20 }, undefined, null, {}, async () => {
      checks += 1;
      return allowed;
    });
    cleanup = h.close;
    const { res } = await h.open();
    assert.equal(res.statusCode, 200);
    await until(() => checks >= 3);
    assert.equal(h.streams.size, 1, 'still open while allowed');
    allowed = false;
    const ended = once(res, 'end');
    await until(() => h.streams.size === 0);
    await ended;
  });

  test('a check that cannot answer (database down) keeps the stream; one that answers false ends it', async () => {
    let answer: 'throw' | boolean = 'throw';
    let checks = 0;
    const h = await harness({ credentialCheckMs: 20, credentialFailuresMax: 3, credentialUncheckedMaxMs: 60_000 }, undefined, null, {}, async () => {
      checks += 1;
      if (answer === 'throw') throw new Error('database unreachable');
      return answer;
    });
    cleanup = h.close;
    const { res, text } = await h.open();
    assert.equal(res.statusCode, 200);
    await until(() => checks >= 6);
    assert.equal(h.streams.size, 1, 'kept while its credential cannot be checked');
    // The database is back and says it is still valid, then that it is gone.
    answer = true;
    const answered = checks;
    await until(() => checks >= answered + 2);
    assert.equal(h.streams.size, 1);
    h.bus.publish([row('x.after-outage')]);
    await until(() => text().includes('x.after-outage'));
    answer = false;
    const ended = once(res, 'end');
    await until(() => h.streams.size === 0);
    await ended;
  });

  test('ends once its checks have failed in a row for longer than credentialUncheckedMaxMs; a success in between starts over', async () => {
    let failing = true;
    let checks = 0;
    const h = await harness({ credentialCheckMs: 20, credentialFailuresMax: 3, credentialUncheckedMaxMs: 300 }, undefined, null, {}, async () => {
      checks += 1;
      // Every fourth check answers while failing: never three failures in a row spanning 300 ms.
      if (failing && checks % 4 !== 0) throw new Error('database unreachable');
      return true;
    });
    cleanup = h.close;
    const { res } = await h.open();
    assert.equal(res.statusCode, 200);
    await until(() => checks >= 40);
    assert.equal(h.streams.size, 1, 'an answer now and then keeps it');
    failing = false;
    const answered = checks;
    await until(() => checks >= answered + 2);
    // Now every check fails.
    let stop = false;
    const h2 = await harness({ credentialCheckMs: 20, credentialFailuresMax: 3, credentialUncheckedMaxMs: 300 }, undefined, null, {}, async () => {
      if (!stop) throw new Error('database unreachable');
      return true;
    });
    const inner = cleanup;
    cleanup = async () => {
      stop = true;
      await h2.close();
      await inner();
    };
    const second = await h2.open();
    assert.equal(second.res.statusCode, 200);
    const ended = once(second.res, 'end');
    await until(() => h2.streams.size === 0);
    await ended;
    assert.equal(h.streams.size, 1, 'the stream whose checks answer is still open');
  });

  test('sends a heartbeat comment every heartbeatMs while idle', async () => {
    const h = await harness({ heartbeatMs: 40 });
    cleanup = h.close;
    const { res, text } = await h.open();
    assert.equal(res.statusCode, 200);
    await until(() => (text().match(/^: heartbeat$/gm) ?? []).length >= 3);
    assert.match(text(), /^retry: 3000$/m);
  });

  test('an event stored while the replay is read is sent once, after the replay', async () => {
    const early = row('x.replayed');
    const during = row('x.during');
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const after = async (_f: EventFilter, _from: EventCursor | null, _max: number) => {
      await gate;
      return { rows: [early], truncated: false };
    };
    const h = await harness({}, after, { after: { time: new Date(0), id: randomUUID() } });
    cleanup = h.close;
    const opening = h.open();
    await until(() => h.streams.size === 1);
    // Published while the replay is pending, and one of them is also in the replay.
    h.bus.publish([during, early]);
    release();
    const { text } = await opening;
    await until(() => text().includes(during.id));
    const ids = [...text().matchAll(/"id":"([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(ids, [early.id, during.id]);
  });

  test('a client that does not read is cut once bufferedBytesMax is queued', async () => {
    const h = await harness({ bufferedBytesMax: 64 * 1024 });
    cleanup = h.close;
    const { res } = await h.open();
    res.pause();
    const big = { ...row('x.big'), message: 'm'.repeat(2_000) };
    for (let i = 0; i < 5_000 && h.streams.size > 0; i += 1) h.bus.publish([{ ...big, id: randomUUID() }]);
    await until(() => h.streams.size === 0);
    assert.equal(h.bus.size, 0, 'unsubscribed');
  });

  test('refuses a stream beyond streamsMax, and every stream after closeAll', async () => {
    const h = await harness({ streamsMax: 1 });
    cleanup = h.close;
    const first = await h.open();
    assert.equal(first.res.statusCode, 200);
    assert.equal((await h.open()).res.statusCode, 503);
    const ended = once(first.res, 'end');
    h.streams.closeAll();
    await ended;
    assert.equal(h.streams.size, 0);
    assert.equal((await h.open()).res.statusCode, 503);
  });
});

// The event history (GET /api/v1/events) and its live stream (GET /api/v1/events/stream,
// Server-Sent Events), end to end over HTTP against a real database (SQLite always,
// PostgreSQL too when TWINREC_TEST_PG_URL is set). Agents are played by this test: it
// registers and reports events as they do; the streams are read with node:http.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { get, type IncomingMessage } from 'node:http';
import type { AgentEvent } from '../contracts/controller-v1.js';
import type { components } from '../web/src/api/openapi.js';
import { agentEvent, agentPair } from './helpers/agent-reports.js';
import { login } from './helpers/auth.js';
import { onEachBackend, startTestController } from './helpers/controller.js';

const problemType = (slug: string) => `urn:twinrec:problem:${slug}`;
/** Generous: a loaded CI machine may be slow, and a stream that works delivers in milliseconds. */
const deliveryTimeoutMs = 10_000;

/** An agent event of `kind` at `time`, with data that tells it apart. */
const timedEvent = (kind: string, time: string, severity: AgentEvent['severity'] = 'info'): AgentEvent => agentEvent(kind, { time, severity, data: { n: kind.length } });

type EventBody = components['schemas']['Event'];

interface SseMessage {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

/** An open event stream: its answer, and the messages (comments aside) as they arrive. */
interface EventStream {
  readonly res: IncomingMessage;
  readonly messages: SseMessage[];
  readonly comments: string[];
  /** Resolves once the server ends the stream. */
  readonly ended: Promise<void>;
  /** Waits for the first message, from index `from` on, that satisfies `match`. */
  next(match: (m: SseMessage) => boolean, from?: number): Promise<SseMessage>;
  close(): void;
}

/** Opens an event stream with node:http (no keep-alive agent, so that each is its own socket), as the controller's admin. */
function openStream(controller: { url: string; authHeader: Readonly<Record<string, string>> }, query: string, headers: Record<string, string> = {}): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = get(`${controller.url}/api/v1/events/stream${query}`, { agent: false, headers: { accept: 'text/event-stream', ...controller.authHeader, ...headers } }, (res) => {
      const messages: SseMessage[] = [];
      const comments: string[] = [];
      const waiters = new Set<() => void>();
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: SseMessage = { id: undefined, event: undefined, data: '' };
          let isMessage = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) message.id = line.slice(4);
            else if (line.startsWith('event: ')) message.event = line.slice(7);
            else if (line.startsWith('data: ')) [message.data, isMessage] = [message.data + line.slice(6), true];
          }
          if (isMessage) messages.push(message);
        }
        for (const wake of [...waiters]) wake();
      });
      const ended = new Promise<void>((done) => res.on('close', () => done()));
      resolve({
        res,
        messages,
        comments,
        ended,
        next: (match, from = 0) =>
          new Promise((found, fail) => {
            const look = () => {
              const hit = messages.slice(from).find(match);
              if (hit === undefined) return;
              cleanup();
              found(hit);
            };
            const timer = setTimeout(() => {
              cleanup();
              fail(new Error(`no matching message within ${deliveryTimeoutMs} ms; got ${JSON.stringify(messages)}`));
            }, deliveryTimeoutMs);
            const cleanup = () => {
              clearTimeout(timer);
              waiters.delete(look);
            };
            waiters.add(look);
            look();
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

const eventOf = (m: SseMessage): EventBody => JSON.parse(m.data) as EventBody;
const waitFor = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + deliveryTimeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

onEachBackend('events and event streams', (suite) => {
  const { api } = suite;

  const pairOf = (cluster: string) => agentPair(suite.controller, cluster);

  const list = async (query: string): Promise<components['schemas']['EventPage']> => (await api().get(`/api/v1/events?${query}`).expect(200)).body;

  test('the history filters by cluster, node, kind (exact or prefix), minimum severity and time', async () => {
    const pair = await pairOf('Hist');
    await pair.report('a', {}, {
      events: [
        timedEvent('failover.started', '2026-11-22T10:00:01.000Z', 'warning'),
        timedEvent('failover.completed', '2026-11-22T10:00:02.000Z', 'info'),
        timedEvent('camera.disconnected', '2026-11-22T10:00:03.000Z', 'error'),
      ],
    });
    await pair.report('b', {}, { events: [timedEvent('failoverish', '2026-11-22T10:00:04.000Z', 'critical'), timedEvent('camera.connected', '2026-11-22T10:00:05.000Z', 'info')] });
    const other = await pairOf('Elsewhere');
    await other.report('a', {}, { events: [timedEvent('failover.started', '2026-11-22T10:00:06.000Z', 'warning')] });

    const all = await list(`clusterId=${pair.clusterId}`);
    assert.deepEqual(all.items.map((e) => e.kind), ['camera.connected', 'failoverish', 'camera.disconnected', 'failover.completed', 'failover.started'], 'newest first');
    assert.equal(all.next, null);
    assert.equal(all.limit, 100);
    const first = all.items.at(-1) as EventBody;
    assert.deepEqual([first.clusterId, first.nodeId, first.severity, first.message, first.time, first.data], [pair.clusterId, pair.a.id, 'warning', 'failover.started happened', '2026-11-22T10:00:01.000Z', { n: 16 }]);
    assert.equal(first.cursor, `2026-11-22T10:00:01.000Z_${first.id}`);

    const kinds = async (query: string) => (await list(`clusterId=${pair.clusterId}&${query}`)).items.map((e) => e.kind);
    assert.deepEqual(await kinds('kind=failover.*'), ['failover.completed', 'failover.started']);
    assert.deepEqual(await kinds('kind=failover*'), ['failoverish', 'failover.completed', 'failover.started']);
    assert.deepEqual(await kinds('kind=failover.completed'), ['failover.completed']);
    assert.deepEqual(await kinds('kind=FAILOVER.*'), [], 'kinds compare case-sensitively');
    assert.deepEqual(await kinds('kind=*'), await kinds('limit=100'));
    assert.deepEqual(await kinds('severity=warning'), ['failoverish', 'camera.disconnected', 'failover.started']);
    assert.deepEqual(await kinds('severity=critical'), ['failoverish']);
    assert.deepEqual(await kinds(`nodeId=${pair.b.id}`), ['camera.connected', 'failoverish']);
    assert.deepEqual(await kinds('since=2026-11-22T10:00:02.000Z&until=2026-11-22T10:00:04.000Z'), ['camera.disconnected', 'failover.completed'], 'since inclusive, until exclusive');
    assert.deepEqual(await kinds('since=2026-11-22T11:00:02%2B01:00'), ['camera.connected', 'failoverish', 'camera.disconnected', 'failover.completed'], 'any offset');
    assert.deepEqual(await kinds('kind=failover.*&severity=warning&until=2026-11-22T10:00:03Z'), ['failover.started']);
    assert.deepEqual((await list('kind=failover.started')).items.filter((e) => e.clusterId === pair.clusterId || e.clusterId === other.clusterId).map((e) => e.clusterId), [other.clusterId, pair.clusterId], 'across clusters');
  });

  test('pages by cursor, newest first, with no overlap and no gap, even among events of one instant', async () => {
    const pair = await pairOf('Pages');
    const events = Array.from({ length: 23 }, (_, i) => timedEvent(`page.e${i}`, `2026-11-22T11:00:${String(Math.floor(i / 4)).padStart(2, '0')}.000Z`));
    await pair.report('a', {}, { events });
    const seen: EventBody[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const query: string = `clusterId=${pair.clusterId}&limit=5${before === null ? '' : `&before=${encodeURIComponent(before)}`}`;
      const page = await list(query);
      assert.ok(page.items.length <= 5);
      seen.push(...page.items);
      before = page.next;
      if (before !== null) assert.equal(before, page.items.at(-1)?.cursor);
      pages += 1;
    } while (before !== null && pages < 10);
    assert.equal(pages, 5);
    assert.equal(seen.length, 23);
    assert.equal(new Set(seen.map((e) => e.id)).size, 23, 'no event twice');
    const times = seen.map((e) => e.time);
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
    // Within one instant the order is by id, so that the cursor is a total order.
    const whole = await list(`clusterId=${pair.clusterId}&limit=1000`);
    assert.deepEqual(seen.map((e) => e.id), whole.items.map((e) => e.id));
  });

  test('bad filters and cursors are a 400', async () => {
    for (const query of ['limit=0', 'limit=1001', 'before=yesterday', `before=2026-11-22T10:00:00Z_${randomUUID()}`, 'severity=fatal', 'kind=a*b', 'kind=', 'clusterId=42', 'since=today', 'since=2026-11-22T10:00:00Z&until=2026-11-22T10:00:00Z', 'colour=red']) {
      const res = await api().get(`/api/v1/events?${query}`).expect(400);
      assert.equal(res.body.type, problemType('validation-failed'), query);
    }
    const res = await api().get('/api/v1/events/stream').set('Last-Event-ID', 'not-a-cursor').expect(400);
    assert.equal(res.body.type, problemType('validation-failed'));
    await api().get('/api/v1/events/stream?until=2026-11-22T10:00:00Z').expect(400);
  });

  test('a stream delivers a new agent event, and the controller\'s own, as they are stored, filtered', async () => {
    const pair = await pairOf('Live');
    const stream = await openStream(suite.controller, `?clusterId=${pair.clusterId}&severity=warning`);
    try {
      assert.equal(stream.res.statusCode, 200);
      assert.match(String(stream.res.headers['content-type']), /^text\/event-stream/);
      const quiet = timedEvent('camera.connected', new Date().toISOString(), 'info');
      const loud = timedEvent('failover.started', new Date().toISOString(), 'error');
      await pair.report('a', {}, { events: [quiet, loud] });
      const got = await stream.next((m) => m.data.includes(loud.id));
      const body = eventOf(got);
      assert.equal(got.id, body.cursor);
      assert.deepEqual([body.id, body.kind, body.severity, body.clusterId, body.nodeId], [loud.id, 'failover.started', 'error', pair.clusterId, pair.a.id]);
      assert.ok(!stream.messages.some((m) => m.data.includes(quiet.id)), 'below the minimum severity');

      // The controller's own: a node going to WAIT is a warning.
      await pair.report('b', { state: 'SECOND' });
      await pair.report('b', { state: 'WAIT' });
      const changed = eventOf(await stream.next((m) => eventOf(m).kind === 'node.state-changed'));
      assert.deepEqual([changed.nodeId, changed.severity, changed.data], [pair.b.id, 'warning', { from: 'SECOND', to: 'WAIT', epoch: 2 }]);

      // Another cluster's events do not reach this stream.
      const other = await pairOf('Quiet');
      const foreign = timedEvent('failover.started', new Date().toISOString(), 'critical');
      await other.report('a', {}, { events: [foreign] });
      const mine = timedEvent('failover.completed', new Date().toISOString(), 'warning');
      await pair.report('a', {}, { events: [mine] });
      await stream.next((m) => m.data.includes(mine.id));
      assert.ok(!stream.messages.some((m) => m.data.includes(foreign.id)));
    } finally {
      stream.close();
    }
  });

  test('Last-Event-ID resumes from the database after that event; since starts a stream at a time', async () => {
    const pair = await pairOf('Resume');
    const times = ['2026-11-22T12:00:01.000Z', '2026-11-22T12:00:02.000Z', '2026-11-22T12:00:03.000Z', '2026-11-22T12:00:04.000Z'];
    const events = times.map((t, i) => timedEvent(`resume.e${i}`, t, 'warning'));
    await pair.report('a', {}, { events });
    const history = (await list(`clusterId=${pair.clusterId}&kind=resume.*`)).items;
    const second = history.find((e) => e.id === events[1]?.id) as EventBody;

    const resumed = await openStream(suite.controller, `?clusterId=${pair.clusterId}&kind=resume.*`, { 'Last-Event-ID': second.cursor });
    try {
      await resumed.next((m) => m.data.includes(events[3]?.id ?? '?'));
      assert.deepEqual(resumed.messages.map((m) => eventOf(m).id), [events[2]?.id, events[3]?.id], 'the events after it, oldest first');
      assert.deepEqual(resumed.messages.map((m) => m.id), [history[1]?.cursor, history[0]?.cursor]);
      const live = timedEvent('resume.live', new Date().toISOString());
      await pair.report('b', {}, { events: [live] });
      await resumed.next((m) => m.data.includes(live.id), 2);
      assert.equal(resumed.messages.length, 3, 'then live ones, each once');
    } finally {
      resumed.close();
    }

    const since = await openStream(suite.controller, `?clusterId=${pair.clusterId}&kind=resume.e*&since=2026-11-22T12:00:03.000Z`);
    try {
      await since.next((m) => m.data.includes(events[3]?.id ?? '?'));
      assert.deepEqual(since.messages.map((m) => eventOf(m).id), [events[2]?.id, events[3]?.id]);
    } finally {
      since.close();
    }
  });

  test('a replay holds at most 1000 events, and says where the rest are', async () => {
    const pair = await pairOf('Flood');
    const start = Date.parse('2026-11-22T13:00:00.000Z');
    const events = Array.from({ length: 1_005 }, (_, i) => timedEvent('flood.e', new Date(start + i * 1_000).toISOString()));
    for (let i = 0; i < events.length; i += 200) await pair.report('a', {}, { events: events.slice(i, i + 200) });
    const stream = await openStream(suite.controller, `?clusterId=${pair.clusterId}&kind=flood.*`, { 'Last-Event-ID': `2026-11-22T12:59:59.000Z_${randomUUID()}` });
    try {
      await stream.next((m) => m.data.includes(events.at(-1)?.id ?? '?'));
      const [notice, ...replayed] = stream.messages;
      assert.equal(notice?.event, 'replay-truncated');
      assert.equal(replayed.length, 1_000);
      assert.equal(eventOf(replayed[0] as SseMessage).id, events[5]?.id, 'the newest 1000, oldest first');
      assert.deepEqual(JSON.parse(notice?.data ?? '{}'), { before: eventOf(replayed[0] as SseMessage).cursor, replayMax: 1_000 });
      const older = await list(`clusterId=${pair.clusterId}&kind=flood.*&before=${encodeURIComponent(JSON.parse(notice?.data ?? '{}').before)}`);
      assert.deepEqual(older.items.map((e) => e.id), events.slice(0, 5).map((e) => e.id).reverse(), 'the rest, by paging');
    } finally {
      stream.close();
    }
  });

  /** A new viewer account, signed in: what openStream needs to stream as it (its session cookie). */
  const viewer = async (): Promise<{ url: string; authHeader: { cookie: string } }> => {
    const username = `viewer-${randomUUID().slice(0, 8)}`;
    const password = `pw-${randomUUID()}`;
    await api().post('/api/v1/users').send({ username, password, role: 'viewer' }).expect(201);
    const { cookie } = await login(suite.controller.url, username, password);
    return { url: suite.controller.url, authHeader: { cookie } };
  };

  test('one account holds at most 5 streams, whatever its credentials: the next gets 429 with Retry-After; another account still gets one', async () => {
    const streams: EventStream[] = [];
    try {
      const first = await viewer();
      for (let i = 0; i < 5; i += 1) streams.push(await openStream(first, '?kind=none.*'));
      assert.deepEqual(streams.map((s) => s.res.statusCode), [200, 200, 200, 200, 200]);
      // A second session and an API token of the same account count against the same account.
      const refused = await openStream(first, '?kind=none.*');
      streams.push(refused);
      assert.equal(refused.res.statusCode, 429);
      assert.ok(Number(refused.res.headers['retry-after']) >= 1, 'Retry-After says when to try again');
      await refused.ended;
      const made = await fetch(`${suite.controller.url}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: first.authHeader.cookie }, body: JSON.stringify({ name: 'stream tool' }), signal: AbortSignal.timeout(deliveryTimeoutMs) });
      assert.equal(made.status, 201);
      const token = { body: (await made.json()) as { token: string } };
      const viaToken = await openStream({ url: suite.controller.url, authHeader: { authorization: `Bearer ${token.body.token}` } }, '?kind=none.*');
      streams.push(viaToken);
      assert.equal(viaToken.res.statusCode, 429, "the account's token is the same account");
      const second = await viewer();
      const other = await openStream(second, '?kind=none.*');
      streams.push(other);
      assert.equal(other.res.statusCode, 200, 'another account still gets a stream');
      // The refusal is a problem with its own type.
      const problem = await api().get('/api/v1/events/stream').set('authorization', `Bearer ${token.body.token}`).expect(429);
      assert.equal(problem.body.type, problemType('account-stream-limit-reached'));
      assert.equal(problem.body.streamsPerAccountMax, 5);
    } finally {
      for (const s of streams) s.close();
    }
  });

  test('at most 100 streams are open at once; the 101st gets 503 until one closes', async () => {
    const streams: EventStream[] = [];
    try {
      // 5 streams each (the most an account holds) from 20 accounts.
      const accounts: Array<Awaited<ReturnType<typeof viewer>>> = [];
      for (let i = 0; i < 20; i += 1) accounts.push(await viewer());
      for (let i = 0; i < 100; i += 1) streams.push(await openStream(accounts[i % accounts.length] ?? suite.controller, '?kind=none.*'));
      assert.ok(streams.every((s) => s.res.statusCode === 200));
      const refused = await api().get('/api/v1/events/stream').expect(503);
      assert.equal(refused.body.type, problemType('stream-limit-reached'));
      assert.equal(refused.headers['retry-after'], '5');
      streams.pop()?.close();
      // The server sees the close a moment later; the admin, who holds none, takes the slot.
      let again: EventStream | null = null;
      const deadline = Date.now() + deliveryTimeoutMs;
      while (again === null) {
        const attempt = await openStream(suite.controller, '?kind=none.*');
        if (attempt.res.statusCode === 200) again = attempt;
        else {
          attempt.close();
          assert.ok(Date.now() < deadline, 'a slot frees up once a stream closes');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      streams.push(again);
    } finally {
      for (const s of streams) s.close();
    }
  });
});

describe('event streams when the controller stops', () => {
  test('every open stream ends, and close() does not wait for the grace period', async () => {
    const controller = await startTestController({ flags: { 'http.shutdownGraceMs': 20_000 } });
    let closed = false;
    try {
      const streams = await Promise.all([openStream(controller, ''), openStream(controller, '?severity=error')]);
      assert.ok(streams.every((s) => s.res.statusCode === 200));
      const started = Date.now();
      await controller.close();
      closed = true;
      assert.ok(Date.now() - started < 10_000, `close took ${Date.now() - started} ms`);
      await Promise.all(streams.map((s) => s.ended));
      await waitFor(() => streams.every((s) => s.res.complete || s.res.destroyed), 'the streams to end');
    } finally {
      if (!closed) await controller.close();
    }
  });
});

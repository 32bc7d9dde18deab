import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentEventSchema } from '../../contracts/controller-v1.js';
import { EventQueue } from './event-queue.js';

const ev = (kind: string) => ({ kind, severity: 'info' as const, message: kind, data: { kind } });

test('events wait in order until acknowledged', () => {
  const q = new EventQueue(10, () => 0);
  q.push(ev('a'));
  q.push(ev('b'));
  const first = q.peek(1);
  assert.deepEqual(first.map((e) => e.kind), ['a']);
  q.push(ev('c'));
  q.ack(first.map((e) => e.id));
  assert.deepEqual(q.peek(10).map((e) => e.kind), ['b', 'c']);
  assert.equal(new Set(q.peek(10).map((e) => e.id)).size, 2, 'every event has its own id (the controller dedupes on it)');
});

test('the queue is bounded: the oldest go, and one events.dropped says how many', () => {
  const q = new EventQueue(10, () => 0);
  for (let i = 0; i < 25; i += 1) q.push(ev(`e${i}`));
  const batch = q.peek(100);
  assert.equal(batch[0]?.kind, 'events.dropped');
  assert.equal(batch[0]?.data.dropped, 15);
  assert.deepEqual(batch.slice(1).map((e) => e.kind), Array.from({ length: 10 }, (_, i) => `e${i + 15}`));
  q.ack(batch.map((e) => e.id));
  assert.equal(q.length, 0);
});

test('an acknowledgement for events already gone removes nothing else', () => {
  const q = new EventQueue(10, () => 0);
  q.push(ev('a'));
  q.ack(['00000000-0000-4000-8000-000000000000']);
  assert.equal(q.length, 1);
});

test('an event whose data the controller would refuse is queued without it, so it cannot block every later report', () => {
  const q = new EventQueue(10, () => 0);
  let deep: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < 20; i += 1) deep = { deeper: deep };
  q.push({ kind: 'x.deep', severity: 'info', message: 'deep', data: deep });
  q.push({ kind: 'x.large', severity: 'info', message: 'large', data: { text: 'y'.repeat(64 * 1024) } });
  q.push(ev('ok'));
  const [first, second, third] = q.peek(10);
  assert.match(String(first?.data.dataLeftOut), /nest/);
  assert.match(String(second?.data.dataLeftOut), /bytes/);
  assert.deepEqual(third?.data, { kind: 'ok' });
  for (const event of q.peek(10)) assert.ok(agentEventSchema.safeParse(event).success, `${event.kind} keeps the contract`);
});

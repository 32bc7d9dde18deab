// The sender against real TCP servers on 127.0.0.1 that answer as an Event Server's data sources
// do (International, Compatible), refuse ("No access"), stay silent, or are not there.
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, test } from 'node:test';
import { sendGenericEvent, type SendTarget } from './sender.js';

const servers: Server[] = [];
after(() => Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))));

async function server(onConnection: (socket: Socket) => void): Promise<number> {
  const s = createServer((socket) => {
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return (s.address() as AddressInfo).port;
}

const target = (port: number, format: SendTarget['format'], readTimeoutMs = 2_000): SendTarget => ({ host: '127.0.0.1', port, format, readTimeoutMs });

test('International: the text + CR LF in UTF-8 arrives, and the statistics echo is read', async () => {
  const received: Buffer[] = [];
  const port = await server((socket) => {
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      const text = Buffer.concat(received).toString('utf8');
      if (text.endsWith('\r\n')) socket.write(`41,${text.length - 2},1,twinrec failover\r\n`);
    });
  });
  const outcome = await sendGenericEvent(target(port, 'international'), 'twinrec failover pair-1: rs-b → serves');
  assert.deepEqual(Buffer.concat(received), Buffer.from('twinrec failover pair-1: rs-b → serves\r\n', 'utf8'));
  assert.equal(outcome.ok, true);
  assert.deepEqual(outcome.ok && outcome.statistics, { requestNumber: 41, characters: 38, matches: 1, eventName: 'twinrec failover' });
});

test('International: an echo without CR LF is taken once nothing more comes', async () => {
  const port = await server((socket) => socket.once('data', () => socket.write('5,3,0,')));
  const outcome = await sendGenericEvent(target(port, 'international'), 'abc');
  assert.equal(outcome.ok, true);
  assert.equal(outcome.ok && outcome.statistics?.matches, 0);
});

test('Compatible: Windows-1252 bytes, no separator; the echo of every byte; the event is taken at our close', async () => {
  let taken: Buffer | null = null;
  const closed = new Promise<void>((resolve) => {
    void server((socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        socket.write(chunk);
      });
      socket.on('end', () => {
        taken = Buffer.concat(chunks);
        socket.end();
        resolve();
      });
    }).then((port) => sendGenericEvent(target(port, 'compatible'), 'twinrec café').then((outcome) => assert.equal(outcome.ok, true, JSON.stringify(outcome))));
  });
  await closed;
  assert.deepEqual(taken, Buffer.from([...Buffer.from('twinrec caf', 'latin1'), 0xe9]));
});

test('"No access" is an error that says what to change', async () => {
  const port = await server((socket) => socket.end('No access'));
  const outcome = await sendGenericEvent(target(port, 'international'), 'twinrec test');
  assert.equal(outcome.ok, false);
  assert.equal(!outcome.ok && outcome.reason, 'no-access');
  assert.match(!outcome.ok ? outcome.detail : '', /allowed external addresses/);
});

test('a silent Event Server times out; a closed port is unreachable; a wrong echo is bad', async () => {
  const silent = await server(() => undefined);
  const timedOut = await sendGenericEvent(target(silent, 'international', 300), 'x');
  assert.equal(!timedOut.ok && timedOut.reason, 'timeout');

  const gone = await server(() => undefined);
  await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
  const refused = await sendGenericEvent(target(gone, 'international'), 'x');
  assert.equal(!refused.ok && refused.reason, 'unreachable');
  assert.match(!refused.ok ? refused.detail : '', /ECONNREFUSED.*data source enabled/);

  const wrong = await server((socket) => socket.once('data', () => socket.write('HTTP/1.1 400 Bad Request\r\n')));
  const bad = await sendGenericEvent(target(wrong, 'international'), 'x');
  assert.equal(!bad.ok && bad.reason, 'bad-echo');

  const shortEcho = await server((socket) => socket.once('data', () => socket.end('tw')));
  const cut = await sendGenericEvent(target(shortEcho, 'compatible'), 'twinrec');
  assert.equal(!cut.ok && cut.reason, 'bad-echo');

  const flood = await server((socket) => socket.once('data', () => socket.write(Buffer.alloc(64 * 1024, 0x41))));
  const tooMuch = await sendGenericEvent(target(flood, 'international'), 'x');
  assert.equal(!tooMuch.ok && tooMuch.reason, 'bad-echo', 'an endless echo is cut off, not buffered');
});

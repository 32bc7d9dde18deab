// The Event Server stand-in over real sockets: what each data source takes and answers, and the
// "No access" of a sender that is neither local nor allowed.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, test } from 'node:test';
import { pino } from 'pino';
import { compatibleDataSource, internationalDataSource } from './data-source.js';
import { EventServerStandIn, type ReceivedGenericEvent } from './server.js';

const log = pino({ level: 'silent' });
const standIns: EventServerStandIn[] = [];
after(() => Promise.all(standIns.map((s) => s.close())));

async function start(localAddresses: string[], allowed: string[] = []) {
  const standIn = new EventServerStandIn({ host: '127.0.0.1', dataSources: [{ settings: internationalDataSource, port: 0 }, { settings: compatibleDataSource, port: 0 }], httpPort: 0, localAddresses, allowed, definitions: [{ name: 'Twinrec failover', expression: 'twinrec failover' }] }, log);
  standIns.push(standIn);
  const bound = await standIn.listen();
  const portOf = (name: string): number => bound.dataSources.find((d) => d.name === name)?.port ?? 0;
  const received = async (): Promise<ReceivedGenericEvent[]> => ((await (await fetch(`http://127.0.0.1:${bound.httpPort}/lab/generic-events`)).json()) as { events: ReceivedGenericEvent[] }).events;
  return { international: portOf('International'), compatible: portOf('Compatible'), received };
}

/** Sends bytes, half-closes after `endAfterBytes` of echo (or at once), and returns everything the server sent. */
function exchange(port: number, bytes: Buffer, endAfterBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.write(bytes);
      if (endAfterBytes === 0) socket.end();
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (endAfterBytes > 0 && Buffer.concat(chunks).length >= endAfterBytes) socket.end();
    });
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
}

test('International: one event per CR LF, statistics echoed per event, UTF-8', async () => {
  const lab = await start(['127.0.0.1']);
  const echo = await exchange(lab.international, Buffer.from('twinrec failover pair-1 → b\r\nsomething else\r\n', 'utf8'), 2 * 10);
  assert.equal(echo.toString('utf8'), '1,27,1,Twinrec failover\r\n2,14,0,\r\n');
  const events = await lab.received();
  assert.deepEqual(events.map((e) => [e.dataSource, e.text, e.matched]), [['International', 'twinrec failover pair-1 → b', ['Twinrec failover']], ['International', 'something else', []]]);
});

test('Compatible: every byte echoed; the event is what came before the close, read as Windows-1252', async () => {
  const lab = await start(['127.0.0.1']);
  const sent = Buffer.from([...Buffer.from('twinrec caf', 'latin1'), 0xe9, 0x80]);
  const echo = await exchange(lab.compatible, sent, sent.length);
  assert.deepEqual(echo, sent);
  const events = await lab.received();
  assert.deepEqual(events.map((e) => [e.dataSource, e.text]), [['Compatible', 'twinrec café€']]);
});

test('a sender neither on the local host nor allowed gets "No access", and nothing is recorded', async () => {
  const lab = await start(['127.0.0.2']);
  const echo = await exchange(lab.international, Buffer.from('twinrec failover\r\n'), 0);
  assert.equal(echo.toString(), 'No access');
  assert.deepEqual(await lab.received(), []);
  const allowed = await start(['127.0.0.2'], ['127.0.0.1']);
  assert.equal((await exchange(allowed.international, Buffer.from('twinrec failover\r\n'), 5)).toString(), '1,16,1,Twinrec failover\r\n');
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contextLines, parseLogLines } from './loss-context.js';

const line = (fields: Record<string, unknown>): string => JSON.stringify({ level: 30, ...fields });

describe('loss context', () => {
  const hub = parseLogLines(
    [
      line({ time: 10_100, msg: 'stream closed', recorder: 'recorder-1b', cameraId: 'a' }),
      line({ time: 10_200, msg: 'stream closed', recorder: 'recorder-1b', cameraId: 'b' }),
      line({ time: 10_900, msg: 'stream opened', recorder: 'recorder-1b', cameraId: 'a' }),
      '{"time": 10',
      'not json',
    ].join('\n'),
    'cameras',
  );
  const agent = parseLogLines(
    [
      line({ time: 9_000, event: 'backfill.placeholder-window', msg: 'stopping this standby recorder for a moment' }),
      line({ time: 10_050, level: 40, msg: 'something odd' }),
      line({ time: 10_060, msg: 'routine' }),
      line({ time: 20_000, event: 'failover.claiming', msg: 'too late for the window' }),
    ].join('\n'),
    'agent-recorder-1b',
  );

  it('parses pino lines and skips the rest', () => {
    assert.equal(hub.length, 3);
    assert.deepEqual(hub[0], { timeMs: 10_100, source: 'cameras', level: 30, event: null, msg: 'stream closed', recorder: 'recorder-1b' });
  });

  it('lists agent events and warnings in the window, counts per-camera messages per second, in time order', () => {
    assert.deepEqual(contextLines([...hub, ...agent], 8_000, 12_000, 10_000, 10), [
      '-1.000 s agent-recorder-1b backfill.placeholder-window: stopping this standby recorder for a moment',
      '+0.050 s agent-recorder-1b level 40: something odd',
      '+0.100 s cameras stream closed (recorder-1b) × 2',
      '+0.900 s cameras stream opened (recorder-1b) × 1',
    ]);
  });

  it('is bounded', () => {
    const lines = contextLines([...hub, ...agent], 0, 30_000, 0, 2);
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '… 3 more');
  });
});

// The camera hub's frame accounting over real sockets: what a recorder receives is exactly what
// GET /lab/emitted says the hub wrote to it, and frames skipped for a slow connection are not
// counted as emitted.
import assert from 'node:assert/strict';
import { get, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { CameraSpec } from './camera.js';
import { CameraHub, defaultHubOptions } from './hub.js';
import { MjpegParser } from './mjpeg.js';

const camera: CameraSpec = { id: '11111111-2222-4333-8444-555555555555', name: 'c', fps: 25, width: 64, height: 64, codec: 'JPEG', bitrateBps: 20_000_000 };

interface EmittedAnswer {
  truncated: boolean;
  cameras: Array<{ cameraId: string; fps: number; recorders: Array<{ recorder: string; completeFromMs: number | null; runs: Array<{ firstMs: number; lastMs: number; frames: number }> }> }>;
}

async function waitUntil(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A recorder's stream connection that collects the frame times it parses. */
function openStream(port: number, recorder: string): Promise<{ res: IncomingMessage; times: number[]; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: `/mjpg/${camera.id}/video.mjpg?recorder=${recorder}`, agent: false }, (res) => {
      const parser = new MjpegParser();
      const times: number[] = [];
      res.on('data', (chunk: Buffer) => {
        for (const frame of parser.push(chunk)) times.push(frame.timeMs);
      });
      res.on('error', () => undefined);
      resolve({ res, times, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

function emittedTimes(answer: EmittedAnswer, recorder: string): number[] {
  const runs = answer.cameras[0]?.recorders.find((r) => r.recorder === recorder)?.runs ?? [];
  const intervalMs = 1000 / camera.fps;
  return runs.flatMap((run) => Array.from({ length: run.frames }, (_, i) => run.firstMs + Math.floor(i * intervalMs)));
}

describe('camera hub: emitted frames', () => {
  let hub: CameraHub;
  let port: number;
  const base = (): string => `http://127.0.0.1:${port}`;

  before(async () => {
    // A small send buffer, so a client that stops reading is "slow" within a second or two.
    hub = new CameraHub([camera], { ...defaultHubOptions, host: '127.0.0.1', port: 0, maxBufferedBytes: 32 * 1024 }, pino({ level: 'silent' }));
    port = await hub.listen();
  });
  after(() => hub.close());

  it('lists exactly the frames a connection received, and not the ones skipped while it was slow', async () => {
    const startMs = Date.now();
    const stream = await openStream(port, 'recorder-1a');
    await waitUntil('frames to arrive', () => stream.times.length >= 10);
    // Stop reading until the kernel buffers and the hub's 32 KB are full and the hub skips frames.
    stream.res.pause();
    const framesSkipped = async (): Promise<number> => {
      const body = (await (await fetch(`${base()}/lab/connections`)).json()) as { connections: Array<{ recorder: string; framesSkipped: number }> };
      return body.connections.find((c) => c.recorder === 'recorder-1a')?.framesSkipped ?? 0;
    };
    const deadline = Date.now() + 60_000;
    while ((await framesSkipped()) < 10) {
      if (Date.now() > deadline) throw new Error('the hub never skipped frames for the paused connection');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    stream.res.resume();
    // The first frame after the skip, then a few more: a gap in what arrived.
    const intervalMs = 1000 / camera.fps;
    const gapAt = (): number => stream.times.findIndex((t, i) => i > 0 && t - (stream.times[i - 1] as number) > intervalMs + 1);
    await waitUntil('frames sent after the skip', () => gapAt() > 0 && stream.times.length >= gapAt() + 5);
    stream.close();
    // Let the hub notice the close, then nothing more is emitted to it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answer = (await (await fetch(`${base()}/lab/emitted?fromMs=${startMs - 1000}&toMs=${Date.now() + 1000}`)).json()) as EmittedAnswer;
    const emitted = emittedTimes(answer, 'recorder-1a');
    // Every received frame was emitted, and every emitted frame before the last received one arrived.
    const lastReceived = stream.times[stream.times.length - 1] as number;
    assert.deepEqual(emitted.filter((t) => t <= lastReceived), stream.times);
    const runs = answer.cameras[0]?.recorders[0]?.runs ?? [];
    assert.ok(runs.length >= 2, `the skip splits the emitted frames into runs (${JSON.stringify(runs)})`);
    assert.equal(answer.truncated, false);
  });

  it('keeps each recorder apart and clips to the window', async () => {
    const a = await openStream(port, 'rec-a');
    const b = await openStream(port, 'rec-b');
    await waitUntil('frames on both', () => a.times.length >= 20 && b.times.length >= 20);
    a.close();
    b.close();
    const from = a.times[5] as number;
    const to = a.times[9] as number;
    const answer = (await (await fetch(`${base()}/lab/emitted?fromMs=${from}&toMs=${to}&cameraId=${camera.id}`)).json()) as EmittedAnswer;
    assert.deepEqual(emittedTimes(answer, 'rec-a'), a.times.slice(5, 10));
    assert.ok(emittedTimes(answer, 'rec-b').every((t) => b.times.includes(t) && t >= from && t <= to));
  });

  it('refuses a bad query with problem+json', async () => {
    for (const query of ['', 'fromMs=10&toMs=5', 'fromMs=a&toMs=5', `fromMs=0&toMs=${48 * 3600 * 1000}`, 'fromMs=0&toMs=5&extra=1']) {
      const res = await fetch(`${base()}/lab/emitted?${query}`);
      assert.equal(res.status, 400, query);
      assert.match(res.headers.get('content-type') ?? '', /problem\+json/);
    }
    const unknown = await fetch(`${base()}/lab/emitted?fromMs=0&toMs=5&cameraId=99999999-2222-4333-8444-555555555555`);
    assert.equal(unknown.status, 404);
  });
});

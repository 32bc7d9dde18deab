// Child process of the scale bench: open consoles, each holding the live event stream
// (GET /api/v1/events/stream, Server-Sent Events, as web/src/hooks/useEventStream.ts opens it)
// with a signed-in session. For every event that arrives it records the delay from the event's
// time (set by the agent as it sends the report, or by the controller for its own) to its arrival
// here. The processes share one clock (one machine).
import { request, type IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { benchChildSide } from './scale-child.js';
import { PhaseSamples } from './phase-samples.js';
import type { Summary } from './stats.js';

export interface ConsolesWork {
  readonly url: string;
  /** One `twinrec_session=…` cookie per console. */
  readonly cookies: readonly string[];
}

export interface ConsolesResult {
  readonly consoles: number;
  readonly delayMs: Record<string, Summary>;
  /** Events received per console: fewest and most. */
  readonly eventsMin: number;
  readonly eventsMax: number;
  /** Streams that ended or failed before the bench did. */
  readonly dropped: number;
}

/** A line longer than this is not one the controller sends: the stream is given up. */
const lineCharsMax = 1024 * 1024;

const work = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as ConsolesWork;
const delays = new PhaseSamples();
const received = work.cookies.map(() => 0);
const responses: IncomingMessage[] = [];
let dropped = 0;
let finishing = false;

const side = benchChildSide<ConsolesResult>({
  phase: (name) => (delays.phase = name),
  finish: () => {
    finishing = true;
    for (const res of responses) res.destroy();
    return { consoles: work.cookies.length, delayMs: delays.summaries(), eventsMin: Math.min(...received), eventsMax: Math.max(...received), dropped };
  },
});

function open(index: number, cookie: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(`${work.url}/api/v1/events/stream`, { headers: { cookie, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`console ${index}: HTTP ${res.statusCode ?? '?'}`));
        res.resume();
        return;
      }
      responses.push(res);
      res.setEncoding('utf8');
      let buffered = '';
      res.on('data', (chunk: string) => {
        const arrivedMs = Date.now();
        buffered += chunk;
        let end: number;
        while ((end = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, end);
          buffered = buffered.slice(end + 1);
          if (!line.startsWith('data: ')) continue;
          const time = (JSON.parse(line.slice('data: '.length)) as { time?: string }).time;
          if (time === undefined) continue;
          received[index] = (received[index] ?? 0) + 1;
          delays.add(arrivedMs - Date.parse(time));
        }
        if (buffered.length > lineCharsMax) res.destroy(new Error('line too long'));
      });
      res.on('close', () => {
        if (!finishing) dropped += 1;
      });
      resolve();
    });
    req.on('error', (err) => {
      if (!finishing) dropped += 1;
      reject(err);
    });
    req.end();
  });
}

try {
  await Promise.all(work.cookies.map((cookie, i) => open(i, cookie)));
} catch (err) {
  side.fail(err instanceof Error ? err.message : String(err));
}
side.ready(`${work.cookies.length} consoles hold the event stream`);

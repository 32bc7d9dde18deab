// Child process of the overview bench: plays the agents of every node, posting each node's
// report once per interval (staggered over the interval), as 100 live agents would while
// operators poll the overview. Reads its work from a JSON file: the controller's URL and, per
// node, the cluster secret and the report body. Prints one JSON line of counts on SIGTERM.
import { readFileSync } from 'node:fs';

interface Work {
  readonly url: string;
  readonly intervalMs: number;
  readonly nodes: ReadonlyArray<{ readonly secret: string; readonly body: string }>;
}

const work = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Work;
let sent = 0;
let failed = 0;
let inFlight = 0;
/** An agent does not stack reports on a slow controller: one report per node at a time. */
const busy = new Set<number>();

function post(index: number): void {
  const node = work.nodes[index];
  if (node === undefined || busy.has(index)) return;
  busy.add(index);
  inFlight += 1;
  fetch(`${work.url}/api/v1/agent/report`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${node.secret}` }, body: node.body, signal: AbortSignal.timeout(10_000) })
    .then(async (res) => {
      await res.arrayBuffer();
      if (res.ok) sent += 1;
      else failed += 1;
    })
    .catch(() => (failed += 1))
    .finally(() => {
      busy.delete(index);
      inFlight -= 1;
    });
}

const stepMs = work.intervalMs / Math.max(1, work.nodes.length);
const timers = work.nodes.map((_, i) =>
  setTimeout(() => {
    post(i);
    timers[i] = setInterval(() => post(i), work.intervalMs);
  }, Math.round(i * stepMs)),
);

process.on('SIGTERM', () => {
  for (const t of timers) clearInterval(t);
  process.stdout.write(`${JSON.stringify({ sent, failed, inFlight })}\n`);
  process.exit(0);
});

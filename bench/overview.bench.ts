// `npm run bench -- overview`: latency and throughput of the Device Overview (`GET /api/v1/cameras`)
// with 10,000 cameras of synthetic status: 50 cloned pairs of 200 cameras, reported through the
// agents' own endpoints as live agents would, with a few cameras disconnected, in overflow or
// mismatched. The load comes from a second process (autocannon's CLI), so the controller's event
// loop only serves; a third process keeps posting every node's report once a second, as live
// agents do, so that ingestion and overview rebuilds run under the load. Target: p99 ≤ 50 ms.
// Environment: OVERVIEW_BENCH_DURATION_S (default 10 per query), OVERVIEW_BENCH_CONNECTIONS
// (default 16), OVERVIEW_BENCH_REPORT_INTERVAL_MS (default 1000; 0: no live reports).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CameraPairEntity } from '../api/src/db/entities/index.js';
import { agentPair, cameraStatus, type CameraStatusWire } from '../test/helpers/agent-reports.js';
import { startTestController, type TestController } from '../test/helpers/controller.js';

const CLUSTERS = 50;
const CAMERAS_PER_CLUSTER = 200;
const DURATION_S = Number(process.env.OVERVIEW_BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.OVERVIEW_BENCH_CONNECTIONS ?? 16);
const TARGET_P99_MS = 50;
const REPORT_INTERVAL_MS = Number(process.env.OVERVIEW_BENCH_REPORT_INTERVAL_MS ?? 1_000);

/** Camera `i` of a cluster on one node: about 2 % disconnected, 1 % in overflow and 1 % mismatched (fps differs on node B). */
function cameraOf(deviceId: string, i: number, nodeB: boolean): CameraStatusWire {
  const disconnected = i % 50 === 7;
  return cameraStatus(deviceId, {
    recording: !disconnected,
    errorNoConnection: disconnected,
    errorOverflow: i % 100 === 13,
    fps: nodeB && i % 100 === 29 ? 12 : 25,
    usedSpaceBytes: 1_000_000 * i,
  });
}

interface NodeReport {
  readonly secret: string;
  readonly body: string;
}

/** Registers both agents of every pair, names the cameras and reports their status once; returns every node's report for the live reporters. */
async function seed(controller: TestController): Promise<NodeReport[]> {
  const reports: NodeReport[] = [];
  const pairs = controller.db.dataSource.getRepository(CameraPairEntity);
  for (let c = 0; c < CLUSTERS; c += 1) {
    const cluster = `Site-${String(c + 1).padStart(2, '0')}`;
    // A cloned pair shares one recorder identity (the cloned RecorderConfig.xml).
    const pair = await agentPair(controller, cluster, { recorderId: randomUUID() });
    const ids = Array.from({ length: CAMERAS_PER_CLUSTER }, () => randomUUID());
    await pairs.insert(ids.map((cameraId, i) => ({ id: randomUUID(), clusterId: pair.clusterId, cameraId, name: `${cluster} Camera ${String(i + 1).padStart(3, '0')}`, hardwareName: 'AXIS P1455-LE', failoverLevel: 'full' as const })));
    const [a, b] = [{ state: 'PRIM' as const, cameras: ids.map((id, i) => cameraOf(id, i, false)) }, { state: 'SECOND' as const, cameras: ids.map((id, i) => cameraOf(id, i, true)) }];
    await pair.reportBoth(a, b);
    reports.push({ secret: pair.secret, body: JSON.stringify(pair.reportBody('a', a)) }, { secret: pair.secret, body: JSON.stringify(pair.reportBody('b', b)) });
  }
  return reports;
}

/** Starts the live reporters (bench/overview-reporters.ts) in their own process; stop() ends them and returns their counts. */
function startReporters(url: string, nodes: readonly NodeReport[]): { stop(): Promise<{ sent: number; failed: number }> } {
  const dir = mkdtempSync(join(tmpdir(), 'twinrec-overview-bench-'));
  const file = join(dir, 'work.json');
  writeFileSync(file, JSON.stringify({ url, intervalMs: REPORT_INTERVAL_MS, nodes }));
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./overview-reporters.ts', import.meta.url)), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return {
    stop: async () => {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      return JSON.parse(out.trim() || '{"sent":0,"failed":0}') as { sent: number; failed: number };
    },
  };
}

interface AutocannonResult {
  latency: { p50: number; p99: number; max: number };
  requests: { average: number; total: number };
  errors: number;
  non2xx: number;
}

/** Runs autocannon as a second process against one URL and returns its JSON summary. */
function autocannon(url: string, headers: Readonly<Record<string, string>>): Promise<AutocannonResult> {
  const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const args = [cli, '-j', '-c', String(CONNECTIONS), '-d', String(DURATION_S), ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), url];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), (DURATION_S + 60) * 1000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      try {
        resolve(JSON.parse(out) as AutocannonResult);
      } catch (err) {
        reject(err as Error);
      }
    });
  });
}

const controller = await startTestController({ flags: { 'http.validateResponses': false, 'agents.staleAfterMs': 600_000 } });
try {
  const reports = await seed(controller);
  const headers = controller.authHeader;
  const first = await fetch(`${controller.url}/api/v1/cameras?limit=1`, { headers });
  const total = ((await first.json()) as { total: number }).total;
  if (total !== CLUSTERS * CAMERAS_PER_CLUSTER) throw new Error(`expected ${CLUSTERS * CAMERAS_PER_CLUSTER} cameras in the overview, got ${total}`);
  const queries: Array<[string, string]> = [
    ['first page (100, by name)', '/api/v1/cameras'],
    ['problems only', '/api/v1/cameras?problems=true'],
    ['text search', '/api/v1/cameras?q=Camera%20042'],
    ['by status, page 50', '/api/v1/cameras?sort=status&offset=4900'],
    ['one cluster, 500 per page', `/api/v1/cameras?limit=500&clusterId=${await firstClusterId(controller, headers)}`],
  ];
  const live = REPORT_INTERVAL_MS > 0 ? `, while ${reports.length} agents report every ${REPORT_INTERVAL_MS} ms from a third` : ', no live reports';
  console.log(`overview: ${total} cameras (${CLUSTERS} cloned pairs × ${CAMERAS_PER_CLUSTER}), autocannon -c ${CONNECTIONS} -d ${DURATION_S} from a second process${live}`);
  const reporters = REPORT_INTERVAL_MS > 0 ? startReporters(controller.url, reports) : null;
  let worstP99 = 0;
  try {
    for (const [label, path] of queries) {
      const r = await autocannon(`${controller.url}${path}`, headers);
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`${label}: ${r.non2xx} non-2xx answers and ${r.errors} errors`);
      worstP99 = Math.max(worstP99, r.latency.p99);
      console.log(`  ${label.padEnd(28)} p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   max ${String(r.latency.max).padStart(4)} ms   ${Math.round(r.requests.average)} req/s (${r.requests.total} requests)`);
    }
  } finally {
    const counts = await reporters?.stop();
    if (counts !== undefined) console.log(`  agent reports during the run: ${counts.sent} accepted, ${counts.failed} failed`);
  }
  console.log(`  target p99 ≤ ${TARGET_P99_MS} ms: ${worstP99 <= TARGET_P99_MS ? 'met' : 'MISSED'} (worst p99 ${worstP99} ms)`);
} finally {
  await controller.close();
}

async function firstClusterId(c: TestController, headers: Readonly<Record<string, string>>): Promise<string> {
  const res = await fetch(`${c.url}/api/v1/clusters`, { headers });
  const body = (await res.json()) as { items: Array<{ id: string }> };
  const id = body.items[0]?.id;
  if (id === undefined) throw new Error('no cluster listed');
  return id;
}

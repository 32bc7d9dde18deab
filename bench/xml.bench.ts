// `npm run bench -- xml`: XML parsed into objects by xml2js (the product's parser, shared/xml.ts)
// and by fast-xml-parser (which the product used before), on the payloads the product parses:
// - RecorderStatusService2 answers (GetCurrentDeviceStatus, GetVideoDeviceStatistics,
//   GetRecordingStorageStatus) at 64 and 4096 cameras, as the lab serves them: the lab's own
//   status service, WSDL and node-soap server answer the agent's own request envelopes;
// - the RecorderConfig.xml corpus (recorder-config-sync/fixtures/*.xml), and the second opinion
//   run on it before a write (xml2js strict now, fast-xml-parser's XMLValidator before);
// - ImageServer requests (connect with a token, live), in the lab client's format.
// Each parser runs with its product options: values stay strings, attributes are ignored,
// namespace prefixes are stripped from SOAP element names. Then the agent probe's CPU per probe
// at 64 and 4096 cameras, its share of a core at each profile's probe interval, and the heap one
// 4096-camera answer costs.
//
// fast-xml-parser is no longer a dependency. To compare again: `npm i --no-save
// fast-xml-parser@5.12.1`, then run the bench (without it, only xml2js runs).
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pino from 'pino';
import { profiles } from '../agent/core/config.js';
import { readDeviceStatuses, readStorageStatuses, readVideoStatistics, recorderStatusNamespace, recorderStatusServicePath, soapEnvelope } from '../agent/health/recorder-probe.js';
import type { CameraConfig } from '../lab/recorder/device-config.js';
import { cameraStatusFlags } from '../lab/recorder/device-status.js';
import type { Recorder } from '../lab/recorder/recorder.js';
import { StatusTracker } from '../lab/recorder/status-tracker.js';
import { startWebServer } from '../lab/recorder/web-server.js';
import { readXml } from '../shared/xml.js';
import { assertWellFormedIndependently } from '../recorder-config-sync/validate.js';
import { summarize } from './stats.js';

/** GetVideoDeviceStatistics at most this often: SoapRecorderProbeOptions.statisticsEveryMs's default. */
const statisticsEveryMs = 2_000;
const cameraCounts = [64, 4096] as const;

// ---------------------------------------------------------------------------------------------
// Payloads

type Kind = 'soap' | 'imageserver' | 'config';
type SoapOperation = 'GetCurrentDeviceStatus' | 'GetVideoDeviceStatistics' | 'GetRecordingStorageStatus';

interface Payload {
  readonly label: string;
  readonly kind: Kind;
  /** One run parses every document. */
  readonly documents: readonly string[];
  readonly operation?: SoapOperation;
  readonly cameras?: number;
}

const guidOf = (n: number): string => `0f3f1857-ff89-4e71-b674-${n.toString(16).padStart(12, '0')}`;

/** A stand-in for the lab's Recorder with `count` cameras, all recording, read by the lab's status service. */
function benchRecorder(count: number): Recorder {
  const cameras: CameraConfig[] = Array.from({ length: count }, (_, i) => ({
    id: guidOf(i),
    name: `Camera ${i + 1}`,
    hardwareId: guidOf(0x100000 + i),
    enabled: true,
    streamUrl: `http://127.0.0.1:9/cameras/${i}`,
    streamId: guidOf(0x200000 + i),
    fps: 25,
    width: 1920,
    height: 1080,
    codec: 'JPEG',
    bitrateBps: 4_000_000,
  }));
  const byId = new Map(cameras.map((camera) => [camera.id, camera]));
  const tracker = new StatusTracker();
  const recording = cameraStatusFlags({ enabled: true, started: true, connected: true, connectionFailed: false, overflow: false, writeError: false, repairing: false });
  tracker.update(new Map(cameras.map((camera) => [camera.id, recording])), Date.now());
  const stand = {
    config: { webServerHost: '127.0.0.1', webServerPort: 0 },
    tracker,
    checkToken: () => ({ ok: true }),
    cameras: () => cameras,
    camera: (id: string) => byId.get(id),
    statistics: (id: string) => {
      const camera = byId.get(id);
      return camera && { camera, usedSpaceBytes: 52_613_349_376, fps: 24.96, bps: 3_998_720, imageSizeBytes: 19_994 };
    },
    storageStatus: () => ({ id: guidOf(0xfffff), name: 'Local default', path: 'C:\\MediaDatabase', available: true, usedBytes: 52_613_349_376 * count, freeBytes: 1_099_511_627_776 }),
  };
  return stand as unknown as Recorder;
}

/** The lab's answers to the agent's three probe operations, fetched from the lab's web server. */
async function soapPayloads(count: number): Promise<Payload[]> {
  const server = await startWebServer(benchRecorder(count), pino({ level: 'silent' }));
  const url = `http://127.0.0.1:${server.port}/${recorderStatusServicePath}`;
  const answer = async (operation: SoapOperation, innerXml: string): Promise<Payload> => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${recorderStatusNamespace}/${operation}"` },
      body: soapEnvelope(operation, 'bench-token', innerXml),
    });
    const xml = await res.text();
    if (res.status !== 200) throw new Error(`${operation}: HTTP ${res.status} ${xml.slice(0, 200)}`);
    return { label: `${operation}, ${count} cameras`, kind: 'soap', documents: [xml], operation, cameras: count };
  };
  try {
    // Explicit ids, as the agent sends them: the lab answers an empty list with no devices.
    const deviceIds = `<deviceIds>${Array.from({ length: count }, (_, i) => `<guid>${guidOf(i)}</guid>`).join('')}</deviceIds>`;
    return [await answer('GetCurrentDeviceStatus', deviceIds), await answer('GetVideoDeviceStatistics', deviceIds), await answer('GetRecordingStorageStatus', '')];
  } finally {
    await server.close();
  }
}

function corpus(): string[] {
  const dir = new URL('../recorder-config-sync/fixtures/', import.meta.url);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.xml'))
    .sort()
    .map((name) => readFileSync(new URL(name, dir), 'utf8'));
}

/** ImageServer requests as the lab's client writes them (lab/testing/harness.ts), without the CR LF CR LF. */
function imageServerRequests(): string[] {
  const camera = guidOf(7);
  const token = `eyJhbGciOiJSUzI1NiIsImtpZCI6ImxhYiJ9.${'eyJzdWIiOiJsYWIifQ'.repeat(40)}.${'c2lnbmF0dXJl'.repeat(28)}`;
  const call = (id: number, method: string, body: string): string =>
    `<?xml version="1.0" encoding="utf-8"?><methodcall><requestid>${id}</requestid><methodname>${method}</methodname>${body}</methodcall>`;
  return [
    call(0, 'connect', `<username>a</username><password>a</password><cameraid>${camera}</cameraid><alwaysstdjpeg>yes</alwaysstdjpeg><transcode><allframes>yes</allframes></transcode><connectparam>id=${camera}&amp;connectiontoken=${token}</connectparam>`),
    call(1, 'live', ''),
  ];
}

// ---------------------------------------------------------------------------------------------
// Parsers

interface Candidate {
  readonly name: string;
  readonly parse: Record<Kind, (xml: string) => unknown>;
  /** The pre-write check of recorder-config-sync: true when the parser accepts the document. */
  readonly wellFormed: (xml: string) => boolean;
}

const xml2js: Candidate = {
  name: 'xml2js',
  parse: { soap: (xml) => readXml(xml, { stripPrefixes: true }), imageserver: (xml) => readXml(xml), config: (xml) => readXml(xml) },
  wellFormed: (xml) => {
    try {
      assertWellFormedIndependently(xml);
      return true;
    } catch {
      return false;
    }
  },
};

/** The part of fast-xml-parser's API the bench uses. */
interface FastXmlParser {
  readonly XMLParser: new (options: Record<string, unknown>) => { parse(xml: string): unknown };
  readonly XMLValidator: { validate(xml: string, options: Record<string, unknown>): unknown };
}

/** fast-xml-parser with the options the product had (recorder-probe.ts, image-server/protocol.ts, config-file.ts), when installed. */
async function loadFastXmlParser(): Promise<Candidate | null> {
  const name = 'fast-xml-parser'; // through a variable: the bench type-checks without the package
  let fxp: FastXmlParser;
  try {
    fxp = (await import(name)) as FastXmlParser;
  } catch {
    return null;
  }
  const repeated = new Set(['CameraDeviceStatus', 'VideoDeviceStatistics', 'VideoStreamStatistics', 'StorageStatus']);
  const soap = new fxp.XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, trimValues: true, isArray: (tag: string) => repeated.has(tag) });
  const imageServer = new fxp.XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: true, ignoreDeclaration: true });
  const config = new fxp.XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: true });
  return {
    name: 'fast-xml-parser',
    parse: { soap: (xml) => soap.parse(xml), imageserver: (xml) => imageServer.parse(xml), config: (xml) => config.parse(xml) },
    wellFormed: (xml) => fxp.XMLValidator.validate(xml.replace(/^\uFEFF/, ''), { allowBooleanAttributes: false }) === true,
  };
}

// ---------------------------------------------------------------------------------------------
// Measuring

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Timing {
  readonly wallMs: number[];
  /** Process CPU per run (user + system, so GC helper threads included). */
  readonly cpuMs: number[];
}

/**
 * Times every candidate's `run` in blocks of consecutive runs, so that each pays for the garbage
 * it makes itself (interleaved runs would bill one parser for the other's collections). Two
 * blocks each, in alternating order, spread slow drifts in the machine's load over all of them;
 * CPU time, unlike wall time, does not count the moments other processes held the cores.
 */
function timeInBlocks(runs: ReadonlyArray<() => unknown>, warmup: number, rounds: number): Timing[] {
  const timings = runs.map((): Timing => ({ wallMs: [], cpuMs: [] }));
  for (let block = 0; block < 2; block++) {
    for (let k = 0; k < runs.length; k++) {
      const index = block === 0 ? k : runs.length - 1 - k;
      const run = runs[index] as () => unknown;
      const timing = timings[index] as Timing;
      gc();
      for (let i = 0; i < warmup; i++) run();
      for (let i = 0; i < Math.ceil(rounds / 2); i++) {
        const cpuBefore = process.cpuUsage();
        const start = performance.now();
        run();
        timing.wallMs.push(performance.now() - start);
        const cpu = process.cpuUsage(cpuBefore);
        timing.cpuMs.push((cpu.user + cpu.system) / 1000);
      }
    }
  }
  return timings;
}

const runsFor = (bytes: number): { warmup: number; runs: number } => (bytes > 1_000_000 ? { warmup: 2, runs: 24 } : bytes > 100_000 ? { warmup: 10, runs: 50 } : { warmup: 50, runs: 500 });

/** The object a SOAP answer carries, as parseSoapAnswer finds it (prefixes already stripped). */
function soapResult(document: unknown, operation: SoapOperation): unknown {
  const at = (node: unknown, name: string): unknown => (typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>)[name] : undefined);
  return at(at(at(at(document, 'Envelope'), 'Body'), `${operation}Response`), `${operation}Result`);
}

/** What the agent reads from an answer (shared code, whichever parser built the objects). */
function readAnswer(operation: SoapOperation, result: unknown): unknown {
  if (operation === 'GetCurrentDeviceStatus') return readDeviceStatuses(result);
  if (operation === 'GetVideoDeviceStatistics') return [...readVideoStatistics(result)];
  return readStorageStatuses(result);
}

/** Both parsers must give the agent the same cameras, statistics and storages, or the comparison is void. */
function checkSameReading(payload: Payload, candidates: readonly Candidate[]): void {
  const operation = payload.operation;
  if (operation === undefined) return;
  const readings = candidates.map((c) => JSON.stringify(readAnswer(operation, soapResult(c.parse.soap(payload.documents[0] as string), operation))));
  if (readings.some((r) => r !== readings[0])) throw new Error(`${payload.label}: the parsers disagree on what the agent reads`);
  const entries = (JSON.parse(readings[0] as string) as unknown[]).length;
  const expected = operation === 'GetRecordingStorageStatus' ? 1 : (payload.cameras ?? 0);
  if (entries !== expected) throw new Error(`${payload.label}: read ${entries} entries, expected ${expected}`);
}

const candidates: Candidate[] = [xml2js];
const fastXmlParser = await loadFastXmlParser();
if (fastXmlParser !== null) candidates.push(fastXmlParser);

const payloads: Payload[] = [];
for (const count of cameraCounts) payloads.push(...(await soapPayloads(count)));
payloads.push({ label: `RecorderConfig.xml corpus (${corpus().length} files)`, kind: 'config', documents: corpus() });
payloads.push({ label: 'ImageServer requests (connect, live)', kind: 'imageserver', documents: imageServerRequests() });

const kb = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`);
const ms = (n: number): string => (n < 10 ? n.toFixed(2) : n.toFixed(1)).padStart(7);
const row = (label: string, size: string, cells: readonly string[]): string => `  ${label.padEnd(40)}${size.padStart(9)}${cells.map((c) => c.padStart(36)).join('')}`;
const ratio = (numerator: number, denominator: number): string => `${(numerator / denominator).toFixed(2)}x`;

/** Per payload label and parser: the median wall and CPU ms of one run. */
const results = new Map<string, Map<string, { wall: number; cpu: number }>>();

console.log('xml: parsing into objects, per run (a run parses every document of the payload); wall median / max and CPU median, in ms');
if (fastXmlParser === null) console.log('  (fast-xml-parser is not installed: `npm i --no-save fast-xml-parser@5.12.1` to compare it again)');
console.log(row('payload', 'size', [...candidates.map((c) => `${c.name}: wall / max / cpu`), ...(candidates.length > 1 ? ['xml2js / fxp: wall, cpu'] : [])]));
for (const payload of payloads) {
  checkSameReading(payload, candidates);
  const bytes = payload.documents.reduce((sum, d) => sum + Buffer.byteLength(d), 0);
  const { warmup, runs } = runsFor(bytes);
  const timings = timeInBlocks(candidates.map((c) => () => payload.documents.map(c.parse[payload.kind])), warmup, runs);
  const medians = timings.map((t) => ({ wall: summarize(t.wallMs).median, max: summarize(t.wallMs).max, cpu: summarize(t.cpuMs).median }));
  results.set(payload.label, new Map(candidates.map((c, i) => [c.name, medians[i] as { wall: number; cpu: number }])));
  const cells = medians.map((m) => `${ms(m.wall)} /${ms(m.max)} /${ms(m.cpu)}`);
  const [a, b] = medians;
  console.log(row(payload.label, kb(bytes), [...cells, ...(a !== undefined && b !== undefined ? [`${ratio(a.wall, b.wall)}, ${ratio(a.cpu, b.cpu)}`] : [])]));
}

// The second opinion before a RecorderConfig.xml is written: every corpus file must pass it.
const configDocs = corpus();
const opinions = timeInBlocks(candidates.map((c) => () => configDocs.map(c.wellFormed)), 50, 500);
console.log(
  row('second opinion on the corpus (validate)', kb(configDocs.reduce((sum, d) => sum + Buffer.byteLength(d), 0)), candidates.map((c, i) => {
    const t = opinions[i] as Timing;
    const refused = configDocs.filter((xml) => !c.wellFormed(xml)).length;
    return `${refused > 0 ? `REFUSES ${refused} FILES ` : ''}${ms(summarize(t.wallMs).median)} /${ms(summarize(t.wallMs).max)} /${ms(summarize(t.cpuMs).median)}`;
  })),
);

// The agent's probe: GetCurrentDeviceStatus and GetRecordingStorageStatus every probe,
// GetVideoDeviceStatistics at most every statisticsEveryMs; the readers (shared code) included.
const readerMs = new Map<string, number>();
for (const payload of payloads.filter((p) => p.operation !== undefined)) {
  const operation = payload.operation as SoapOperation;
  const result = soapResult(xml2js.parse.soap(payload.documents[0] as string), operation);
  readerMs.set(payload.label, summarize((timeInBlocks([() => readAnswer(operation, result)], 3, 20)[0] as Timing).wallMs).median);
}
for (const cameras of cameraCounts) {
  const cost = (parser: string, operation: SoapOperation, measure: 'wall' | 'cpu'): number => {
    const label = `${operation}, ${cameras} cameras`;
    return (results.get(label)?.get(parser)?.[measure] ?? Number.NaN) + (readerMs.get(label) ?? 0);
  };
  console.log(`\nagent probe at ${cameras} cameras: status + storage every probe, statistics every ${statisticsEveryMs} ms; parse + read; CPU includes GC threads`);
  for (const candidate of candidates) {
    const shares = (Object.entries(profiles) as Array<[string, { heartbeatIntervalMs: number }]>).map(([profile, p]) => {
      const share = Math.min(1, p.heartbeatIntervalMs / statisticsEveryMs);
      const perProbe = (m: 'wall' | 'cpu'): number => cost(candidate.name, 'GetCurrentDeviceStatus', m) + cost(candidate.name, 'GetRecordingStorageStatus', m) + cost(candidate.name, 'GetVideoDeviceStatistics', m) * share;
      return `${profile} every ${p.heartbeatIntervalMs} ms: ${ms(perProbe('cpu')).trim()} ms CPU per probe = ${((perProbe('cpu') / p.heartbeatIntervalMs) * 100).toFixed(0)}% of a core`;
    });
    const held = cost(candidate.name, 'GetCurrentDeviceStatus', 'wall') + cost(candidate.name, 'GetVideoDeviceStatistics', 'wall');
    console.log(`  ${candidate.name}: ${shares.join('; ')}; event loop held ${ms(held).trim()} ms when status and statistics arrive together`);
  }
}

// Heap for one 4096-camera GetCurrentDeviceStatus answer: growth from before a parse to its end
// (young-generation collections during the parse hide part of the garbage), and what a result
// keeps (three results kept, averaged); RSS growth over the one parse alongside.
const top = cameraCounts[cameraCounts.length - 1];
const statusAnswer = payloads.find((p) => p.cameras === top && p.operation === 'GetCurrentDeviceStatus')?.documents[0] as string;
const mb = (bytes: number): string => `${bytes < 0 ? '' : '+'}${(bytes / 1024 / 1024).toFixed(1)} MB`;
const settledHeap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
console.log(`\nmemory, one GetCurrentDeviceStatus answer at ${top} cameras (${kb(Buffer.byteLength(statusAnswer))})`);
for (const candidate of candidates) {
  const base = settledHeap();
  const rssBefore = process.memoryUsage().rss;
  const kept = [candidate.parse.soap(statusAnswer)];
  const end = process.memoryUsage();
  kept.push(candidate.parse.soap(statusAnswer), candidate.parse.soap(statusAnswer));
  const perResult = (settledHeap() - base) / kept.length;
  kept.length = 0; // released before the next parser's baseline
  console.log(`  ${candidate.name}: heap ${mb(end.heapUsed - base)} at the end of the parse, ${mb(perResult)} kept by a result; RSS ${mb(end.rss - rssBefore)}`);
}

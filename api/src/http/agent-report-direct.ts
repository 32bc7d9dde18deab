// POST /api/v1/agent/report answered on Node's own request and response, before express sees
// it. Every agent reports every second: at a site's 1,000 agents, express's request and response
// set-up, its router and its JSON body parser cost a report about as much as everything the
// report does (bench/scale.bench.ts's CPU profile; bare node:http with JSON.parse took a third
// of the time express with express.json took for the same body). Only the plain case is taken
// here: POST of that exact path without a query string, a body declared (Content-Length or
// chunked), JSON in UTF-8 and not compressed. Everything else (a query string, another type,
// charset or encoding, no body) goes on to express, whose agent stack (agent-calls.ts) answers
// it as before. What a report gets here is what it got there: the body bounded before it is read
// on, strict JSON, the secret checked before the body (routes/agent-link.ts reportAnswer), the
// security headers, a metric, a log line (debug when taken), and problem+json for every error.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { writeProblem } from '../../../shared/problem.js';
import type { AgentLinkService } from '../agent-link/agent-link.js';
import type { CheckedCameras } from '../agent-link/report-body.js';
import type { ControllerMetrics } from './metrics.js';
import { problemAnswer, problemForError, type ProblemFor } from './problem.js';
import { logRequest } from './request-logging.js';
import { reportAnswer } from './routes/agent-link.js';
import { apiAnswerHeaders } from './security-headers.js';

const reportPath = '/api/v1/agent/report';
/** JSON, as express.json takes it (`application/json`, `application/*+json`), in UTF-8 or without a charset. */
const jsonType = /^application\/(?:json|[^\s/;]+\+json)\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

export interface DirectReportOptions {
  readonly agents: AgentLinkService;
  readonly checked: CheckedCameras;
  readonly log: Logger;
  readonly metrics: Pick<ControllerMetrics, 'observe'>;
  /** Largest body taken. */
  readonly bodyLimitBytes: number;
  /** Hold answers to the document's schema (http.validateResponses). */
  readonly checkAnswers: boolean;
}

/** Whether this path takes the request (else express answers it). */
export function isDirectReport(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || req.url !== reportPath) return false;
  const h = req.headers;
  const declared = h['transfer-encoding'] !== undefined || (h['content-length'] !== undefined && h['content-length'] !== '0');
  const encoding = h['content-encoding'];
  return declared && (encoding === undefined || encoding.toLowerCase() === 'identity') && jsonType.test(h['content-type'] ?? '');
}

/**
 * A handler for node:http's `request` event: true when it took the request (it answers it),
 * false when express should.
 *
 * @example createServer((req, res) => direct(req, res) || app(req, res))
 */
export function directAgentReports(o: DirectReportOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (!isDirectReport(req)) return false;
    const startNs = process.hrtime.bigint();
    logRequest(o.log, 'debug', req, res);
    res.once('finish', () => o.metrics.observe('POST', reportPath, res.statusCode, Number(process.hrtime.bigint() - startNs) / 1e9));
    void answer(o, req, res);
    return true;
  };
}

async function answer(o: DirectReportOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const raw = await bodyOf(req, o.bodyLimitBytes);
    if (raw === null) return; // the client went away
    const json = JSON.stringify(await reportAnswer(o.agents, o.checked, raw, req.headers, o.checkAnswers));
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(json)), ...apiAnswerHeaders });
    res.end(json);
  } catch (err) {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const p: ProblemFor = err instanceof BodyProblem ? err.problem : problemForError(err, o.log);
    const { problem, headers } = problemAnswer(p, reportPath);
    // A body refused before it was read whole: the connection closes, rather than reading on what nobody wants.
    if (err instanceof BodyProblem && !req.complete) headers.connection = 'close';
    writeProblem(res, problem, { ...headers, ...apiAnswerHeaders });
  }
}

class BodyProblem extends Error {
  constructor(readonly problem: ProblemFor) {
    super(problem.detail);
  }
}

/** The body as parsed JSON (an object or array, as express.json's strict mode takes it), at most `limit` bytes; null when the client left. */
function bodyOf(req: IncomingMessage, limit: number): Promise<unknown> {
  const tooLarge = (): BodyProblem => new BodyProblem({ type: 'body-too-large', detail: `The request body exceeds the limit of ${limit} bytes` });
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const done = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onGone);
      req.off('error', onGone);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > limit) {
        done();
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      const text = (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, bytes)).toString('utf8');
      // Strict: an object or an array, as express.json's strict mode.
      const first = /\S/.exec(text)?.[0];
      if (first !== '{' && first !== '[') return reject(malformed());
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(malformed());
      }
    };
    const onGone = (): void => {
      done();
      resolve(null);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onGone);
    req.on('error', onGone);
  });
}

const malformed = (): BodyProblem => new BodyProblem({ type: 'malformed-json', detail: 'The request body is not valid JSON' });

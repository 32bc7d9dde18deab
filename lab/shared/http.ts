import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeProblem } from '../../shared/problem.js';

/** Largest request body any lab endpoint accepts; every body is read with this bound. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a request body, rejecting bodies over `maxBytes` (the socket is then destroyed). */
export function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new Error(`request body over ${maxBytes} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parses a JSON body; an empty body is `{}`. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  if (body.length === 0) return {};
  return JSON.parse(body.toString('utf8')) as unknown;
}

export function sendJson(res: ServerResponse, statusCode: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(statusCode, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A problem+json error (RFC 9457), the project's error shape for HTTP APIs. */
export function sendProblem(res: ServerResponse, statusCode: number, title: string, detail?: string): void {
  writeProblem(res, { type: 'about:blank', title, status: statusCode, ...(detail === undefined ? {} : { detail }) });
}

export interface FetchJsonOptions {
  readonly method?: string;
  readonly body?: unknown;
  readonly form?: Record<string, string>;
  readonly bearer?: string;
  readonly timeoutMs: number;
}

export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
}

/** fetch() with a timeout on the whole exchange and a JSON (or form) body; the reply body is parsed as JSON when it is JSON. */
export async function fetchJson(url: string, options: FetchJsonOptions): Promise<JsonResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  const res = await fetch(url, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal: AbortSignal.timeout(options.timeoutMs) });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: type.includes('json') && text.length > 0 ? (JSON.parse(text) as unknown) : text };
}

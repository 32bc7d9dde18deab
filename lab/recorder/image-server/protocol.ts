import { readXml } from '../../../shared/xml.js';
import type { Sequence } from '../sequences.js';

/**
 * The ImageServer protocol subset (TCP on the recorder's web server port): requests are
 * single XML documents `<methodcall>…</methodcall>`, responses `<methodresponse>…</methodresponse>`
 * or image responses with HTTP-like headers; every request and response ends with CR LF CR LF.
 * Pure encoding and decoding.
 */

export const TERMINATOR = Buffer.from('\r\n\r\n', 'latin1');
/** Largest request accepted; a longer one closes the connection. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** Splits the incoming byte stream into requests at CR LF CR LF. */
export class RequestFramer {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const requests: string[] = [];
    for (let guard = 0; guard < 1000; guard += 1) {
      const end = this.buffer.indexOf(TERMINATOR);
      if (end < 0) break;
      const text = this.buffer.subarray(0, end).toString('utf8').trim();
      this.buffer = this.buffer.subarray(end + TERMINATOR.length);
      if (text.length > 0) requests.push(text);
    }
    if (this.buffer.length > MAX_REQUEST_BYTES) throw new Error(`request over ${MAX_REQUEST_BYTES} bytes`);
    return requests;
  }
}

export interface MethodCall {
  readonly requestId: string;
  readonly methodName: string;
  /** Child elements as text; nested elements flattened with '/' (transcode/allframes). */
  readonly params: Readonly<Record<string, string>>;
}

function flatten(value: unknown, prefix: string, into: Record<string, string>): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) flatten(child, prefix === '' ? key.toLowerCase() : `${prefix}/${key.toLowerCase()}`, into);
    return;
  }
  into[prefix] = Array.isArray(value) ? String(value[0] ?? '') : String(value);
}

/** Parses one request. Throws if it is not a `<methodcall>` with a `<methodname>`. */
export function parseMethodCall(text: string): MethodCall {
  const doc = readXml(text);
  const call = doc.methodcall;
  if (typeof call !== 'object' || call === null) throw new Error('not a <methodcall>');
  const params: Record<string, string> = {};
  flatten(call, '', params);
  const methodName = (params.methodname ?? '').toLowerCase();
  if (methodName === '') throw new Error('<methodname> missing');
  return { requestId: params.requestid ?? '0', methodName, params };
}

/** Parses `connectparam`: `id=<camera guid>&connectiontoken=<token>[&streamid=<guid>]`. */
export function parseConnectParam(text: string): { id?: string; token?: string; streamId?: string } {
  const values = new URLSearchParams(text);
  const id = values.get('id') ?? undefined;
  const token = values.get('connectiontoken') ?? undefined;
  const streamId = values.get('streamid') ?? undefined;
  return { ...(id === undefined ? {} : { id }), ...(token === undefined ? {} : { token }), ...(streamId === undefined ? {} : { streamId }) };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A `<methodresponse>` with the given child elements (in order). */
export function methodResponse(requestId: string, methodName: string, fields: ReadonlyArray<readonly [string, string]>, rawXml = ''): Buffer {
  const children = fields.map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`).join('');
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><methodresponse><requestid>${escapeXml(requestId)}</requestid><methodname>${escapeXml(methodName)}</methodname>${children}${rawXml}</methodresponse>\r\n\r\n`,
    'utf8',
  );
}

/** The `alarms` response: one `<alarm>` per recorded sequence, times in ms since the Unix epoch. */
export function alarmsResponse(requestId: string, sequences: readonly Sequence[]): Buffer {
  const alarms = sequences.map((s) => `<alarm starttime="${s.beginMs}" endtime="${s.endMs}" alarmtime="${s.beginMs}"/>`).join('');
  return methodResponse(requestId, 'alarms', [], `<alarms>${alarms}</alarms>`);
}

export interface ImageHeaders {
  readonly requestId: string;
  readonly currentMs: number;
  readonly nextMs: number;
  readonly prevMs: number;
  readonly contentType: string;
}

/** An image response: `ImageResponse` and headers, a blank line, the image, then CR LF CR LF. */
export function imageResponse(headers: ImageHeaders, image: Buffer): Buffer {
  const head =
    `ImageResponse\r\nRequestId: ${headers.requestId}\r\nCurrent: ${headers.currentMs}\r\nNext: ${headers.nextMs}\r\nPrev: ${headers.prevMs}\r\n` +
    `Content-type: ${headers.contentType}\r\nContent-length: ${image.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), image, TERMINATOR]);
}

export interface ParsedImage {
  readonly headers: Readonly<Record<string, string>>;
  readonly image: Buffer;
}

/**
 * Client side: splits a byte stream into responses (XML documents or images). Used by tests
 * and by anything in the lab that plays the client.
 */
export class ResponseReader {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Array<{ kind: 'xml'; text: string } | ({ kind: 'image' } & ParsedImage)> {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: Array<{ kind: 'xml'; text: string } | ({ kind: 'image' } & ParsedImage)> = [];
    for (let guard = 0; guard < 10_000; guard += 1) {
      while (this.buffer.length >= 2 && this.buffer[0] === 0x0d && this.buffer[1] === 0x0a) this.buffer = this.buffer.subarray(2);
      const end = this.buffer.indexOf(TERMINATOR);
      if (end < 0) break;
      if (this.buffer[0] === 0x3c) {
        out.push({ kind: 'xml', text: this.buffer.subarray(0, end).toString('utf8') });
        this.buffer = this.buffer.subarray(end + TERMINATOR.length);
        continue;
      }
      const headers: Record<string, string> = {};
      for (const line of this.buffer.subarray(0, end).toString('latin1').split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? -1);
      if (!Number.isSafeInteger(length) || length < 0) throw new Error('image response without Content-length');
      const start = end + TERMINATOR.length;
      if (this.buffer.length < start + length + TERMINATOR.length) break;
      out.push({ kind: 'image', headers, image: Buffer.from(this.buffer.subarray(start, start + length)) });
      this.buffer = this.buffer.subarray(start + length + TERMINATOR.length);
    }
    return out;
  }
}

// One POST of one payload to one webhook, bounded by a timeout. Redirects are not followed
// (a 3xx is a failure like any non-2xx): the signed body goes to the URL the admin set, nowhere
// else. The answer's body is read (bounded) only to free the connection.
import { signatureHeader, signatureHeaderName } from './signature.js';

export interface WebhookRequest {
  readonly url: string;
  readonly secret: string;
  readonly body: string;
  readonly eventId: string;
  readonly attempt: number;
  readonly userAgent: string;
  readonly timeoutMs: number;
}

export type WebhookSendOutcome =
  | { readonly ok: true; readonly httpStatus: number; readonly durationMs: number }
  | { readonly ok: false; readonly httpStatus: number | null; readonly error: string; readonly durationMs: number };

export type WebhookSend = (request: WebhookRequest) => Promise<WebhookSendOutcome>;

/** Longest error text kept (the delivery log's column). */
export const errorLengthMax = 512;
/** Bytes of an answer read at most before the connection is let go. */
const answerBytesMax = 64 * 1024;

/** Cuts an error text to the log column, without control characters. */
export function errorText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, errorLengthMax);
}

/** Why fetch failed, in a line: its cause's code and message when it has one (ECONNREFUSED …). */
function describeFailure(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `no answer within ${timeoutMs} ms`;
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause !== undefined && typeof cause.message === 'string') return typeof cause.code === 'string' && !cause.message.includes(cause.code) ? `${cause.code}: ${cause.message}` : cause.message;
  return err instanceof Error ? err.message : String(err);
}

async function drain(res: Response): Promise<void> {
  const reader = res.body?.getReader();
  if (reader === undefined) return;
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      bytes += value.byteLength;
      if (bytes > answerBytesMax) break;
    }
    await reader.cancel();
  } catch {
    // The answer is not needed; a broken one changes nothing.
  }
}

/** Sends with Node's fetch (undici). Never throws: every failure is an outcome. */
export const sendWebhook: WebhookSend = async (r) => {
  const started = performance.now();
  const signal = AbortSignal.timeout(r.timeoutMs);
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    const res = await fetch(r.url, {
      method: 'POST',
      redirect: 'manual',
      signal,
      headers: {
        'content-type': 'application/json',
        'user-agent': r.userAgent,
        [signatureHeaderName]: signatureHeader(r.secret, Math.floor(Date.now() / 1000), r.body),
        'X-Twinrec-Event-Id': r.eventId,
        'X-Twinrec-Delivery-Attempt': String(r.attempt),
      },
      body: r.body,
    });
    await drain(res);
    if (res.status >= 200 && res.status < 300) return { ok: true, httpStatus: res.status, durationMs: elapsed() };
    return { ok: false, httpStatus: res.status, error: `HTTP ${res.status}${res.statusText === '' ? '' : ` ${errorText(res.statusText)}`}`, durationMs: elapsed() };
  } catch (err) {
    return { ok: false, httpStatus: null, error: errorText(describeFailure(err, signal.aborted, r.timeoutMs)), durationMs: elapsed() };
  }
};

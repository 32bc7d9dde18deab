// Why an HTTP request to the recorder, the IDP or the Management Server failed, in words that
// are safe to show and log: an error's code, never its URL, body or headers (which may carry a
// token or a password).
import { readBodyBounded } from '../../shared/http-body.js';

/** A request failure whose `reason` is safe to show (no secrets). */
export class RequestFailure extends Error {
  override readonly name: string = 'RequestFailure';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Why a fetch failed, in a few words (the error's code, never its URL or body). */
export function requestFailureReason(err: unknown, timeoutMs: number): string {
  if (err instanceof RequestFailure) return err.reason;
  const error = err as { name?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (error.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  if (error.name === 'AbortError') return 'aborted';
  const code = typeof error.cause?.code === 'string' ? error.cause.code : null;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connect timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'CERT_PIN_MISMATCH':
      return "the server's certificate is not the pinned one: nothing was sent";
    case null:
      return 'request failed';
    default:
      return `request failed (${code})`;
  }
}

/** Reads a body of at most `maxBytes`; a larger one is a RequestFailure. */
export async function readBoundedOrFail(res: Response, maxBytes: number): Promise<string> {
  const text = await readBodyBounded(res, maxBytes);
  if (text === null) throw new RequestFailure(`answer larger than ${maxBytes} bytes`);
  return text;
}

/** Waits for `promise` unless `signal` aborts first (then rejects with the signal's reason). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err as Error);
      },
    );
  });
}

// Sends one generic event to an Event Server's data source over TCP and judges its echo
// (wire-format.ts). One connection per event, as Milestone's TriggerGenericEvent sample and
// MilestonePSTools' Send-GenericEvent do: connect, write the text (+ separator), read the echo,
// close. Compatible has no separator, so the Event Server takes the event when we close.
// Every step is bounded: the connection and the echo by readTimeoutMs, the echo's size by
// echoBytesMax.
import { connect, type Socket } from 'node:net';
import type { EventServerTarget } from './settings.js';
import { echoBytesMax, eventBytes, judgeEcho, type EchoStatistics } from './wire-format.js';

/** Why a send failed. */
export type SendFailureReason =
  /** The data source answered "No access": the controller's address is not among its allowed addresses. */
  | 'no-access'
  /** No connection: refused (the data source is disabled, or another port), unknown host, unreachable network. */
  | 'unreachable'
  /** No connection or no echo within readTimeoutMs. */
  | 'timeout'
  /** The echo is not what the data source's format promises. */
  | 'bad-echo';

type Verdict = { readonly ok: true; readonly statistics: EchoStatistics | null } | { readonly ok: false; readonly reason: SendFailureReason; readonly detail: string };

/** What became of one send, and how long it took. */
export type SendOutcome = Verdict & { readonly elapsedMs: number };

/** A function that sends one event: the notifier's seam, so that its tests can use a real server on another port. */
export type GenericEventSend = (target: SendTarget, message: string) => Promise<SendOutcome>;

export type SendTarget = Omit<EventServerTarget, 'host'> & { readonly host: string };

/**
 * After the first bytes of an echo that is not complete yet (no CR LF), how long to wait for the
 * rest before judging what came: TriggerGenericEventStream reads one Receive and copes with an
 * echo without CR LF, so a real Event Server may send none.
 */
const echoSettleMs = 150;

/**
 * @example
 *   const outcome = await sendGenericEvent({ host: '10.0.0.5', port: 1235, format: 'international', readTimeoutMs: 2000 }, 'twinrec failover pair-1: rs-b serves');
 *   // { ok: true, statistics: { requestNumber: 1, characters: 36, matches: 1, eventName: 'twinrec failover' }, elapsedMs: 3 }
 */
export function sendGenericEvent(target: SendTarget, message: string): Promise<SendOutcome> {
  const started = performance.now();
  const sent = eventBytes(message, target.format);
  const where = `the Event Server at ${target.host}:${target.port}`;
  return new Promise<SendOutcome>((resolve) => {
    let received = Buffer.alloc(0);
    let settled = false;
    let settleTimer: NodeJS.Timeout | null = null;
    const socket: Socket = connect({ host: target.host, port: target.port });
    const finish = (outcome: Verdict): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (settleTimer !== null) clearTimeout(settleTimer);
      // Compatible: the close is what makes the Event Server take the event, so end politely (FIN) and let go.
      socket.end();
      socket.setTimeout(1_000, () => socket.destroy());
      resolve({ ...outcome, elapsedMs: Math.round(performance.now() - started) });
    };
    const judge = (closed: boolean): void => {
      const verdict = judgeEcho(received, sent, target.format, closed);
      if (verdict.kind === 'accepted') finish({ ok: true, statistics: verdict.statistics });
      else if (verdict.kind === 'no-access') finish({ ok: false, reason: 'no-access', detail: `${where} answered "No access": add this controller's address to the data source's allowed external addresses (Management Client: Tools > Options > Generic Events)` });
      else if (verdict.kind === 'bad-echo') finish({ ok: false, reason: 'bad-echo', detail: verdict.detail });
      else if (closed) finish({ ok: false, reason: 'bad-echo', detail: `${where} closed the connection without an echo` });
    };
    const deadline = setTimeout(() => {
      if (received.length > 0) judge(true);
      if (!settled) finish({ ok: false, reason: 'timeout', detail: `${where} ${socket.connecting ? 'did not accept the connection' : 'sent no echo'} within ${target.readTimeoutMs} ms` });
    }, target.readTimeoutMs);
    socket.setNoDelay(true);
    socket.once('connect', () => socket.write(sent));
    socket.on('data', (chunk: Buffer) => {
      if (settled) return;
      received = Buffer.concat([received, chunk]);
      if (received.length > echoBytesMax(sent)) {
        finish({ ok: false, reason: 'bad-echo', detail: `${where} sent more than ${echoBytesMax(sent)} bytes of echo` });
        return;
      }
      judge(false);
      if (!settled) {
        if (settleTimer !== null) clearTimeout(settleTimer);
        settleTimer = setTimeout(() => judge(true), echoSettleMs);
      }
    });
    socket.on('end', () => judge(true));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (received.length > 0) judge(true);
      finish({ ok: false, reason: 'unreachable', detail: `${where} cannot be reached (${err.code ?? err.message})${err.code === 'ECONNREFUSED' ? ': is the generic-event data source enabled (disabled by default since 2025 R1) and on this port?' : ''}` });
    });
    socket.on('close', () => {
      if (!settled) judge(true);
      if (!settled) finish({ ok: false, reason: 'bad-echo', detail: `${where} closed the connection without an echo` });
    });
  });
}

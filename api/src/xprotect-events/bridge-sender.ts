// The controller's generic events through the VMS bridge (`vms.bridge: edge`): Twinrec.Bridge's
// SendGenericEvent writes the text to the Event Server's International data source and reads
// its echo, where sender.ts does the same in TypeScript. The outcome speaks sender.ts's terms.
import type { VmsBridge } from '../../../shared/vms-bridge/bridge.js';
import type { GenericEventSend, SendFailureReason, SendOutcome, SendTarget } from './sender.js';

const detailLengthMax = 300;

/**
 * The failure class of a bridge rejection: GenericEventSender.cs says `No access: …`, `no echo
 * within N ms`, a SocketError name (ConnectionRefused, HostNotFound, …) or what is wrong with the echo.
 */
export function failureReasonOf(message: string): SendFailureReason {
  if (/No access/i.test(message)) return 'no-access';
  if (/no echo within|TimedOut/i.test(message)) return 'timeout';
  if (/ConnectionRefused|HostNotFound|HostUnreachable|NetworkUnreachable|NetworkDown|TryAgain|NoData|AddressNotAvailable/i.test(message)) return 'unreachable';
  return 'bad-echo';
}

/**
 * A GenericEventSend over the bridge. The bridge speaks the International format only (text +
 * CR LF): a target set to Compatible is not sent, and the outcome says why.
 *
 * @example
 *   const send = bridgeGenericEventSend(loadEdgeBridge({}));
 *   await send({ host: '10.0.0.5', port: 1235, format: 'international', readTimeoutMs: 2000 }, 'twinrec failover'); // { ok: true, statistics: {…}, elapsedMs }
 */
export function bridgeGenericEventSend(bridge: VmsBridge): GenericEventSend {
  return async (target: SendTarget, message: string): Promise<SendOutcome> => {
    const started = performance.now();
    const elapsedMs = (): number => Math.round(performance.now() - started);
    const where = `the Event Server at ${target.host}:${target.port}`;
    if (target.format !== 'international') {
      // 'unreachable': the four reasons are the API's and the metrics'; the detail says why.
      return { ok: false, reason: 'unreachable', detail: `not sent to ${where}: the controller runs with vms.bridge edge, and Twinrec.Bridge sends the International format only; set the data source's format to international, or run the controller with vms.bridge native`, elapsedMs: 0 };
    }
    try {
      const receipt = await bridge.sendGenericEvent({ host: target.host, port: target.port, readTimeoutMs: target.readTimeoutMs }, message);
      return { ok: true, statistics: receipt, elapsedMs: elapsedMs() };
    } catch (err) {
      const text = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim().slice(0, detailLengthMax);
      return { ok: false, reason: failureReasonOf(text), detail: `${where} through the edge bridge: ${text}`, elapsedMs: elapsedMs() };
    }
  };
}

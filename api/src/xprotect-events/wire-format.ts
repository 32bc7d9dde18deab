// The bytes of a generic event on the wire and what the Event Server answers. Pure.
//
// Public sources (xprotect-integration.md section 4):
// - DOC-GE: "International" separates events with CR LF (13,10), UTF-8, echo "Statistics";
//   "Compatible" has no separator, the ANSI code page, echo "All bytes".
// - MilestonePSTools SendGenericEvent.cs (github milestonesys/MilestonePSTools @ 506bca0,
//   src/MilestonePSTools/EventCommands/SendGenericEvent.cs): writes the string, then the data
//   source's separator bytes; with an echo, reads one reply; a reply "No access" means the
//   sender's address is not among the data source's allowed addresses; a "Statistics" echo is
//   `[reqNo],[chars],[matches],[event name]`, split on the first three commas; without a
//   separator "the Event Server can only process the generic event message after the
//   connection is closed".
// - mipsdk-samples-protocol TriggerGenericEventStream/Form1.cs (@ 3f42081): UTF-8 text + 13,10
//   per event on port 1235, one Receive of the echo after each; the echo may end with CR LF.
import type { GenericEventFormat } from './settings.js';

/** The reply of a data source whose allowed addresses do not include the sender (SendGenericEvent.cs). */
export const noAccessReply = 'No access';

/** International's separator: CR LF. */
export const internationalSeparator = Buffer.from([13, 10]);

/** A "Statistics" echo: the request's number, its length in characters, how many generic events matched, and the (first) one that did. */
export interface EchoStatistics {
  readonly requestNumber: number;
  readonly characters: number;
  readonly matches: number;
  readonly eventName: string;
}

/**
 * Windows-1252 (the ANSI code page of a Western-European Windows, where the Event Server
 * runs) for 0x80–0x9F; the rest of 0x00–0xFF is ISO 8859-1. Characters it lacks become `?`,
 * as .NET's Encoding.GetEncoding(1252) writes them by default.
 */
const cp1252High: ReadonlyMap<number, number> = new Map([
  [0x20ac, 0x80], [0x201a, 0x82], [0x0192, 0x83], [0x201e, 0x84], [0x2026, 0x85], [0x2020, 0x86], [0x2021, 0x87], [0x02c6, 0x88],
  [0x2030, 0x89], [0x0160, 0x8a], [0x2039, 0x8b], [0x0152, 0x8c], [0x017d, 0x8e], [0x2018, 0x91], [0x2019, 0x92], [0x201c, 0x93],
  [0x201d, 0x94], [0x2022, 0x95], [0x2013, 0x96], [0x2014, 0x97], [0x02dc, 0x98], [0x2122, 0x99], [0x0161, 0x9a], [0x203a, 0x9b],
  [0x0153, 0x9c], [0x017e, 0x9e], [0x0178, 0x9f],
]);

/** Encodes text in Windows-1252; unmappable characters become `?`. */
export function encodeAnsi(text: string): Buffer {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) bytes.push(code);
    else bytes.push(cp1252High.get(code) ?? 0x3f);
  }
  return Buffer.from(bytes);
}

/**
 * The bytes to send for one generic event.
 *
 * @example
 *   eventBytes('twinrec failover', 'international') // <Buffer 74 77 … 0d 0a>: UTF-8 + CR LF
 *   eventBytes('café', 'compatible')                  // <Buffer 63 61 66 e9>: Windows-1252, no separator
 */
export function eventBytes(message: string, format: GenericEventFormat): Buffer {
  return format === 'international' ? Buffer.concat([Buffer.from(message, 'utf8'), internationalSeparator]) : encodeAnsi(message);
}

/** What the echo received so far says. */
export type EchoVerdict =
  /** Wait for more bytes. */
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'accepted'; readonly statistics: EchoStatistics | null }
  | { readonly kind: 'no-access' }
  | { readonly kind: 'bad-echo'; readonly detail: string };

/** Longest echo read: a statistics line, or the bytes sent (Compatible echoes them all) with room for a CR LF. */
export function echoBytesMax(sent: Buffer): number {
  return Math.max(1_024, sent.length + 2);
}

/**
 * Judges the echo received after sending `sent`. `closed`: the Event Server closed the
 * connection (nothing more will come).
 *
 * @example
 *   judgeEcho(Buffer.from('7,16,1,Twinrec failover\r\n'), sent, 'international', false) // accepted, statistics { requestNumber: 7, characters: 16, matches: 1, eventName: 'Twinrec failover' }
 *   judgeEcho(Buffer.from('No access'), sent, 'international', true)                     // { kind: 'no-access' }
 */
export function judgeEcho(received: Buffer, sent: Buffer, format: GenericEventFormat, closed: boolean): EchoVerdict {
  const text = received.toString(format === 'international' ? 'utf8' : 'latin1');
  if (text.startsWith(noAccessReply) && !sent.subarray(0, noAccessReply.length).equals(Buffer.from(noAccessReply))) return { kind: 'no-access' };
  if (format === 'compatible') {
    if (received.length < sent.length) return closed ? { kind: 'bad-echo', detail: `the Event Server echoed ${received.length} of ${sent.length} bytes, then closed the connection` } : { kind: 'incomplete' };
    if (!received.subarray(0, sent.length).equals(sent)) return { kind: 'bad-echo', detail: 'the Event Server echoed other bytes than those sent: is the data source set to echo "All bytes", and is this a generic-event data source?' };
    return { kind: 'accepted', statistics: null };
  }
  const end = text.indexOf('\r\n');
  if (end < 0 && !closed) return { kind: 'incomplete' };
  const line = end < 0 ? text : text.slice(0, end);
  const statistics = parseStatistics(line);
  return statistics === null ? { kind: 'bad-echo', detail: `the Event Server's echo is not "[reqNo],[chars],[matches],[event name]": ${JSON.stringify(line.slice(0, 80))} (is the data source set to echo "Statistics"?)` } : { kind: 'accepted', statistics };
}

/** Parses `[reqNo],[chars],[matches],[event name]` (the name may hold commas, or be absent); null if it is not that. */
export function parseStatistics(line: string): EchoStatistics | null {
  const match = /^(\d{1,10}),(\d{1,10}),(\d{1,10})(?:,(.*))?$/s.exec(line);
  if (match === null) return null;
  return { requestNumber: Number(match[1]), characters: Number(match[2]), matches: Number(match[3]), eventName: match[4] ?? '' };
}

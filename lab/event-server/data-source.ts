// One generic-event data source of the lab's Event Server stand-in, as XProtect's Management
// Client describes it (Tools > Options > Generic Events; DOC-GE in
// /work/shared/docs/xprotect-integration.md section 4), and what it does with the bytes of one
// TCP connection. Pure: server.ts owns the sockets.
//
// The two default data sources (DOC-GE):
//   Compatible     TCP, port 1234, no separator, echo "All bytes", ANSI code page
//   International  TCP, port 1235, separator 13,10 (CR LF), echo "Statistics", UTF-8
// Both are "local host only" unless external addresses are allowed; a sender outside the list
// gets the reply "No access" (MilestonePSTools SendGenericEvent.cs @ 506bca0). Without a
// separator the Event Server takes the message when the connection closes (same source).
// The statistics echo is `[reqNo],[chars],[matches],[event name]` (DOC-GE, SendGenericEvent.cs);
// the lab ends it with CR LF, as TriggerGenericEventStream (mipsdk-samples-protocol @ 3f42081)
// expects an echo may end.

export type EchoMode = 'statistics' | 'all-bytes' | 'none';

export interface DataSourceSettings {
  /** `International` or `Compatible`. */
  readonly name: string;
  /** Separator bytes (DataSourceSeparator), or none: the message ends with the connection. */
  readonly separator: Buffer | null;
  readonly echo: EchoMode;
  /** DataSourceEncoding: UTF-8, or the Windows ANSI code page 1252. */
  readonly encoding: 'utf-8' | 'windows-1252';
}

export const internationalDataSource: DataSourceSettings = { name: 'International', separator: Buffer.from([13, 10]), echo: 'statistics', encoding: 'utf-8' };
export const compatibleDataSource: DataSourceSettings = { name: 'Compatible', separator: null, echo: 'all-bytes', encoding: 'windows-1252' };

/** A generic event defined in XProtect: its name and a Search expression (the text must contain it). */
export interface GenericEventDefinition {
  readonly name: string;
  readonly expression: string;
}

export const noAccessReply = 'No access';

/** Largest message the stand-in takes on one connection before it closes it. */
export const messageBytesMax = 64 * 1024;

/**
 * Whether a sender may send: it is on the Event Server's own host (local host only, the
 * default) or among the allowed external addresses (DataSourceAllowed, DataSourceAllowed6).
 * IPv4-mapped IPv6 addresses count as their IPv4 address.
 *
 * @example
 *   isAllowed('127.0.0.1', ['127.0.0.1', '::1'], []) // true
 *   isAllowed('10.0.0.9', ['127.0.0.1'], [])          // false: "No access"
 */
export function isAllowed(address: string | undefined, localAddresses: readonly string[], allowed: readonly string[]): boolean {
  if (address === undefined) return false;
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return localAddresses.includes(plain) || allowed.includes(plain);
}

/** What the Event Server makes of one message: the generic events whose expression it contains. */
export function matchesOf(text: string, definitions: readonly GenericEventDefinition[]): GenericEventDefinition[] {
  return definitions.filter((d) => text.includes(d.expression));
}

/** The "Statistics" echo of one message, CR LF ended. */
export function statisticsEcho(requestNumber: number, text: string, matches: readonly GenericEventDefinition[]): Buffer {
  return Buffer.from(`${requestNumber},${text.length},${matches.length},${matches[0]?.name ?? ''}\r\n`, 'utf8');
}

/**
 * Windows-1252's 0x80–0x9F (0x81, 0x8D, 0x8F, 0x90, 0x9D are unassigned: U+FFFD); the rest is
 * ISO 8859-1. By hand: Node's TextDecoder('windows-1252') decodes these bytes as Latin-1.
 */
const cp1252High = '€\uFFFD‚ƒ„…†‡ˆ‰Š‹Œ\uFFFDŽ\uFFFD\uFFFD‘’“”•–—˜™š›œ\uFFFDžŸ';

export function decode(bytes: Buffer, settings: DataSourceSettings): string {
  if (settings.encoding === 'utf-8') return new TextDecoder('utf-8').decode(bytes);
  let text = '';
  for (const byte of bytes) text += byte >= 0x80 && byte <= 0x9f ? cp1252High[byte - 0x80] : String.fromCharCode(byte);
  return text;
}

/**
 * Splits what a connection sent so far into complete messages (by the separator) and the rest.
 * Without a separator nothing is complete until the connection closes.
 *
 * @example
 *   splitMessages(Buffer.from('a\r\nb\r\nc'), Buffer.from('\r\n')) // { messages: [<a>, <b>], rest: <c> }
 */
export function splitMessages(buffer: Buffer, separator: Buffer | null): { messages: Buffer[]; rest: Buffer } {
  if (separator === null) return { messages: [], rest: buffer };
  const messages: Buffer[] = [];
  let start = 0;
  for (let at = buffer.indexOf(separator, start); at >= 0; at = buffer.indexOf(separator, start)) {
    messages.push(buffer.subarray(start, at));
    start = at + separator.length;
  }
  return { messages, rest: buffer.subarray(start) };
}

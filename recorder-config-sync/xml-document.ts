// A lossless, bounded XML reader for RecorderConfig.xml.
//
// Every node keeps the character span it came from, so re-serializing an unchanged document
// gives back the very same bytes (declaration, attribute order and quotes, `<x />`, comments,
// CDATA, whitespace, line endings), and an edit can replace exactly the span it changes.
// It reads the XML that a configuration file uses (elements, attributes, text, CDATA,
// comments, processing instructions, an XML declaration) and refuses document type
// declarations outright: with no DTD there is nothing to expand (billion laughs) and nothing
// to fetch (XXE). Why a tokenizer of our own rather than a library: README.md, "Parser".
import { RecorderConfigError, type RecorderConfigErrorCode } from './errors.js';

/** Hard cap on a RecorderConfig.xml: real ones are tens of kilobytes. */
export const maxConfigBytes = 8 * 1024 * 1024;
/** Hard cap on element nesting: real files nest about 6 deep. */
export const maxElementDepth = 64;
/** Hard cap on attributes of one element. */
export const maxAttributesPerElement = 256;

export interface XmlAttribute {
  readonly name: string;
  /** The value after XML attribute-value normalization and reference decoding. */
  readonly value: string;
  /** Where the whitespace before the attribute starts: removing [spaceStart, end) removes it cleanly. */
  readonly spaceStart: number;
  /** Index of the attribute name. */
  readonly start: number;
  /** Index just after the closing quote. */
  readonly end: number;
  /** The value's raw span, inside the quotes. */
  readonly valueStart: number;
  readonly valueEnd: number;
  readonly quote: '"' | "'";
}

export interface XmlElement {
  readonly type: 'element';
  readonly name: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlNode[];
  /** The element children alone, in order (a subset of `children`). */
  readonly elements: readonly XmlElement[];
  /** Index of '<'. */
  readonly start: number;
  /** End of the name or of the last attribute: where a new attribute is inserted. */
  readonly attributesEnd: number;
  /** Index just after the start tag's '>' (equals `end` when self-closing). */
  readonly startTagEnd: number;
  /** Index of the end tag's '<' (equals `end` when self-closing). */
  readonly endTagStart: number;
  /** Index just after the element. */
  readonly end: number;
  readonly selfClosing: boolean;
}

export interface XmlText {
  readonly type: 'text';
  readonly start: number;
  readonly end: number;
  /** Decoded: references resolved, line endings normalized to \n. */
  readonly value: string;
}

export interface XmlCData {
  readonly type: 'cdata';
  readonly start: number;
  readonly end: number;
  /** The content between `<![CDATA[` and `]]>`, line endings normalized. */
  readonly value: string;
}

export interface XmlComment {
  readonly type: 'comment';
  readonly start: number;
  readonly end: number;
}

export interface XmlProcessingInstruction {
  readonly type: 'pi';
  readonly target: string;
  readonly start: number;
  readonly end: number;
}

export interface XmlDeclaration {
  readonly type: 'declaration';
  readonly start: number;
  readonly end: number;
  readonly version: string;
  readonly encoding: string | null;
  readonly standalone: 'yes' | 'no' | null;
}

export type XmlNode = XmlElement | XmlText | XmlCData | XmlComment | XmlProcessingInstruction;
export type XmlTopLevelNode = XmlNode | XmlDeclaration;

export interface XmlDocument {
  /** The whole text, including a leading U+FEFF when the file had a UTF-8 byte order mark. */
  readonly source: string;
  readonly hasBom: boolean;
  readonly declaration: XmlDeclaration | null;
  /** Top-level nodes in order: declaration, prolog, the root element, epilog. */
  readonly nodes: readonly XmlTopLevelNode[];
  readonly root: XmlElement;
}

export interface ParseOptions {
  /** Refuse input larger than this many bytes (UTF-8). Default {@link maxConfigBytes}. */
  readonly maxBytes?: number;
}

/**
 * Parses XML text (or UTF-8 bytes) into a lossless tree.
 *
 * @throws RecorderConfigError with code `empty`, `truncated`, `malformed`, `encoding`,
 *   `doctype`, `entity`, `too-large` or `limit`; the message gives line and column.
 * @example
 *   const doc = parseXml('<?xml version="1.0"?>\r\n<recorderconfig><version>25.1</version></recorderconfig>');
 *   doc.root.name;          // 'recorderconfig'
 *   serializeXml(doc);      // the same text, byte for byte
 */
export function parseXml(input: string | Uint8Array, options: ParseOptions = {}): XmlDocument {
  const maxBytes = options.maxBytes ?? maxConfigBytes;
  const source = typeof input === 'string' ? checkStringSize(input, maxBytes) : decodeUtf8(input, maxBytes);
  return new Parser(source).parseDocument();
}

/**
 * Writes the tree back out from the spans it was read from: for an unchanged document this is
 * byte-identical to the input (see the corpus test).
 *
 * @example
 *   serializeXml(parseXml('<a  x=\'1\' ><b /></a>'))   // '<a  x=\'1\' ><b /></a>'
 */
export function serializeXml(doc: XmlDocument): string {
  const parts: string[] = [];
  if (doc.hasBom) parts.push('\uFEFF');
  for (const node of doc.nodes) emitNode(doc.source, node, parts);
  return parts.join('');
}

function emitNode(source: string, node: XmlTopLevelNode, parts: string[]): void {
  if (node.type !== 'element') {
    parts.push(source.slice(node.start, node.end));
    return;
  }
  parts.push(source.slice(node.start, node.startTagEnd));
  if (node.selfClosing) return;
  for (const child of node.children) emitNode(source, child, parts);
  parts.push(source.slice(node.endTagStart, node.end));
}

/**
 * UTF-8 bytes of a document's text (a leading U+FEFF becomes the UTF-8 byte order mark).
 *
 * @example
 *   await writeFile(path, encodeXml(clone(primary, target).xml));
 */
export function encodeXml(xml: string): Buffer {
  return Buffer.from(xml, 'utf8');
}

// ---- queries ----------------------------------------------------------------------------

/** The element children of an element, in document order. */
export function childElements(element: XmlElement): readonly XmlElement[] {
  return element.elements;
}

/**
 * The element's own character data (text and CDATA, not descendants), decoded.
 *
 * @example
 *   directText(parseXml('<a>x &amp; <![CDATA[<y>]]><b>not this</b></a>').root)   // 'x & <y>'
 */
export function directText(element: XmlElement): string {
  const only = element.children.length === 1 ? element.children[0] : undefined;
  if (only !== undefined && (only.type === 'text' || only.type === 'cdata')) return only.value;
  let text = '';
  for (const child of element.children) if (child.type === 'text' || child.type === 'cdata') text += child.value;
  return text;
}

/**
 * The first element at a '/'-separated path below `from`.
 *
 * @example
 *   directText(findElement(doc.root, 'recorder/id')!)   // '4b1c…'
 */
export function findElement(from: XmlElement, path: string): XmlElement | undefined {
  let current: XmlElement | undefined = from;
  for (const name of path.split('/')) {
    current = current.children.find((c): c is XmlElement => c.type === 'element' && c.name === name);
    if (current === undefined) return undefined;
  }
  return current;
}

// ---- escaping ---------------------------------------------------------------------------

/**
 * Escapes a value for element content. A literal CR would be normalized away, so it becomes `&#13;`.
 *
 * @example
 *   escapeText('a & <b>')   // 'a &amp; &lt;b&gt;'
 */
export function escapeText(value: string): string {
  return value.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

/**
 * Escapes a value for an attribute quoted with `quote`, keeping tabs and newlines as references.
 *
 * @example
 *   escapeAttribute('say "hi"\n', '"')   // 'say &quot;hi&quot;&#10;'
 */
export function escapeAttribute(value: string, quote: '"' | "'"): string {
  return value.replace(/[&<"'\t\n\r]/g, (c) => {
    switch (c) {
      case '&': return '&amp;';
      case '<': return '&lt;';
      case '\t': return '&#9;';
      case '\n': return '&#10;';
      case '\r': return '&#13;';
      default: return c === quote ? (c === '"' ? '&quot;' : '&apos;') : c;
    }
  });
}

// ---- decoding ---------------------------------------------------------------------------

function checkStringSize(text: string, maxBytes: number): string {
  // A UTF-8 byte count is at least the UTF-16 length, and at most three times it.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && Buffer.byteLength(text, 'utf8') > maxBytes)) {
    throw tooLarge(maxBytes);
  }
  return text;
}

export function tooLarge(maxBytes: number, actualBytes?: number): RecorderConfigError {
  const actual = actualBytes === undefined ? 'more' : `${actualBytes} bytes`;
  return new RecorderConfigError('too-large', `file is too large (${actual}; the limit for a RecorderConfig.xml is ${maxBytes} bytes)`);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes bytes as UTF-8, keeping a byte order mark as U+FEFF so it is written back.
 * UTF-16 and UTF-32 are refused: XProtect writes RecorderConfig.xml as UTF-8, and a file in
 * another encoding means someone re-saved it by hand (README.md, "Encoding").
 */
function decodeUtf8(bytes: Uint8Array, maxBytes: number): string {
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes, bytes.byteLength);
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  const refuse = (what: string): never => {
    throw new RecorderConfigError('encoding', `file is encoded as ${what}; only UTF-8 is supported (save RecorderConfig.xml as UTF-8 and try again)`);
  };
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) refuse('UTF-32 (big-endian byte order mark)');
  if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00) refuse('UTF-32 (little-endian byte order mark)');
  if (b0 === 0xff && b1 === 0xfe) refuse('UTF-16 (little-endian byte order mark FF FE)');
  if (b0 === 0xfe && b1 === 0xff) refuse('UTF-16 (big-endian byte order mark FE FF)');
  if ((b0 === 0x3c && b1 === 0x00) || (b0 === 0x00 && b1 === 0x3c)) refuse('UTF-16 without a byte order mark');
  try {
    return utf8.decode(bytes);
  } catch (err) {
    throw new RecorderConfigError('encoding', 'file is not valid UTF-8 (a byte sequence cannot be decoded)', { cause: err });
  }
}

// ---- the tokenizer ------------------------------------------------------------------------

// XML 1.0 Name production (fifth edition).
const nameStartChars = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const nameChars = `${nameStartChars}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
// eslint-disable-next-line no-misleading-character-class -- U+0300–U+036F are NameChars by the spec
const nameRe = new RegExp(`[${nameStartChars}][${nameChars}]*`, 'uy');
// Characters XML 1.0 forbids anywhere, and surrogates (checked for pairing one by one).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const suspectCharRe = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/g;
const declarationRe = /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])(1\.[0-9]+)\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z][A-Za-z0-9._-]*)\3)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(yes|no)\5)?[ \t\r\n]*\?>$/;
const predefinedEntities: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };
/** Longest reference we look at: `&#x10FFFF;` is 10 characters, entity names here are short. */
const maxReferenceLength = 32;

const noAttributes: readonly XmlAttribute[] = Object.freeze([]);
const noElements: readonly XmlElement[] = Object.freeze([]);

const noContent: readonly (XmlNode | number)[] = Object.freeze([]);

/**
 * One object per element, completed when its end tag is read: fewer allocations matter, as a
 * 1 MB file has tens of thousands of nodes. Text children are kept as their start offset (a
 * text ends where the next child starts) and become nodes when `children` is first read; a
 * leaf's lone text or CDATA child is kept as a span. Most of a large file is never looked into.
 * Read-only to everyone outside the parser.
 */
class ElementNode implements XmlElement {
  readonly type = 'element' as const;
  attributes: readonly XmlAttribute[] = noAttributes;
  elements: readonly XmlElement[] = noElements;
  attributesEnd = 0;
  startTagEnd = 0;
  endTagStart = 0;
  end = 0;
  selfClosing = false;
  /** Children as read: nodes, and texts as their start offsets. */
  content: readonly (XmlNode | number)[] = noContent;
  /** The span of a lone text or CDATA child (-1: none); then `content` is empty. */
  leafStart = -1;
  leafEnd = 0;
  leafIsCData = false;
  private childList: readonly XmlNode[] | undefined;

  constructor(private readonly src: string, readonly name: string, readonly start: number) {}

  get children(): readonly XmlNode[] {
    if (this.childList !== undefined) return this.childList;
    if (this.leafStart >= 0) {
      const leaf = this.leafIsCData ? new CDataNode(this.src, this.leafStart, this.leafEnd) : new TextNode(this.src, this.leafStart, this.leafEnd);
      return (this.childList = [leaf]);
    }
    const content = this.content;
    const list = new Array<XmlNode>(content.length);
    for (let i = 0; i < content.length; i++) {
      const entry = content[i] as XmlNode | number;
      if (typeof entry !== 'number') {
        list[i] = entry;
        continue;
      }
      const next = content[i + 1];
      const end = next === undefined ? this.endTagStart : typeof next === 'number' ? next : next.start;
      list[i] = new TextNode(this.src, entry, end);
    }
    return (this.childList = list);
  }
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

class Parser {
  private pos = 0;
  private readonly stack: ElementNode[] = [];
  /** Children of the open elements, innermost last (texts as start offsets); `childStarts[i]` is where stack[i]'s begin. */
  private readonly pending: (XmlNode | number)[] = [];
  private readonly childStarts: number[] = [];
  /** Attributes of the start tag being read; copied out at their exact count. */
  private readonly attributeScratch: XmlAttribute[] = [];
  /** Element and attribute names seen so far, so that repeated names are not allocated again. */
  private readonly names = new Map<number, string[]>();
  private readonly topLevel: XmlTopLevelNode[] = [];
  private root: XmlElement | null = null;

  constructor(private readonly src: string) {}

  parseDocument(): XmlDocument {
    const src = this.src;
    const hasBom = src.charCodeAt(0) === 0xfeff;
    this.pos = hasBom ? 1 : 0;
    let first = this.pos;
    while (isSpace(src.charCodeAt(first))) first++;
    if (first >= src.length) {
      throw new RecorderConfigError('empty', src.length === 0 ? 'file is empty (0 bytes)' : 'file is empty (only whitespace)');
    }
    this.checkCharacters();

    const declaration = this.readDeclaration();
    if (declaration !== null) this.topLevel.push(declaration);
    while (this.pos < src.length) this.step();
    if (this.stack.length > 0) {
      const open = this.stack[this.stack.length - 1] as ElementNode;
      this.fail('truncated', `the file ends inside <${open.name}> (opened ${this.where(open.start)}): it looks truncated`, src.length);
    }
    if (this.root === null) this.fail('truncated', 'no root element: the file looks truncated', src.length);
    return { source: src, hasBom, declaration, nodes: this.topLevel, root: this.root };
  }

  /** Refuses characters XML 1.0 forbids, and surrogates that do not form a pair. */
  private checkCharacters(): void {
    const src = this.src;
    suspectCharRe.lastIndex = 0;
    for (let m = suspectCharRe.exec(src); m !== null; m = suspectCharRe.exec(src)) {
      const at = m.index;
      const code = src.charCodeAt(at);
      if (code >= 0xd800 && code <= 0xdbff) {
        const low = src.charCodeAt(at + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          suspectCharRe.lastIndex = at + 2;
          continue;
        }
      }
      this.fail('malformed', `character U+${code.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`, at);
    }
  }

  private step(): void {
    const src = this.src;
    const at = this.pos;
    if (src.charCodeAt(at) !== 0x3c /* < */) {
      this.readText();
      return;
    }
    const next = src.charCodeAt(at + 1);
    if (next === 0x2f /* / */) this.readEndTag();
    else if (next === 0x21 /* ! */) this.readMarkupDeclaration();
    else if (next === 0x3f /* ? */) this.readProcessingInstruction();
    else this.readStartTag();
  }

  private add(node: XmlNode): void {
    if (this.stack.length === 0) this.topLevel.push(node);
    else this.pending.push(node);
  }

  /**
   * When this text or CDATA is the only child of the open element (nothing before it, its end
   * tag right after it), records its span on the element instead of making a node.
   */
  private keepAsLeaf(start: number, end: number, cdata: boolean): boolean {
    const parent = this.stack[this.stack.length - 1];
    if (parent === undefined || this.pending.length !== this.childStarts[this.childStarts.length - 1]) return false;
    if (this.src.charCodeAt(end) !== 0x3c || this.src.charCodeAt(end + 1) !== 0x2f) return false;
    parent.leafStart = start;
    parent.leafEnd = end;
    parent.leafIsCData = cdata;
    return true;
  }

  private open(element: ElementNode): void {
    this.stack.push(element);
    this.childStarts.push(this.pending.length);
  }

  /** Moves the element's children from `pending` into arrays of exactly their size. */
  private takeChildren(element: ElementNode): void {
    const from = this.childStarts.pop() as number;
    const count = this.pending.length - from;
    if (count === 0) return;
    const content = this.pending.slice(from);
    this.pending.length = from;
    element.content = content;
    let elementCount = 0;
    for (const entry of content) if (typeof entry !== 'number' && entry.type === 'element') elementCount++;
    if (elementCount === 0) return;
    const elements = new Array<XmlElement>(elementCount);
    let i = 0;
    for (const entry of content) if (typeof entry !== 'number' && entry.type === 'element') elements[i++] = entry;
    element.elements = elements;
  }

  private readDeclaration(): XmlDeclaration | null {
    const src = this.src;
    const start = this.pos;
    if (!src.startsWith('<?xml', start) || !isSpace(src.charCodeAt(start + 5))) return null;
    const close = src.indexOf('?>', start);
    if (close === -1) this.fail('truncated', 'the XML declaration is not closed with ?>', start);
    const text = src.slice(start, close + 2);
    const m = declarationRe.exec(text);
    if (m === null) this.fail('malformed', 'the XML declaration is malformed (expected version, then optional encoding and standalone)', start);
    const encoding = m[4] ?? null;
    if (encoding !== null && !/^utf-?8$/i.test(encoding)) {
      this.fail('encoding', `the XML declaration says encoding="${encoding}"; only UTF-8 is supported (save RecorderConfig.xml as UTF-8)`, start);
    }
    this.pos = close + 2;
    return { type: 'declaration', start, end: this.pos, version: m[2] as string, encoding, standalone: (m[6] ?? null) as 'yes' | 'no' | null };
  }

  private readText(): void {
    const src = this.src;
    const start = this.pos;
    let end = start;
    let hasReference = false;
    // One pass over this text only: an unbounded indexOf per text node would make parsing quadratic.
    for (let c = src.charCodeAt(end); end < src.length && c !== 0x3c /* < */; c = src.charCodeAt(++end)) {
      if (c === 0x26 /* & */) hasReference = true;
      else if (c === 0x3e /* > */ && src.charCodeAt(end - 1) === 0x5d && src.charCodeAt(end - 2) === 0x5d && end - 2 >= start) {
        this.fail('malformed', "']]>' is not allowed in text (escape '>' as &gt;)", end - 2);
      } else if (this.stack.length === 0 && !isSpace(c)) {
        this.fail('malformed', this.root === null ? 'text before the root element' : 'text after the root element', end);
      }
    }
    this.pos = end;
    if (hasReference) this.decode(start, end, false); // refuse bad references now, not when the value is read
    if (this.stack.length === 0) this.topLevel.push(new TextNode(src, start, end));
    else if (!this.keepAsLeaf(start, end, false)) this.pending.push(start);
  }

  private readMarkupDeclaration(): void {
    const src = this.src;
    const start = this.pos;
    if (src.startsWith('<!--', start)) {
      const close = src.indexOf('-->', start + 4);
      if (close === -1) this.fail('truncated', 'a comment is not closed with -->', start);
      const dashes = src.indexOf('--', start + 4);
      if (dashes < close) this.fail('malformed', "'--' is not allowed inside a comment", dashes);
      this.pos = close + 3;
      this.add({ type: 'comment', start, end: this.pos });
      return;
    }
    if (src.startsWith('<![CDATA[', start)) {
      if (this.stack.length === 0) this.fail('malformed', 'CDATA outside the root element', start);
      const close = src.indexOf(']]>', start + 9);
      if (close === -1) this.fail('truncated', 'a CDATA section is not closed with ]]>', start);
      this.pos = close + 3;
      if (!this.keepAsLeaf(start, this.pos, true)) this.add(new CDataNode(src, start, this.pos));
      return;
    }
    if (src.startsWith('<!DOCTYPE', start)) {
      this.fail('doctype', 'a DOCTYPE declaration is not allowed: DTDs can declare entities that expand without bound (billion laughs) or fetch other files (XXE), and RecorderConfig.xml has none; nothing was expanded or fetched', start);
    }
    if (src.startsWith('<!ENTITY', start)) {
      this.fail('entity', 'an ENTITY declaration is not allowed; nothing was expanded or fetched', start);
    }
    this.fail('malformed', "unexpected '<!' (only comments and CDATA sections are allowed)", start);
  }

  private readProcessingInstruction(): void {
    const src = this.src;
    const start = this.pos;
    const target = this.readName(start + 2, 'a processing instruction target');
    if (target.toLowerCase() === 'xml') {
      this.fail('malformed', 'an XML declaration is only allowed at the very start of the file', start);
    }
    const afterName = start + 2 + target.length;
    const close = src.indexOf('?>', afterName);
    if (close === -1) this.fail('truncated', 'a processing instruction is not closed with ?>', start);
    if (close !== afterName && !isSpace(src.charCodeAt(afterName))) this.fail('malformed', 'expected whitespace after the processing instruction target', afterName);
    this.pos = close + 2;
    this.add({ type: 'pi', target, start, end: this.pos });
  }

  private readStartTag(): void {
    const src = this.src;
    const start = this.pos;
    if (this.stack.length === 0 && this.root !== null) this.fail('malformed', `a second root element after </${this.root.name}>`, start);
    if (this.stack.length >= maxElementDepth) this.fail('limit', `elements nest deeper than ${maxElementDepth} levels`, start);
    const name = this.readName(start + 1, 'an element name after <');
    const element = new ElementNode(src, name, start);
    const attributes = this.attributeScratch;
    attributes.length = 0;
    let pos = start + 1 + name.length;
    element.attributesEnd = pos;
    for (;;) {
      const spaceStart = pos;
      while (isSpace(src.charCodeAt(pos))) pos++;
      if (pos >= src.length) this.fail('truncated', `the file ends inside the start tag <${name}>`, start);
      const c = src.charCodeAt(pos);
      if (c === 0x3e /* > */ || c === 0x2f /* / */) {
        if (attributes.length > 0) element.attributes = attributes.slice();
        if (c === 0x3e) {
          this.pos = element.startTagEnd = pos + 1;
          this.open(element);
          return;
        }
        if (src.charCodeAt(pos + 1) !== 0x3e) this.fail('malformed', `expected '/>' to close <${name}`, pos);
        this.pos = element.startTagEnd = element.endTagStart = element.end = pos + 2;
        element.selfClosing = true;
        this.close(element);
        return;
      }
      if (pos === spaceStart) this.fail('malformed', `expected whitespace, '>' or '/>' in the start tag <${name}>`, pos);
      if (attributes.length >= maxAttributesPerElement) this.fail('limit', `<${name}> has more than ${maxAttributesPerElement} attributes`, pos);
      const attribute = this.readAttribute(name, spaceStart, pos);
      for (const a of attributes) if (a.name === attribute.name) this.fail('malformed', `attribute '${attribute.name}' appears twice on <${name}>`, pos);
      attributes.push(attribute);
      pos = element.attributesEnd = attribute.end;
    }
  }

  private readAttribute(element: string, spaceStart: number, start: number): XmlAttribute {
    const src = this.src;
    const name = this.readName(start, `an attribute name in <${element}>`);
    let pos = start + name.length;
    while (isSpace(src.charCodeAt(pos))) pos++;
    if (src.charCodeAt(pos) !== 0x3d /* = */) {
      if (pos >= src.length) this.fail('truncated', `the file ends inside the start tag <${element}>`, pos);
      this.fail('malformed', `attribute '${name}' in <${element}> has no value (expected '=')`, pos);
    }
    pos++;
    while (isSpace(src.charCodeAt(pos))) pos++;
    const quote = src[pos];
    if (quote !== '"' && quote !== "'") {
      if (pos >= src.length) this.fail('truncated', `the file ends inside the start tag <${element}>`, pos);
      this.fail('malformed', `the value of attribute '${name}' in <${element}> must be quoted`, pos);
    }
    const valueStart = pos + 1;
    const valueEnd = src.indexOf(quote, valueStart);
    if (valueEnd === -1) this.fail('truncated', `the value of attribute '${name}' in <${element}> is not closed`, pos);
    // Check the value now; decode it only when someone reads it.
    let hasReference = false;
    for (let i = valueStart; i < valueEnd; i++) {
      const c = src.charCodeAt(i);
      if (c === 0x3c) this.fail('malformed', `'<' is not allowed in the value of attribute '${name}' (escape it as &lt;)`, i);
      if (c === 0x26) hasReference = true;
    }
    if (hasReference) this.decode(valueStart, valueEnd, true);
    return new AttributeNode(src, name, spaceStart, start, valueStart, valueEnd, quote);
  }

  private readEndTag(): void {
    const src = this.src;
    const start = this.pos;
    const open = this.stack.pop();
    if (open !== undefined) this.takeChildren(open);
    // Fast path: the end tag names the open element, and no name character follows.
    const expected = open?.name;
    const after = expected === undefined ? -1 : src.charCodeAt(start + 2 + expected.length);
    const name = expected !== undefined && src.startsWith(expected, start + 2) && (isSpace(after) || after === 0x3e)
      ? expected
      : this.readName(start + 2, 'an element name after </');
    let pos = start + 2 + name.length;
    while (isSpace(src.charCodeAt(pos))) pos++;
    if (pos >= src.length) this.fail('truncated', `the file ends inside the end tag </${name}>`, start);
    if (src.charCodeAt(pos) !== 0x3e) this.fail('malformed', `expected '>' to close the end tag </${name}>`, pos);
    if (open === undefined) this.fail('malformed', `end tag </${name}> without a start tag`, start);
    if (open.name !== name) this.fail('malformed', `end tag </${name}> does not match <${open.name}> (opened ${this.where(open.start)})`, start);
    open.endTagStart = start;
    this.pos = open.end = pos + 1;
    this.close(open);
  }

  private close(element: ElementNode): void {
    this.add(element);
    if (this.stack.length === 0) this.root = element;
  }

  private readName(at: number, what: string): string {
    const src = this.src;
    let end = at;
    if (isAsciiNameStart(src.charCodeAt(end))) {
      end++;
      while (isAsciiNameChar(src.charCodeAt(end))) end++;
      const next = src.charCodeAt(end);
      if (!(next >= 0x80)) return this.intern(at, end); // NaN at the end of input: done as well
    }
    nameRe.lastIndex = at;
    const m = nameRe.exec(this.src);
    if (m === null) {
      if (at >= this.src.length) this.fail('truncated', `the file ends where ${what} was expected`, at);
      this.fail('malformed', `expected ${what}`, at);
    }
    return m[0];
  }

  /** The name at [at, end), reusing the string when the same name was seen before. */
  private intern(at: number, end: number): string {
    const src = this.src;
    const key = (end - at) * 0x10000 + src.charCodeAt(at);
    let bucket = this.names.get(key);
    if (bucket !== undefined) {
      for (const name of bucket) if (src.startsWith(name, at)) return name;
    } else {
      bucket = [];
      this.names.set(key, bucket);
    }
    const name = src.slice(at, end);
    if (bucket.length < 16) bucket.push(name);
    return name;
  }

  /** Decodes [start, end) of the source, refusing bad references with their position. */
  private decode(start: number, end: number, attribute: boolean): string {
    return decodeCharacterData(this.src.slice(start, end), attribute, (code, message, offset) => this.fail(code, message, start + offset));
  }

  private where(at: number): string {
    let line = 1;
    let lineStart = 0;
    for (let i = this.src.indexOf('\n'); i !== -1 && i < at; i = this.src.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    return `at line ${line}, column ${at - lineStart + 1}`;
  }

  private fail(code: RecorderConfigErrorCode, message: string, at: number): never {
    const prefix = code === 'malformed' ? 'malformed XML ' : '';
    const suffix = code === 'truncated' && !message.includes('truncated') ? ' (the file looks truncated)' : '';
    throw new RecorderConfigError(code, `${prefix}${this.where(at)}: ${message}${suffix}`);
  }
}

function isAsciiNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
}

function isAsciiNameChar(c: number): boolean {
  return isAsciiNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
}

type Fail = (code: RecorderConfigErrorCode, message: string, offset: number) => never;

/**
 * Decodes character data: checks and resolves references, normalizes line endings, and for
 * attributes also whitespace to spaces (XML 1.0 §3.3.3). `fail` gets the offset in `raw`.
 */
function decodeCharacterData(raw: string, attribute: boolean, fail: Fail): string {
  let amp = raw.indexOf('&');
  if (amp === -1) return normalizeLiteral(raw, attribute);
  let out = '';
  let from = 0;
  while (amp !== -1) {
    out += normalizeLiteral(raw.slice(from, amp), attribute);
    const semi = raw.indexOf(';', amp + 1);
    if (semi === -1 || semi - amp > maxReferenceLength) {
      fail('malformed', "'&' must start a reference such as &amp; (escape a literal '&' as &amp;)", amp);
    }
    out += resolveReference(raw.slice(amp + 1, semi), amp, fail);
    from = semi + 1;
    amp = raw.indexOf('&', from);
  }
  return out + normalizeLiteral(raw.slice(from), attribute);
}

function resolveReference(ref: string, at: number, fail: Fail): string {
  if (ref.startsWith('#')) {
    const m = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(ref);
    const code = m === null ? NaN : m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2] as string, 10);
    if (!isXmlChar(code)) fail('malformed', `&${ref}; is not a valid character reference`, at);
    return String.fromCodePoint(code);
  }
  const value = predefinedEntities[ref];
  if (value === undefined) {
    fail('entity', `reference to an undefined entity &${ref}; (only &lt; &gt; &amp; &apos; &quot; exist without a DTD, and DTDs are refused); nothing was expanded`, at);
  }
  return value;
}

const neverFails: Fail = (_code, message) => {
  throw new Error(`decode: ${message} (checked when parsed, so this is a bug)`);
};

/** An attribute whose value is decoded on first use (it was checked when parsed). */
class AttributeNode implements XmlAttribute {
  private decoded: string | undefined;
  constructor(
    private readonly src: string,
    readonly name: string,
    readonly spaceStart: number,
    readonly start: number,
    readonly valueStart: number,
    readonly valueEnd: number,
    readonly quote: '"' | "'",
  ) {}

  get end(): number {
    return this.valueEnd + 1;
  }

  get value(): string {
    return (this.decoded ??= decodeCharacterData(this.src.slice(this.valueStart, this.valueEnd), true, neverFails));
  }
}

/** Text whose decoded value is computed on first use: most text is indentation nobody reads. */
class TextNode implements XmlText {
  readonly type = 'text' as const;
  private decoded: string | undefined;
  constructor(private readonly src: string, readonly start: number, readonly end: number) {}
  get value(): string {
    return (this.decoded ??= decodeCharacterData(this.src.slice(this.start, this.end), false, neverFails));
  }
}

class CDataNode implements XmlCData {
  readonly type = 'cdata' as const;
  private decoded: string | undefined;
  constructor(private readonly src: string, readonly start: number, readonly end: number) {}
  get value(): string {
    return (this.decoded ??= normalizeLineEndings(this.src.slice(this.start + 9, this.end - 3)));
  }
}

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

function normalizeLineEndings(text: string): string {
  return text.indexOf('\r') === -1 ? text : text.replace(/\r\n?/g, '\n');
}

function normalizeLiteral(text: string, attribute: boolean): string {
  const lines = normalizeLineEndings(text);
  return attribute ? lines.replace(/[\t\n]/g, ' ') : lines;
}

// ---- edits ----------------------------------------------------------------------------------

/** Replace [start, end) of a source text with `text`; start === end inserts. */
export interface Patch {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * Applies non-overlapping patches to `source[from, to)` and returns the result: everything a
 * patch does not touch is copied byte for byte. Insertions at the same position keep their
 * order, and come before a replacement that starts there.
 *
 * @throws Error when two patches overlap (a bug in the caller, never an input problem).
 * @example
 *   applyPatches('<a x="1"/>', [{ start: 6, end: 7, text: '2' }])   // '<a x="2"/>'
 */
export function applyPatches(source: string, patches: readonly Patch[], from = 0, to = source.length): string {
  const sorted = patches
    .map((patch, order) => ({ patch, order }))
    .sort((a, b) => a.patch.start - b.patch.start || (a.patch.end - a.patch.start) - (b.patch.end - b.patch.start) || a.order - b.order);
  const parts: string[] = [];
  let at = from;
  for (const { patch } of sorted) {
    if (patch.start < at || patch.end < patch.start || patch.end > to) {
      throw new Error(`applyPatches: patch [${patch.start}, ${patch.end}) overlaps another or leaves [${from}, ${to})`);
    }
    parts.push(source.slice(at, patch.start), patch.text);
    at = patch.end;
  }
  parts.push(source.slice(at, to));
  return parts.join('');
}

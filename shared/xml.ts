// XML read into plain objects: the product's one XML-to-object parser, xml2js over sax in strict
// mode (the agent's SOAP probe, the lab's ImageServer requests and RecorderConfig.xml reader, the
// second opinion before recorder-config-sync writes a file). recorder-config-sync reads the file
// it edits with its own byte-exact tokenizer; this is for reading values out of XML.
// Measured against fast-xml-parser in bench/xml.bench.ts.
import { Parser, processors } from 'xml2js';

export interface ReadXmlOptions {
  /** Drop namespace prefixes from element names (`soap:Envelope` → `Envelope`), as SOAP readers want. */
  readonly stripPrefixes?: boolean;
}

/** Not one well-formed XML document. `line` and `column` count from 1, when the parser knows them. */
export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
  constructor(
    readonly reason: string,
    readonly line: number | null = null,
    readonly column: number | null = null,
  ) {
    super(line === null ? reason : `${reason} at line ${line}, column ${column}`);
  }
}

const baseOptions = {
  strict: true,
  // The callbacks run before parseString returns; readXml checks that they did.
  async: false,
  explicitRoot: true,
  // One child: its value; repeated children: an array of their values. Readers take both.
  explicitArray: false,
  ignoreAttrs: true,
  trim: true,
  // An empty or blank element (`<X/>`, `<X></X>`, `<X> </X>`) is ''.
  emptyTag: (): string => '',
};
const plainOptions = baseOptions;
const soapOptions = { ...baseOptions, tagNameProcessors: [processors.stripPrefix] };

/** sax reports "reason\nLine: l\nColumn: c\nChar: x", the line from 0 and the column from 1. */
function syntaxError(err: Error): XmlSyntaxError {
  const m = /^([^\n]*)\nLine: (\d+)\nColumn: (\d+)/.exec(err.message);
  return m === null ? new XmlSyntaxError(err.message.split('\n')[0] ?? 'not XML') : new XmlSyntaxError(m[1] as string, Number(m[2]) + 1, Number(m[3]));
}

/**
 * Parses one XML document into plain objects: `{ [rootName]: value }`, or `{}` when the text
 * holds no element at all (empty, blank, only a declaration or comments). A value is the
 * element's trimmed text when it has no child elements ('' when empty), else an object of its
 * children by name. Attributes, comments, processing instructions and the declaration are left
 * out, CDATA counts as text, and values stay strings ("007" is not 7).
 *
 * Strict: anything but one well-formed document throws XmlSyntaxError (unclosed or mismatched
 * tags, text or a second element after the root, bad attribute syntax, a bare `&`). A DOCTYPE
 * is skipped, never read: an entity it declares is an error where it is used, and nothing is
 * fetched. The five XML entities and character references are decoded (sax also knows the
 * HTML entity names, such as `&nbsp;`, from a fixed table).
 *
 * @example
 *   readXml('<s:Envelope xmlns:s="…"><s:Body><R><A>1</A><A>2</A></R></s:Body></s:Envelope>', { stripPrefixes: true })
 *   // → { Envelope: { Body: { R: { A: ['1', '2'] } } } }
 */
export function readXml(xml: string, options: ReadXmlOptions = {}): Record<string, unknown> {
  const parser = new Parser(options.stripPrefixes === true ? soapOptions : plainOptions);
  let documents = 0;
  let document: Record<string, unknown> = {};
  let failure = null as Error | null;
  // Events rather than parseString's callback: the callback fires at the root's end tag and
  // would miss a second root element after it.
  parser.on('end', (result: Record<string, unknown> | null) => {
    documents += 1;
    document = result ?? {};
  });
  parser.on('error', (err: Error) => {
    failure ??= err;
  });
  parser.parseString(xml);
  if (failure !== null) throw syntaxError(failure);
  if (documents === 0) throw new Error('xml2js did not parse synchronously');
  if (documents > 1) throw new XmlSyntaxError('a second root element after the first');
  return document;
}

// What makes a parsed XML document a RecorderConfig.xml we are willing to clone or write.
import { readXml, XmlSyntaxError } from '../shared/xml.js';
import { RecorderConfigError } from './errors.js';
import { childElements, directText, parseXml, type ParseOptions, type XmlDocument, type XmlElement } from './xml-document.js';

/** The root element of every RecorderConfig.xml (lower case, no namespace). */
export const recorderConfigRoot = 'recorderconfig';

const guidRe = /^\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?$/;

/** The facts a valid RecorderConfig.xml is guaranteed to carry. */
export interface RecorderConfigInfo {
  /** `recorder/id`: the recording server's GUID, trimmed. */
  readonly recorderId: string;
  /** `recorder/displayname`, when present. */
  readonly displayName: string | null;
  /** `version`, when present. */
  readonly version: string | null;
}

/** A parsed and validated RecorderConfig.xml. */
export interface RecorderConfig {
  readonly doc: XmlDocument;
  readonly info: RecorderConfigInfo;
}

/**
 * Checks that a parsed document is a RecorderConfig.xml: the root is `<recorderconfig>`, there
 * is exactly one `<recorder>`, and it has a `<id>` holding a GUID.
 *
 * @throws RecorderConfigError `not-recorder-config`, `missing-recorder-id` or `invalid`.
 * @example
 *   validateRecorderConfig(parseXml(text)).recorderId   // '4b1c2f3e-…'
 */
export function validateRecorderConfig(doc: XmlDocument): RecorderConfigInfo {
  const root = doc.root;
  if (root.name !== recorderConfigRoot) {
    throw new RecorderConfigError('not-recorder-config', `the root element is <${root.name}>, not <${recorderConfigRoot}>: this is not a RecorderConfig.xml`);
  }
  const recorders = childElements(root).filter((e) => e.name === 'recorder');
  if (recorders.length > 1) throw new RecorderConfigError('invalid', `<${recorderConfigRoot}> has ${recorders.length} <recorder> elements; expected one`);
  const recorder = recorders[0];
  if (recorder === undefined) throw new RecorderConfigError('missing-recorder-id', 'there is no <recorder> element, so no recorder/id: this RecorderConfig.xml has no identity');
  const ids = childElements(recorder).filter((e) => e.name === 'id');
  const idElement = ids[0];
  if (idElement === undefined) throw new RecorderConfigError('missing-recorder-id', 'recorder/id is missing: this RecorderConfig.xml has no identity');
  if (ids.length > 1) throw new RecorderConfigError('invalid', `recorder/id appears ${ids.length} times; expected once`);
  const recorderId = directText(idElement).trim();
  if (recorderId === '') throw new RecorderConfigError('missing-recorder-id', 'recorder/id is empty: this RecorderConfig.xml has no identity');
  if (!guidRe.test(recorderId)) throw new RecorderConfigError('invalid', `recorder/id is "${recorderId}", which is not a GUID`);
  return { recorderId, displayName: optionalText(recorder, 'displayname'), version: optionalText(root, 'version') };
}

function optionalText(parent: XmlElement, name: string): string | null {
  const element = childElements(parent).find((e) => e.name === name);
  return element === undefined ? null : directText(element).trim();
}

/**
 * Parses and validates a RecorderConfig.xml in one step.
 *
 * @example
 *   const { doc, info } = parseRecorderConfig(await readFile('RecorderConfig.xml'));
 */
export function parseRecorderConfig(input: string | Uint8Array, options?: ParseOptions): RecorderConfig {
  const doc = parseXml(input, options);
  return { doc, info: validateRecorderConfig(doc) };
}

/**
 * A second opinion from a different parser (xml2js, over sax in strict mode) before anything is
 * written: a bug in our tokenizer must not be able to put a file on disk that other XML readers
 * reject.
 *
 * @throws RecorderConfigError `malformed`.
 * @example
 *   assertWellFormedIndependently(xml);   // before writing xml
 */
export function assertWellFormedIndependently(xml: string): void {
  let document: Record<string, unknown>;
  try {
    document = readXml(xml);
  } catch (err) {
    const where = err instanceof XmlSyntaxError && err.line !== null ? ` at line ${err.line}, column ${err.column}` : '';
    const reason = err instanceof XmlSyntaxError ? err.reason : (err as Error).message;
    throw new RecorderConfigError('malformed', `malformed XML${where}: ${reason} (second opinion: xml2js, strict)`);
  }
  if (Object.keys(document).length !== 1) throw new RecorderConfigError('malformed', 'malformed XML: no root element (second opinion: xml2js, strict)');
}

/**
 * What went wrong, as a closed set, so that callers (the agent, the controller, the CLI) can
 * branch on `error.code` instead of parsing messages.
 */
export type RecorderConfigErrorCode =
  /** The file has no bytes, or only whitespace. */
  | 'empty'
  /** The file ends inside a tag, a comment or an open element. */
  | 'truncated'
  /** Not well-formed XML. */
  | 'malformed'
  /** Not UTF-8 (UTF-16/32, invalid UTF-8 bytes, another declared encoding). */
  | 'encoding'
  /** A `<!DOCTYPE …>`: refused, so no entity is ever expanded and nothing is ever fetched. */
  | 'doctype'
  /** An entity declaration or a reference to an entity other than the five predefined ones. */
  | 'entity'
  /** Larger than the size cap. */
  | 'too-large'
  /** Nesting, attribute count or another structural bound exceeded. */
  | 'limit'
  /** Well-formed XML, but not a RecorderConfig.xml (root element, recorder/id). */
  | 'not-recorder-config'
  | 'missing-recorder-id'
  /** A RecorderConfig.xml whose content breaks a rule (bad GUID, clone identity mismatch). */
  | 'invalid'
  /** The target changed between reading and writing it (compare-and-swap failed). */
  | 'changed-since-read'
  /** The target folder or file cannot be written. */
  | 'read-only'
  | 'not-found'
  | 'no-backup'
  /** A clone-rules file is not valid. */
  | 'rules'
  /** Another file-system error. */
  | 'io';

/** An error meant for an operator: the message names the problem, and the file when known. */
export class RecorderConfigError extends Error {
  override readonly name = 'RecorderConfigError';
  constructor(
    readonly code: RecorderConfigErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Prefixes an error's message with the file it came from, keeping its code.
 *
 * @example
 *   try { parseRecorderConfig(text) } catch (err) { throw inFile(err, 'B.xml') }
 *   // → RecorderConfigError('malformed', 'B.xml: malformed XML at line 3, column 7: …')
 */
export function inFile(err: unknown, file: string): Error {
  if (err instanceof RecorderConfigError) return new RecorderConfigError(err.code, `${file}: ${err.message}`, { cause: err });
  return err instanceof Error ? err : new Error(String(err));
}

// What a config sync refuses or fails with, as a closed set of codes, so that the agent's HTTP
// layer and the command handler branch on `code` (and answer `httpStatus`) instead of parsing
// messages.

export type ConfigSyncErrorCode =
  /** The push's `xml` is not canonical base64. */
  | 'bad-base64'
  /** The decoded bytes do not have the push's `sha256`. */
  | 'sha-mismatch'
  /** The pushed bytes are not a valid RecorderConfig.xml (`causeCode` is the library's code). */
  | 'bad-config'
  /** The push names this node as its sender: the source's peer URL points back at itself. */
  | 'from-self'
  /** `config-sync-force` with no sync waiting (the protocol's refusal reason of the same name). */
  | 'sync-not-pending'
  /** `config-sync-force` while a sync is being evaluated or applied. */
  | 'busy'
  /** The sync was not applied, or the recorder did not come back (`causeCode` says why). */
  | 'apply-failed';

/**
 * Why an apply failed: a RecorderConfigError code from recorder-config-sync (`malformed`,
 * `changed-since-read`, `read-only`, …), or a step of the recorder service.
 */
export type ApplyFailureCode = string;

/** 400: the push itself is bad, resending the same bytes cannot help. 409: refused now. 500: failed here. */
export type ConfigSyncHttpStatus = 400 | 409 | 500;

const httpStatusByCode: Readonly<Record<ConfigSyncErrorCode, ConfigSyncHttpStatus>> = {
  'bad-base64': 400,
  'sha-mismatch': 400,
  'bad-config': 400,
  'from-self': 400,
  'sync-not-pending': 409,
  busy: 409,
  'apply-failed': 500,
};

/**
 * A config sync error for the operator and for the HTTP layer.
 *
 * @example
 *   try { await target.receive(push) } catch (err) {
 *     if (err instanceof ConfigSyncError) res.status(err.httpStatus).json({ code: err.code, detail: err.message });
 *   }
 */
export class ConfigSyncError extends Error {
  override readonly name = 'ConfigSyncError';
  /** The status the agent's HTTP API answers with. */
  readonly httpStatus: ConfigSyncHttpStatus;

  constructor(
    readonly code: ConfigSyncErrorCode,
    message: string,
    /** For `bad-config` and `apply-failed`: the underlying code; otherwise null. */
    readonly causeCode: ApplyFailureCode | null = null,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.httpStatus = httpStatusByCode[code];
  }
}

/** Exit codes shared by every subcommand. `config diff` adds 1 for "differences found". */
export const exitCodes = {
  ok: 0,
  /** A difference was found (config diff) or a generic failure. */
  failure: 1,
  /** Bad usage, bad input or bad configuration: nothing was changed. */
  usage: 2,
} as const;

/** An error whose message is meant for the operator, printed without a stack trace. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = exitCodes.usage) {
    super(message);
    this.name = 'CliError';
  }
}

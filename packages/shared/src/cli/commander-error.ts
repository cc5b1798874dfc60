/** The shape of a commander error, recognised without depending on commander itself. */
export interface CommanderLikeError extends Error {
  /** Commander's error code, such as `commander.unknownOption` or `commander.helpDisplayed`. */
  readonly code: string;
  /** The status commander would exit with: 0 for `--help` and `--version`. */
  readonly exitCode: number;
}

/**
 * Whether `error` is an error commander raised (a `CommanderError`): an `Error` whose `code` is a
 * string starting with `commander.` and whose `exitCode` is a number.
 */
export function isCommanderError(error: unknown): error is CommanderLikeError {
  if (!(error instanceof Error)) return false;
  const { code, exitCode } = error as Partial<CommanderLikeError>;
  return typeof code === 'string' && code.startsWith('commander.') && typeof exitCode === 'number';
}

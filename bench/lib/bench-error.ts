/**
 * A precondition of the benchmarks that does not hold (Redis unreachable, the build missing, an
 * unknown scenario). The runner prints its message as one line, without a stack trace.
 */
export class BenchPreconditionError extends Error {
  override readonly name = 'BenchPreconditionError';
}

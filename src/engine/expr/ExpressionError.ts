/**
 * The one error type of the expression language.
 *
 * The parser uses it internally and turns it into a `{ ok: false }` result; compiled
 * expressions throw it at run time (type errors), where the TaskManager turns it into a task
 * failure naming the operator. Messages come from the error catalogue.
 */
import { formatError, type ErrorCode, type ErrorParams } from '../job/errors';

/** A parse or evaluation problem, with its catalogue code and 0-based source offset. */
export class ExpressionError extends Error {
  readonly code: ErrorCode;
  /** 0-based offset into the expression source. */
  readonly offset: number;

  constructor(code: ErrorCode, message: string, offset: number) {
    super(message);
    this.name = 'ExpressionError';
    this.code = code;
    this.offset = offset;
  }
}

/** Builds an `ExpressionError` from a catalogue code; `column` is derived from `offset`. */
export function expressionError<C extends ErrorCode>(
  code: C,
  offset: number,
  params: Omit<ErrorParams<C>, 'column'>,
): ExpressionError {
  const full = { ...params, column: offset + 1 } as unknown as ErrorParams<C>;
  return new ExpressionError(code, formatError(code, full), offset);
}

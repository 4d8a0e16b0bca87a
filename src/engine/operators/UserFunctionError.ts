/**
 * The typed failure of user code: an expression that throws (an `ExpressionError` type error,
 * or anything else), a key that cannot be hashed, an aggregate over a field that holds text.
 * It names the operator, its subtask and the message, which is what the run view shows as the
 * failure cause (issue 3: "fails its task with the operator name, subtask and message").
 */
import { ExpressionError } from '../expr';
import type { OperatorContext } from './types';

export class UserFunctionError extends Error {
  override readonly name = 'UserFunctionError';

  constructor(
    readonly operatorId: string,
    readonly operatorName: string,
    readonly subtaskIndex: number,
    /** The underlying message, without the operator prefix. */
    readonly detail: string,
    /** The catalogue code when the cause was an `ExpressionError`. */
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`Operator '${operatorName}' (${operatorId}, subtask ${subtaskIndex}) failed: ${detail}`, options);
  }
}

/** Wraps anything thrown by user code in a `UserFunctionError` (returned as is when it already is one). */
export function userFunctionError(ctx: OperatorContext, cause: unknown): UserFunctionError {
  if (cause instanceof UserFunctionError) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  const code = cause instanceof ExpressionError ? cause.code : undefined;
  return new UserFunctionError(ctx.subtask.operatorId, ctx.operatorName, ctx.subtask.index, detail, code, { cause });
}

/** A `UserFunctionError` with a message of the operator's own. */
export function operatorFailure(ctx: OperatorContext, detail: string): UserFunctionError {
  return new UserFunctionError(ctx.subtask.operatorId, ctx.operatorName, ctx.subtask.index, detail, undefined);
}

/** Validation messages for inspector fields, matched by JSON path. */
import type { ValidationError } from '../../engine';
import { errorsAt } from '../model/errorIndex';
import { useValidation } from '../store/useDerived';

export type MessagesAt = (path: string | null) => string[];

/** A function from a field's JSON path to the messages of the errors at or below it. */
export function useFieldMessages(): MessagesAt {
  const { errors } = useValidation();
  return (path) => (path === null ? [] : errorsAt(errors, path).map((e) => e.message));
}

/** The errors of `own` not shown at any of the `shown` field paths. */
export function unplacedErrors(own: readonly ValidationError[], shown: readonly (string | null)[]): ValidationError[] {
  const paths = shown.filter((p): p is string => p !== null);
  return own.filter((e) => !paths.some((p) => e.path === p || e.path.startsWith(`${p}.`) || e.path.startsWith(`${p}[`)));
}

/** Resolves a max parallelism, or null when the parallelism is not usable. */
export function safeMaxParallelism(fn: () => number): number | null {
  try {
    const v = fn();
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * One undo step per field focus: while a field keeps focus, its edits share a coalesce key,
 * so typing "Word count" undoes in one step rather than ten. A new focus starts a new step.
 */
import { useCallback, useRef } from 'react';

let sessions = 0;

export interface EditSession {
  /** The coalesce key for an edit made now. */
  key(): string;
  onFocus(): void;
  onBlur(): void;
}

export function useEditSession(): EditSession {
  const current = useRef<string | null>(null);
  const start = () => `edit#${++sessions}`;
  const key = useCallback(() => {
    current.current ??= start();
    return current.current;
  }, []);
  const onFocus = useCallback(() => {
    current.current = start();
  }, []);
  const onBlur = useCallback(() => {
    current.current = null;
  }, []);
  return { key, onFocus, onBlur };
}

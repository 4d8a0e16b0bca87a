/** Hooks over the memoised derived values of the open job (see derived.ts). */
import type { ValidationError, ValidationReport } from '../../engine';
import type { ErrorIndex } from '../model/errorIndex';
import { useApp } from './appStore';
import { errorIndexOf, regionsOf, validationOf, type RegionsResult } from './derived';

const NONE: ValidationError[] = [];

export function useValidation(): ValidationReport {
  return validationOf(useApp((s) => s.job));
}

export function useErrorIndex(): ErrorIndex {
  return errorIndexOf(useApp((s) => s.job));
}

/** Errors of one operator (stable empty array when none). */
export function useOperatorErrors(id: string): ValidationError[] {
  return useErrorIndex().byOperator.get(id) ?? NONE;
}

/** Errors of one edge (stable empty array when none). */
export function useEdgeErrors(id: string): ValidationError[] {
  return useErrorIndex().byEdge.get(id) ?? NONE;
}

/** Regions to draw: null while the preview is off. */
export function useRegionsPreview(): RegionsResult | null {
  const on = useApp((s) => s.regionsPreview);
  const job = useApp((s) => s.job);
  return on ? regionsOf(job) : null;
}

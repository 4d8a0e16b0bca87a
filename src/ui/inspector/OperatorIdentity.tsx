/**
 * Two facts the engine derives for an operator, shown under its general settings:
 * - its **stable id** (engine/plan/operatorIds.ts): what its state, timers and source offsets
 *   are addressed by, and where it came from (the uid, or the structural hash that ignores
 *   parallelism, names, canvas ids, partitioners and everything downstream);
 * - its **default max parallelism** by both formulas with their values at this parallelism:
 *   Sluice's (the seed's) `min(max(roundUpToPowerOfTwo((p + p/2) × 10), 1024), 32768)` and
 *   Flink's `min(max(roundUpToPowerOfTwo(p + p/2), 128), 32768)`, the one in effect marked.
 * Rendering only: the values come from the engine's functions.
 */
import { useMemo } from 'react';
import { maxParallelismFor, type JobGraph, type MaxParallelismFormula, type OperatorSpec } from '../../engine';
import { stableOperatorIds } from '../../engine/plan/operatorIds';
import { safeMaxParallelism } from './useFieldMessages';

const FORMULAS: { formula: MaxParallelismFormula; label: string; text: string }[] = [
  { formula: 'sluice', label: 'Sluice (seed)', text: 'min(max(roundUpToPowerOfTwo((p + p/2) × 10), 1024), 32768)' },
  { formula: 'flink', label: 'Flink', text: 'min(max(roundUpToPowerOfTwo(p + p/2), 128), 32768)' },
];

export function StableIdLine({ job, op }: { job: JobGraph; op: OperatorSpec }) {
  const ids = useMemo(() => stableOperatorIds(job), [job]);
  const id = ids.get(op.id);
  if (id === undefined) return null;
  const where = id.source === 'uid'
    ? 'from its uid'
    : 'hashed from its kind, settings and inputs; parallelism, names, partitioners and downstream edits keep it';
  return (
    <div className="op-identity" data-testid="inspector-stable-id" data-source={id.source} data-value={id.stableId}>
      <span className="op-identity__label">State id</span>
      <code className="op-identity__value" title={id.stableId}>{id.stableId}</code>
      <span className="op-identity__note">{where}. Checkpoints find this operator's state by it.</span>
    </div>
  );
}

export function MaxParallelismFormulas({ job, op }: { job: JobGraph; op: OperatorSpec }) {
  const inEffect = job.maxParallelismFormula ?? 'sluice';
  const p = op.parallelism;
  return (
    <div className="op-formulas" data-testid="inspector-max-parallelism-formulas">
      <span className="op-identity__label">Default max parallelism at p = {p}</span>
      <ul className="op-formulas__list">
        {FORMULAS.map(({ formula, label, text }) => {
          const value = safeMaxParallelism(() => maxParallelismFor(p, formula));
          const active = formula === inEffect && op.maxParallelism === undefined;
          return (
            <li key={formula} className={active ? 'op-formulas__item op-formulas__item--active' : 'op-formulas__item'}
              data-testid={`inspector-formula-${formula}`} data-value={value ?? ''} data-active={active}>
              <span className="op-formulas__name">{label}{formula === inEffect ? ' · this job' : ''}</span>
              <code className="op-formulas__text">{text}</code>
              <strong className="op-formulas__value">{value ?? '—'}</strong>
            </li>
          );
        })}
      </ul>
      {op.maxParallelism !== undefined && <span className="op-identity__note">Set explicitly to {op.maxParallelism}; the formulas do not apply.</span>}
    </div>
  );
}

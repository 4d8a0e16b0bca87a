/**
 * The operator factory: one `StreamOperator` per operator subtask, from the job's spec with
 * the catalogue's defaults filled in (`configWithDefaults`). Sources are not operators here:
 * they have no input and are driven by the scheduler's ticks (see `src/engine/sources`).
 */
import type { OperatorKind, OperatorSpec } from '../job/types';
import { CollectSink } from './collectSink';
import { ConditionFilter } from './conditionFilter';
import { CountingDiscardSink } from './countingDiscardSink';
import { FirstPerKeyDedup } from './firstPerKeyDedup';
import { ListFlatMap } from './listFlatMap';
import { fullConfig } from './operatorConfig';
import { RunningAggregate } from './runningAggregate';
import { SampledLogSink } from './sampledLogSink';
import { SetFieldMap } from './setFieldMap';
import type { StreamOperator } from './types';
import { UnionPassThrough } from './unionPassThrough';
import { WindowAggregate } from './windowAggregate';

/** Kinds `createOperator` builds: every catalogue kind except the sources. */
export type OperatorKindWithInput = Exclude<OperatorKind, 'datagen' | 'sequence'>;

/** Is this kind an operator (as opposed to a source)? */
export function isOperatorWithInput(kind: OperatorKind): kind is OperatorKindWithInput {
  return kind !== 'datagen' && kind !== 'sequence';
}

/**
 * A new operator instance for one subtask. Nothing runs yet: expressions compile in `open`.
 *
 * @throws Error for source kinds, and TypeError for a config that validation would have refused.
 */
export function createOperator(spec: Pick<OperatorSpec, 'kind' | 'config'>): StreamOperator {
  const config = fullConfig(spec);
  switch (spec.kind) {
    case 'map': return new SetFieldMap(config);
    case 'filter': return new ConditionFilter(config);
    case 'flatMap': return new ListFlatMap(config);
    case 'union': return new UnionPassThrough();
    case 'aggregate': return new RunningAggregate(config);
    case 'window': return new WindowAggregate(config);
    case 'dedup': return new FirstPerKeyDedup(config);
    case 'collect': return new CollectSink(config);
    case 'log': return new SampledLogSink(config);
    case 'discard': return new CountingDiscardSink();
    case 'datagen':
    case 'sequence':
      throw new Error(`'${spec.kind}' is a source: build it with createSource, not createOperator.`);
  }
}

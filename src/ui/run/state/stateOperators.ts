/**
 * Which operators the State panel offers: the job's keyed operators (the catalogue's `keyed`
 * category), in job order, then any operator the cluster reports keyed state for that the job
 * does not name (it should not happen; the panel still shows what it is told).
 */
import { CATALOGUE, type JobGraph } from '../../../engine';
import type { StateMetrics } from '../../../engine/runtime/telemetry';

export interface KeyedOperatorChoice {
  id: string;
  name: string;
}

export function keyedOperators(job: JobGraph | null, state: StateMetrics | undefined): KeyedOperatorChoice[] {
  const choices: KeyedOperatorChoice[] = (job?.operators ?? [])
    .filter((op) => CATALOGUE[op.kind]?.category === 'keyed')
    .map((op) => ({ id: op.id, name: op.name }));
  for (const op of state?.operators ?? []) {
    if (!choices.some((c) => c.id === op.operatorId)) choices.push({ id: op.operatorId, name: op.operatorId });
  }
  return choices;
}

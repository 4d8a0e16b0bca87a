/** Test support: the rescale scenario's word count (public/scenarios/rescale.json), its Count at parallelism 1. */
import { readFileSync } from 'node:fs';
import type { JobGraph } from '../../job/types';

const SCENARIO = JSON.parse(readFileSync(new URL('../../../../public/scenarios/rescale.json', import.meta.url), 'utf8')) as { job: JobGraph };

export const RESCALE_JOB: JobGraph = {
  ...SCENARIO.job,
  operators: SCENARIO.job.operators.map((op) => (op.id === 'count' ? { ...op, parallelism: 1 } : op)),
};

/**
 * The fault-schedule oracle (testing/faultOracle.ts): ORACLE_SEEDS seeds (default 200) × at
 * least 10 faults each, every seed under one of global/regional × full/region (seed mod 4).
 * A failing seed prints a one-line replay; add it to REGRESSION_SEEDS to keep it as a named test.
 * `ORACLE_SEEDS=2000` runs a longer sweep; `ORACLE_SEED=n` replays one seed.
 */
import { describe, expect, it } from 'vitest';
import {
  compareOutputs, faultSchedule, MODES, runOracle, type OracleMode, type OracleRun, type SinkContents,
} from './testing/faultOracle';
import type { CheckpointSabotage } from './OperatorTask';

const FAULTS_PER_SEED = 12;
const replaySeed = process.env.ORACLE_SEED === undefined ? undefined : Number(process.env.ORACLE_SEED);
const seedCount = Number(process.env.ORACLE_SEEDS ?? 200);
/** Seeds that once failed, kept as named tests. */
const REGRESSION_SEEDS: number[] = [2, 9, 13, 32, 44, 76, 110, 152];

let baseline: SinkContents | undefined;
async function baselineOutput(): Promise<SinkContents> {
  if (baseline === undefined) {
    const run = await runOracle(MODES[0] as OracleMode, []);
    if (!run.finished) throw new Error(`The failure-free oracle run did not finish (${run.state}).`);
    baseline = run.committed;
  }
  return baseline;
}

async function checkSeed(seed: number, sabotage: CheckpointSabotage = {}): Promise<{ run: OracleRun; problems: string[] }> {
  const mode = MODES[seed % MODES.length] as OracleMode;
  const run = await runOracle(mode, faultSchedule(seed, FAULTS_PER_SEED), sabotage);
  const problems = [...run.violations];
  if (!run.finished) problems.push(`the run ended ${run.state}, not finished`);
  else problems.push(...compareOutputs(await baselineOutput(), run.committed));
  return { run, problems };
}

const replay = (seed: number): string => `ORACLE_SEED=${seed} npx vitest run src/engine/cluster/faultOracle.test.ts`;

describe('fault-schedule oracle: exactly once, state restored as checkpointed, regions restart alone', () => {
  it('the failure-free run finishes with output in both sinks', async () => {
    const out = await baselineOutput();
    expect(out.out?.length).toBeGreaterThan(500);
    expect(out.out2?.length).toBe(600);
  });

  for (const seed of REGRESSION_SEEDS) {
    it(`regression seed ${seed}`, async () => {
      expect((await checkSeed(seed)).problems).toEqual([]);
    });
  }

  it(replaySeed === undefined ? `${seedCount} seeds × ${FAULTS_PER_SEED} faults over global/regional × full/region` : `seed ${replaySeed}`, async () => {
    const seeds = replaySeed === undefined ? Array.from({ length: seedCount }, (_, i) => i + 1) : [replaySeed];
    let faults = 0;
    let duringCheckpoint = 0;
    let recoveries = 0;
    let checkpoints = 0;
    let fewest = Number.POSITIVE_INFINITY;
    const failed: string[] = [];
    for (const seed of seeds) {
      const { run, problems } = await checkSeed(seed);
      faults += run.faultsApplied;
      fewest = Math.min(fewest, run.faultsApplied);
      duringCheckpoint += run.faultsDuringCheckpoint;
      recoveries += run.recoveries;
      checkpoints += run.checkpointsCompleted;
      if (problems.length > 0) failed.push(`seed ${seed} (${JSON.stringify(MODES[seed % MODES.length])}): ${problems.join('; ')}\n  replay: ${replay(seed)}`);
    }
    console.log(`fault oracle: ${seeds.length} seeds, ${faults} faults applied (at least ${fewest} per seed; ${duringCheckpoint} while a checkpoint was in flight), ` +
      `${recoveries} recoveries, ${checkpoints} checkpoints completed, ${failed.length} failing`);
    expect(failed).toEqual([]);
    expect(fewest).toBeGreaterThanOrEqual(10);
  }, 600_000);
});

describe('the oracle bites: deliberately broken checkpointing is caught', () => {
  const variants: [string, CheckpointSabotage][] = [
    ['skip alignment', { skipAlignment: true }],
    ['ack before snapshot', { ackBeforeSnapshot: true }],
    ['re-emit after restore', { reemitAfterRestore: true }],
  ];
  for (const [name, sabotage] of variants) {
    it(name, async () => {
      let caughtAt: number | undefined;
      for (let seed = 1; seed <= 24 && caughtAt === undefined; seed++) {
        if ((await checkSeed(seed, sabotage)).problems.length > 0) caughtAt = seed;
      }
      expect(caughtAt, `${name} was never caught`).toBeDefined();
    }, 120_000);
  }
});

/**
 * What JobManager HA costs and buys in Node, printed (DESIGN.md §9: figures, never timing
 * assertions): the keyed job at max speed with checkpoints every 200 virtual ms, its HA
 * snapshots written to the memory stores versus stores that drop every write (what building
 * and writing snapshots costs); snapshot writes per checkpoint and their size as JSON (what a
 * worker or IndexedDB would copy); and the wall time of a takeover next to the virtual time it
 * costs (none). Only correctness is asserted.
 */
import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../job/types';
import { MemoryCoordinationStore, MemoryHaStore } from '../ha/MemoryHaStore';
import { HA_KEYS, type VersionedRecord } from '../ha/types';
import { jobIdOf } from './jobId';
import { LocalCluster } from './LocalCluster';
import type { HaPorts } from './HaController';
import { KEYED_COUNT_JOB } from './testing/jobs';
import { nodeClock } from './testing/nodeClock';

const KEYED: JobGraph = { ...KEYED_COUNT_JOB, name: 'Keyed HA' };
const CONFIG = { taskManagers: 2, slotsPerTaskManager: 2, costScale: 0.001, checkpointIntervalMs: 200, speed: 'max' as const, paused: true };

/** A store that drops every record (the baseline: a run that pays nothing for HA writes). */
class DroppingStore extends MemoryHaStore {
  private version = 0;
  override async put<T>(_key: string, _value: T, _epoch: number): Promise<number> {
    return ++this.version;
  }

  override async get<T>(): Promise<VersionedRecord<T> | undefined> {
    return undefined;
  }
}

async function measure(label: string, ha: HaPorts): Promise<{ perSecond: number; writes: number; bytes: number }> {
  const cluster = new LocalCluster({ clock: nodeClock, ha });
  await cluster.start(KEYED, CONFIG);
  await cluster.advance(100);
  const produced = async () => (await cluster.metrics()).subtasks.filter((s) => s.operatorId === 'gen').reduce((n, s) => n + s.recordsOut, 0);
  const before = await produced();
  const started = nodeClock.now();
  await cluster.advance(2_000);
  const wallMs = nodeClock.now() - started;
  const records = (await produced()) - before;
  const ha0 = await cluster.haStatus();
  const snapshot = await ha.coordination.get(HA_KEYS.snapshot(jobIdOf(KEYED)));
  const checkpoints = await ha.file.get(HA_KEYS.checkpoints(jobIdOf(KEYED)));
  const bytes = snapshot === undefined ? 0 : JSON.stringify(snapshot.value).length;
  const checkpointBytes = checkpoints === undefined ? 0 : JSON.stringify(checkpoints.value).length;
  const completed = (await cluster.checkpoints()).summary.completed;
  await cluster.stop();
  console.log(`HA cost, ${label}: ${(records / wallMs / 1000).toFixed(3)} M records/s; ${ha0.snapshotWrites} snapshot writes for ${completed} checkpoints; last snapshot ${bytes.toLocaleString('en')} bytes of JSON, checkpoints record in the file store ${checkpointBytes.toLocaleString('en')} (written once per completion)`);
  return { perSecond: records / wallMs, writes: ha0.snapshotWrites, bytes };
}

class DroppingCoordination extends MemoryCoordinationStore {
  private version = 0;
  override async put<T>(_key: string, _value: T, _epoch: number): Promise<number> {
    return ++this.version;
  }
}

describe('JobManager HA in Node (printed, not asserted)', () => {
  it('snapshot writes: kept vs dropped; a takeover costs wall time, not virtual time', async () => {
    const kept = await measure('snapshots kept in both stores', { coordination: new MemoryCoordinationStore(), file: new MemoryHaStore('file') });
    const dropped = await measure('snapshots dropped (no HA)', { coordination: new DroppingCoordination(), file: new DroppingStore('file') });
    console.log(`HA cost: throughput with HA snapshots is ${(kept.perSecond / dropped.perSecond).toFixed(2)}× the run without`);
    expect(kept.writes).toBeGreaterThan(0);

    const cluster = new LocalCluster({ clock: nodeClock });
    await cluster.start(KEYED, CONFIG);
    await cluster.advance(1_000);
    const attempts = (await cluster.metrics()).subtasks.map((s) => s.attempt);
    const at = (await cluster.status()).virtualTimeMs;
    expect(cluster.killJobManager()).toBeNull();
    const started = nodeClock.now();
    await cluster.advance(10);
    const wallMs = nodeClock.now() - started;
    const change = (await cluster.haStatus()).leaderChanges[0];
    console.log(`HA takeover in Node: ${wallMs.toFixed(1)} ms wall (one tick included); virtual time lost: ${(change?.virtualTimeMs ?? at) - at} ms; subtasks kept running: ${change?.keptRunning ?? 0}`);
    expect((await cluster.metrics()).subtasks.map((s) => s.attempt)).toEqual(attempts);
    await cluster.stop();
  }, 120_000);
});

/**
 * Keyed state wired into the running cluster: `lookupState` end to end (routing, between
 * ticks, specific errors), `metrics().state` assembled from sampled TaskManager reports, and
 * storage errors (a failed background flush, a rejected prepare) failing the job with the
 * storage's code instead of hanging or losing the tick.
 */
import { describe, expect, it } from 'vitest';
import { keyGroupForKey, operatorIndexForKeyGroup } from '../keygroups/keyGroups';
import type { StreamRecord } from '../runtime/types';
import { createMemoryStateStorage } from '../state/memory/MemoryStateStorage';
import type { KeyedStateBackend, StateStorage } from '../state/types';
import { LocalCluster } from './LocalCluster';
import { nodeClock } from './testing/nodeClock';
import { BOUNDED_SEQUENCE_JOB, galleryJob, runFor } from './testing/jobs';

const WORD_COUNT = galleryJob('word-count');
const SHAPE = { taskManagers: 2, slotsPerTaskManager: 4 } as const;

/** The last count the sink saw per word. */
function lastCounts(records: readonly StreamRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of records) counts.set(record.key as string, record.value as number);
  return counts;
}

function storageFullError(): Error & { code: string } {
  return Object.assign(new Error('Storage full: free site storage or run with stateBackend "memory".'), { code: 'state.storageFull' });
}

describe('lookupState', () => {
  it('answers a key with its key group, subtask, TaskManager and count, at least the last count the sink saw', async () => {
    const { cluster } = await runFor(WORD_COUNT, SHAPE, 3_000);
    const output = await cluster.output('out');
    const counts = lastCounts([...output.committed, ...output.pending]);
    const [word, count] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] as [string, number];
    const answer = await cluster.lookupState('count', word);
    const maxParallelism = (await cluster.metrics()).state?.operators[0]?.maxParallelism as number;
    const keyGroup = keyGroupForKey(word, maxParallelism);
    expect(answer).toMatchObject({ operatorId: 'count', key: word, keyGroup, subtask: operatorIndexForKeyGroup(maxParallelism, 4, keyGroup) });
    expect(answer.entries).toHaveLength(1);
    expect(answer.entries[0]).toMatchObject({ state: 'aggregate-acc', namespace: '' });
    // The sink lags the state by the records still travelling from count to out.
    const value = answer.entries[0]?.value as number;
    expect(value).toBeGreaterThanOrEqual(count);
    expect(value).toBeLessThanOrEqual(count * 1.05 + 5);
    // The trace is untouched by a lookup: the same run without one has the same hash.
    const again = await runFor(WORD_COUNT, SHAPE, 3_000);
    expect(await again.cluster.traceHash()).toBe(await cluster.traceHash());
  });

  it('an absent key has no rows; a number is not the same key as its text', async () => {
    const { cluster } = await runFor(BOUNDED_SEQUENCE_JOB, SHAPE, 1_000);
    expect((await cluster.lookupState('sum', 'no-such-key')).entries).toEqual([]);
    const text = await cluster.lookupState('sum', 'key-1');
    expect(text.entries.length).toBe(1);
    expect((await cluster.lookupState('sum', 1)).entries).toEqual([]);
  });

  it('works while the run is running, between ticks', async () => {
    const cluster = new LocalCluster({ clock: nodeClock });
    await cluster.start(WORD_COUNT, { ...SHAPE, speed: 'max' });
    await nodeClock.sleep(50);
    const answers = await Promise.all(['the', 'a', 'of'].map((word) => cluster.lookupState('count', word)));
    expect(answers.map((a) => a.operatorId)).toEqual(['count', 'count', 'count']);
    expect((await cluster.status()).state).toBe('running');
    await cluster.stop();
  });

  it('says what is wrong: no run, unknown operator, not keyed, not a key, TaskManager lost', async () => {
    const idle = new LocalCluster({ clock: nodeClock });
    await expect(idle.lookupState('count', 'a')).rejects.toThrow(/No job is running/);
    const { cluster } = await runFor(WORD_COUNT, SHAPE, 500);
    await expect(cluster.lookupState('nope', 'a')).rejects.toThrow(/Operator 'nope' does not exist.*keyed operators: count/);
    await expect(cluster.lookupState('normalise', 'a')).rejects.toThrow(/keeps no keyed state/);
    await expect(cluster.lookupState('count', 1.5)).rejects.toThrow(/int32/);
    await cluster.stop();
    await expect(cluster.lookupState('count', 'a')).rejects.toThrow(/run is stopped/);

    const lost = await runFor(WORD_COUNT, { taskManagers: 4, slotsPerTaskManager: 1, restartAttempts: 0 }, 200);
    await lost.cluster.inject({ kind: 'kill-taskmanager', taskManager: 3 });
    await lost.cluster.advance(10);
    // The run fails (no restarts allowed), so every lookup now says there is no run.
    await expect(lost.cluster.lookupState('count', 'a')).rejects.toThrow(/run is failed/);
  });
});

describe('metrics().state', () => {
  it('assembles backend figures and every keyed subtask’s key groups, summed per TaskManager', async () => {
    const { cluster } = await runFor(WORD_COUNT, SHAPE, 2_000);
    const state = (await cluster.metrics()).state;
    expect(state).toBeDefined();
    if (state === undefined) return;
    expect(state.backend).toBe('memory');
    expect(state.figures.kind).toBe('memory');
    expect(state.perTaskManager.map((tm) => tm.taskManager)).toEqual([0, 1]);
    expect(state.operators.map((op) => [op.operatorId, op.stateId])).toEqual([['count', 'word-count-v1']]);
    const op = state.operators[0];
    if (op === undefined) return;
    expect(op.subtasks.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    // Ranges tile every key group, in order.
    expect(op.subtasks[0]?.keyGroupStart).toBe(0);
    expect(op.subtasks[3]?.keyGroupEnd).toBe(op.maxParallelism - 1);
    for (let i = 1; i < 4; i++) expect(op.subtasks[i]?.keyGroupStart).toBe((op.subtasks[i - 1]?.keyGroupEnd as number) + 1);
    // Every key group reported lies in its subtask's range, and totals add up to the distinct words seen.
    let total = 0;
    for (const subtask of op.subtasks) {
      for (const kg of subtask.keyGroups) {
        expect(kg.keyGroup).toBeGreaterThanOrEqual(subtask.keyGroupStart);
        expect(kg.keyGroup).toBeLessThanOrEqual(subtask.keyGroupEnd);
      }
      expect(subtask.totalEntries).toBe(subtask.keyGroups.reduce((sum, kg) => sum + kg.entries, 0));
      total += subtask.totalEntries;
    }
    const output = await cluster.output('out');
    const seen = lastCounts([...output.committed, ...output.pending]).size;
    // Words whose first count is still on its way to the sink are in state already.
    expect(total).toBeGreaterThanOrEqual(seen);
    expect(total).toBeLessThanOrEqual(seen + 20);
  });

  it('a lost TaskManager’s figures drop out', async () => {
    const { cluster } = await runFor(WORD_COUNT, { taskManagers: 4, slotsPerTaskManager: 1 }, 300);
    expect((await cluster.metrics()).state?.perTaskManager).toHaveLength(4);
    await cluster.inject({ kind: 'kill-taskmanager', taskManager: 2 });
    await cluster.advance(10);
    const state = (await cluster.metrics()).state;
    expect(state?.perTaskManager.map((tm) => tm.taskManager)).toEqual([0, 1, 3]);
    const lostSubtask = state?.operators[0]?.subtasks.find((s) => s.taskManager === 2);
    expect(lostSubtask?.keyGroups).toEqual([]);
  });
});

/** A memory storage whose end of tick throws from `failFromMs` on. */
function failingEndTick(failFromMs: number): () => StateStorage {
  return () => {
    const storage = createMemoryStateStorage();
    return Object.assign(Object.create(storage) as StateStorage, {
      endTick: (nowMs: number) => {
        if (nowMs >= failFromMs) throw storageFullError();
      },
    });
  };
}

/** A memory storage whose backends ask to prepare and reject it from `failFromMs` on. */
function failingPrepare(failFromMs: number): () => StateStorage {
  let nowMs = 0;
  return () => {
    const storage = createMemoryStateStorage();
    return Object.assign(Object.create(storage) as StateStorage, {
      endTick: (ms: number) => {
        nowMs = ms;
      },
      openKeyedBackend: (options: Parameters<StateStorage['openKeyedBackend']>[0]) => {
        const backend = storage.openKeyedBackend(options) as KeyedStateBackend;
        return Object.assign(Object.create(backend) as KeyedStateBackend, {
          needsPrepare: true,
          prepare: () => (nowMs >= failFromMs ? Promise.reject(storageFullError()) : Promise.resolve()),
        });
      },
    });
  };
}

describe('state storage errors fail the job clearly', () => {
  it('a failed background flush (endTick throws) fails the run with the storage’s code, and nothing hangs', async () => {
    const cluster = new LocalCluster({ clock: nodeClock, createStateStorage: failingEndTick(500) });
    await cluster.start(WORD_COUNT, { ...SHAPE, paused: true, restartAttempts: 0 });
    const status = await cluster.advance(2_000);
    expect(status.state).toBe('failed');
    expect(status.failure).toMatchObject({ code: 'state.storageFull', taskManager: 0 });
    expect(status.failure?.message).toMatch(/keyed state storage of TaskManager 0 failed.*Storage full/);
    expect(status.virtualTimeMs).toBe(500);
    // The failing tick's output still arrived.
    expect((await cluster.output('out')).pendingCount + (await cluster.output('out')).committedCount).toBeGreaterThan(0);
    const events = await cluster.events();
    expect(events.some((e) => e.kind === 'run-failed')).toBe(true);
  });

  it('a rejected prepare fails the subtask and the job with the storage’s code', async () => {
    const cluster = new LocalCluster({ clock: nodeClock, createStateStorage: failingPrepare(300) });
    await cluster.start(WORD_COUNT, { ...SHAPE, paused: true, restartAttempts: 0 });
    const status = await cluster.advance(2_000);
    expect(status.state).toBe('failed');
    expect(status.failure).toMatchObject({ code: 'state.storageFull', operatorId: 'count' });
    expect(status.failure?.message).toMatch(/could not read or write its keyed state: Storage full/);
  });
});

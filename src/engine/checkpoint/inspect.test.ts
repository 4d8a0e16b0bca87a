import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../job/types';
import { BOUNDED_SEQUENCE_JOB, galleryJob, runFor } from '../cluster/testing/jobs';
import { filterOperators, type CheckpointDetail } from './inspect';
import { CHECKPOINT_METADATA_VERSION, readCheckpointMetadata } from './inspectExport';

/** The bounded job, long enough not to finish during the tests, with a uid on the keyed operator. */
const JOB: JobGraph = {
  ...BOUNDED_SEQUENCE_JOB,
  operators: BOUNDED_SEQUENCE_JOB.operators.map((op) => {
    if (op.id === 'sum') return { ...op, uid: 'sum-state' };
    return op.id === 'numbers' ? { ...op, config: { ...op.config, to: 60_000 } } : op;
  }),
};

function byId(detail: CheckpointDetail, id: string) {
  const op = detail.operators.find((o) => o.operatorId === id);
  if (op === undefined) throw new Error(`no operator ${id}`);
  return op;
}

describe('checkpoint inspector on a real run', () => {
  it('per operator, subtask and key group: totals equal the checkpoint’s reported sizes; later checkpoints re-reference unchanged shard versions', async () => {
    const { cluster } = await runFor(JOB, { stateBackend: 'memory', checkpointIntervalMs: 300, checkpointType: 'incremental' }, 1_700);
    const report = await cluster.checkpoints();
    const completed = report.history.filter((c) => c.status === 'completed');
    expect(completed.length).toBeGreaterThanOrEqual(3);
    const latest = await cluster.checkpointDetail();
    expect(latest.id).toBe(completed[completed.length - 1]?.id);
    expect(latest.retention.retained.length).toBeGreaterThan(0);
    let referenced = 0;
    for (const id of latest.retention.retained) {
      const detail = await cluster.checkpointDetail(id);
      const stats = completed.find((c) => c.id === id);
      expect(detail.totals.ackStateSize).toBe(stats?.stateSize);
      expect(detail.totals.ackChangedSize).toBe(stats?.changedSize);
      // Global mode: every subtask restores from this checkpoint, so rows are its own.
      expect(detail.totals.rows).toBe(stats?.stateSize);
      expect(detail.totals.writtenRows).toBe(stats?.changedSize);
      const kgs = detail.operators.flatMap((o) => o.subtasks.flatMap((s) => s.keyGroups));
      expect(kgs.length).toBe(detail.totals.keyGroups);
      expect(kgs.filter((g) => g.origin === 'written').reduce((n, g) => n + g.rows, 0) + detail.totals.referencedRows).toBe(detail.totals.rows);
      expect(kgs.filter((g) => g.origin === 'referenced').every((g) => g.writtenRows === 0)).toBe(true);
      if (id !== completed[0]?.id) referenced += kgs.filter((g) => g.origin === 'referenced').length;
    }
    // Later incremental checkpoints leave some key groups unchanged: they point at older versions.
    expect(referenced).toBeGreaterThan(0);
    const sum = byId(latest, 'sum');
    expect(sum).toMatchObject({ stateId: 'sum-state', uid: 'sum-state', name: 'Sum per key', kind: 'aggregate', keyed: true, parallelism: 4 });
    expect(sum.subtasks.map((s) => s.index)).toEqual([0, 1, 2, 3]);
    for (const s of sum.subtasks) {
      expect(s.keyGroupRange).toBeDefined();
      expect(s.taskManager).not.toBeNull();
      for (const kg of s.keyGroups) {
        expect(kg.keyGroup).toBeGreaterThanOrEqual(s.keyGroupRange?.start ?? -1);
        expect(kg.keyGroup).toBeLessThanOrEqual(s.keyGroupRange?.end ?? -1);
        if (kg.origin === 'written') expect(kg.version).toBe(latest.id);
        else expect(kg.version === null || kg.version < latest.id).toBe(true);
      }
    }
    const numbers = byId(latest, 'numbers');
    expect(numbers.keyed).toBe(false);
    expect(numbers.subtasks.every((s) => (s.sourceOffsets?.length ?? 0) > 0)).toBe(true);
    expect(byId(latest, 'out').subtasks.every((s) => s.operatorState !== undefined)).toBe(true);
    await cluster.stop();
  });

  it('a checkpoint that is not retained, and a run without checkpoints, give coded errors', async () => {
    const { cluster } = await runFor(JOB, { stateBackend: 'memory', checkpointIntervalMs: 0 }, 200);
    await expect(cluster.checkpointDetail()).rejects.toMatchObject({ code: 'inspect.noCheckpoint' });
    await cluster.triggerCheckpoint();
    await cluster.advance(300);
    const detail = await cluster.checkpointDetail();
    await expect(cluster.checkpointDetail(detail.id + 5)).rejects.toMatchObject({ code: 'inspect.unknownCheckpoint', message: expect.stringMatching(/retained checkpoints: \d/) });
    await cluster.stop();
  });

  it('filters operators by id, state id or name, case-insensitively', async () => {
    const { cluster } = await runFor(JOB, { stateBackend: 'memory', checkpointIntervalMs: 300 }, 700);
    const detail = await cluster.checkpointDetail();
    expect(filterOperators(detail.operators, 'SUM').map((o) => o.operatorId)).toEqual(['sum']);
    expect(filterOperators(detail.operators, 'sum-state').map((o) => o.operatorId)).toEqual(['sum']);
    expect(filterOperators(detail.operators, 'numb').map((o) => o.operatorId)).toEqual(['numbers']);
    expect(filterOperators(detail.operators, '  ').length).toBe(JOB.operators.length);
    expect(filterOperators(detail.operators, 'nothing-like-it')).toEqual([]);
    await cluster.stop();
  });

  it('exports a versioned JSON document that survives a JSON round trip and names every handle’s operator', async () => {
    const { cluster } = await runFor(JOB, { stateBackend: 'memory', checkpointIntervalMs: 300 }, 1_000);
    const doc = await cluster.exportCheckpoint();
    expect(doc.sluice).toBe(CHECKPOINT_METADATA_VERSION);
    const text = JSON.stringify(doc);
    const read = readCheckpointMetadata(text);
    expect(read.ok && read.document).toEqual(doc);
    expect(doc.operatorNames).toMatchObject({ sum: 'Sum per key', numbers: 'Numbers' });
    expect(doc.stateIds['sum-state']).toBe('sum');
    expect(doc.handles.length).toBe(doc.checkpoint.totals.subtasks);
    const keyed = doc.handles.filter((h) => h.operatorId === 'sum');
    expect(keyed.every((h) => h.handle?.keyed?.operatorId === 'sum-state')).toBe(true);
    expect(readCheckpointMetadata('{').ok).toBe(false);
    expect(readCheckpointMetadata('{"sluice":"job/1"}')).toMatchObject({ ok: false, code: 'inspect.export.version' });
    expect(readCheckpointMetadata(`{"sluice":"${CHECKPOINT_METADATA_VERSION}"}`)).toMatchObject({ ok: false, code: 'inspect.export.shape' });
    await cluster.stop();
  });

  it('reports every cleanup of state versions with the backends’ figures, the same on 2 and 4 TaskManagers', async () => {
    const runs = [];
    for (const taskManagers of [2, 4]) {
      // Word count overwrites its keys' counts, so folding versions releases rows.
      const { cluster } = await runFor(galleryJob('word-count'), { stateBackend: 'memory', checkpointIntervalMs: 200, taskManagers, slotsPerTaskManager: 2 }, 1_500);
      const report = await cluster.checkpoints();
      const detail = await cluster.checkpointDetail();
      runs.push(report.cleanups);
      const cleanups = report.cleanups ?? [];
      expect(cleanups.length).toBeGreaterThan(2);
      expect(cleanups[cleanups.length - 1]?.before).toBe(detail.retention.releasableBefore);
      for (const cleanup of cleanups) {
        expect(cleanup.operators.map((o) => [o.operatorId, o.subtasks])).toEqual([['count', 4]]);
        expect(cleanup.totals.versionsRetained).toBeGreaterThan(0);
        // The memory backend measures rows, not bytes.
        expect(cleanup.totals.bytesReleased).toBeUndefined();
      }
      expect(cleanups.reduce((n, c) => n + c.totals.versionsReleased, 0)).toBeGreaterThan(0);
      expect(cleanups.reduce((n, c) => n + c.totals.rowsReleased, 0)).toBeGreaterThan(0);
      // Cleanups keep the history bounded: only the retained checkpoints' metadata stays.
      expect(detail.retention.referenced).toEqual(detail.retention.retained);
      await cluster.stop();
    }
    expect(runs[1]).toEqual(runs[0]);
  });
});

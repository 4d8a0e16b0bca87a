// Fault-tolerance figures for `npm run bench` (issue "Fault tolerance"), measured in the app
// through `window.sluice` on worker TaskManagers with the default IndexedDB state:
//
// 1. Recovery per failover strategy, same job (word count) and same fault (kill Count #1 at
//    3 virtual s, checkpoints every second): virtual ms from the failure to the restarted
//    subtasks running again (the restart delay is part of it), wall ms for the same span,
//    subtasks restarted, records lost (approximate recovery only).
// 2. Checkpoint duration and size as keyed state grows, full vs incremental: a keyed count over
//    200k distinct keys, checkpoints every second; per checkpoint, virtual duration, full size
//    and what an incremental checkpoint wrote (rows).
//
// 3. JobManager failover (HA) on the same job at the same moment: wall ms from the kill to the
//    new leader's reconciliation (a real JobManager worker termination, a fresh worker that
//    adopts the running TaskManager workers), virtual ms lost, subtasks restarted, and the same
//    with the coordination store down (recovered from the file store), next to the rows above.
//
// Prints rows; asserts nothing.

const KILL_AT_MS = 3000;

/** One run: start paused, advance to the kill, inject, advance in small steps until resumed. */
async function recoveryRun(page, job, failover) {
  return page.evaluate(async ({ job, failover, killAtMs }) => {
    const sluice = window.sluice;
    const loaded = await sluice.loadJob(job);
    if (!loaded.ok) return { unavailable: `job invalid: ${loaded.errors[0]?.message}` };
    const started = await sluice.start({
      paused: true, speed: 'max', seed: 5, checkpointIntervalMs: 1000, failover, restartDelayMs: 500,
      taskManagers: 2, slotsPerTaskManager: 2,
    });
    if (!started.ok) return { unavailable: `start refused: ${started.errors?.[0]?.message}` };
    await sluice.advance(killAtMs);
    await sluice.inject({ kind: 'kill-task', operator: 'count', subtask: 1 });
    const t0 = performance.now();
    let recovery;
    for (let i = 0; i < 200; i++) {
      const status = await sluice.advance(50);
      recovery = (await sluice.recoveries())[0];
      if (recovery?.resumedMs !== undefined || status.state === 'failed') break;
    }
    const wallMs = performance.now() - t0;
    const status = await sluice.status();
    await sluice.stop();
    if (recovery === undefined) return { unavailable: `no recovery (run ${status.state}: ${status.failure?.message ?? ''})` };
    return {
      virtualMs: recovery.resumedMs === undefined ? null : recovery.resumedMs - recovery.virtualTimeMs,
      wallMs, restarted: recovery.restarted.length, restoredFrom: recovery.restoredFrom[0]?.checkpointId ?? 0,
      recordsLost: recovery.recordsLost ?? 0, strategy: recovery.strategy,
    };
  }, { job, failover, killAtMs: KILL_AT_MS });
}

function keyedStateJob() {
  return {
    sluice: 'job/1', name: 'bench checkpoints',
    operators: [
      { id: 'src', kind: 'datagen', name: 'Source', parallelism: 2, config: { keys: 200_000, ratePerSecond: 50_000, partitions: 2, eventTime: false } },
      { id: 'count', kind: 'aggregate', name: 'Count', parallelism: 4, config: { fn: 'count' } },
      { id: 'out', kind: 'discard', name: 'Out', parallelism: 4, config: {} },
    ],
    edges: [
      { from: 'src', to: 'count', partitioner: 'hash', key: 'key' },
      { from: 'count', to: 'out', partitioner: 'forward' },
    ],
  };
}

/** One JobManager kill at the same moment as the task kills; `storeDown` takes the coordination store down first. */
async function jobManagerRun(page, job, storeDown) {
  return page.evaluate(async ({ job, storeDown, killAtMs }) => {
    const sluice = window.sluice;
    if (typeof sluice.haStatus !== 'function') return { unavailable: 'this build has no haStatus()' };
    const loaded = await sluice.loadJob(job);
    if (!loaded.ok) return { unavailable: `job invalid: ${loaded.errors[0]?.message}` };
    const started = await sluice.start({ paused: true, speed: 'max', seed: 5, checkpointIntervalMs: 1000, taskManagers: 2, slotsPerTaskManager: 2 });
    if (!started.ok) return { unavailable: `start refused: ${started.errors?.[0]?.message}` };
    await sluice.advance(killAtMs);
    if (storeDown) await sluice.inject({ kind: 'coordination-store-down' });
    const before = (await sluice.metrics()).subtasks.map((s) => s.attempt ?? 0).join(',');
    const t0 = performance.now();
    await sluice.inject({ kind: 'kill-jobmanager' });
    let change;
    for (let i = 0; i < 400 && change === undefined; i++) {
      await sluice.advance(10);
      change = (await sluice.haStatus()).leaderChanges.at(-1);
    }
    const wallMs = performance.now() - t0;
    const after = (await sluice.metrics()).subtasks.map((s) => s.attempt ?? 0).join(',');
    const status = await sluice.status();
    await sluice.stop();
    if (change === undefined) return { unavailable: `no takeover (run ${status.state}: ${status.failure?.message ?? ''})` };
    return { wallMs, lostMs: change.virtualTimeMs - killAtMs, kept: change.keptRunning ?? 0, from: change.recoveredFrom, sameAttempts: before === after };
  }, { job, storeDown, killAtMs: KILL_AT_MS });
}

async function checkpointSeries(page, type) {
  return page.evaluate(async ({ job, type }) => {
    const sluice = window.sluice;
    const loaded = await sluice.loadJob(job);
    if (!loaded.ok) return { unavailable: `job invalid: ${loaded.errors[0]?.message}` };
    const started = await sluice.start({
      paused: true, speed: 'max', seed: 3, checkpointIntervalMs: 1000, checkpointType: type,
      costScale: 0.001, tickMs: 100, taskManagers: 2, slotsPerTaskManager: 2,
    });
    if (!started.ok) return { unavailable: `start refused: ${started.errors?.[0]?.message}` };
    const t0 = performance.now();
    await sluice.advance(8500);
    const wallMs = performance.now() - t0;
    const report = await sluice.checkpoints();
    const metrics = await sluice.metrics();
    await sluice.stop();
    const keys = metrics.state?.operators.find((o) => o.operatorId === 'count')?.subtasks.reduce((n, s) => n + s.totalEntries, 0) ?? null;
    return {
      wallMs, keys,
      history: report.history.filter((c) => c.status === 'completed').map((c) => ({
        id: c.id, durationMs: c.durationMs ?? 0, stateSize: c.stateSize, changedSize: c.changedSize, size: c.size,
      })),
    };
  }, { job: keyedStateJob(), type });
}

/** The rows of both parts. */
export async function recoveryRows(app, exampleJob) {
  const rows = [];
  const job = exampleJob('word-count.json');
  for (const failover of ['full', 'region', 'approximate']) {
    await recoveryRun(app, job, failover); // warm-up
    const r = await recoveryRun(app, job, failover);
    if (r.unavailable) {
      rows.push([`kill Count #1 at ${KILL_AT_MS} ms — failover ${failover}`, '—', r.unavailable]);
      continue;
    }
    rows.push([
      `kill Count #1 at ${KILL_AT_MS} ms — failover ${failover}`,
      `${r.virtualMs ?? '—'} virtual ms`,
      `${r.wallMs.toFixed(0)} wall ms until running again; ${r.restarted} subtasks restarted from checkpoint ${r.restoredFrom}; records lost ${r.recordsLost} (restart delay 500 virtual ms included)`,
    ]);
  }
  for (const storeDown of [false, true]) {
    await jobManagerRun(app, job, storeDown); // warm-up
    const r = await jobManagerRun(app, job, storeDown);
    const label = `kill the JobManager at ${KILL_AT_MS} ms${storeDown ? ', coordination store down' : ''}`;
    if (r.unavailable) {
      rows.push([label, '—', r.unavailable]);
      continue;
    }
    rows.push([
      label, `${r.lostMs} virtual ms`,
      `${r.wallMs.toFixed(0)} wall ms until reconciled (one 10 ms advance included); ${r.kept} subtasks kept running, 0 restarted${r.sameAttempts ? ', attempts unchanged' : ', ATTEMPTS CHANGED'}; recovered from the ${r.from} store`,
    ]);
  }
  const series = {};
  for (const type of ['full', 'incremental']) series[type] = await checkpointSeries(app, type);
  const full = series.full.history ?? [];
  const incremental = series.incremental.history ?? [];
  for (let i = 0; i < Math.max(full.length, incremental.length); i++) {
    const f = full[i];
    const n = incremental[i];
    const id = f?.id ?? n?.id;
    rows.push([
      `checkpoint ${id}: full vs incremental (keyed count, 200k keys)`,
      `${f ? f.size : '—'} / ${n ? n.size : '—'} rows`,
      `full ${f ? `${f.durationMs} virtual ms, ${f.stateSize} rows in state` : '—'}; incremental ${n ? `${n.durationMs} virtual ms, ${n.changedSize} rows changed of ${n.stateSize}` : '—'}`,
    ]);
  }
  if (series.full.unavailable || series.incremental.unavailable) {
    rows.push(['checkpoint series', '—', series.full.unavailable ?? series.incremental.unavailable]);
  } else {
    rows.push(['checkpoint series wall time (8.5 virtual s)', `${series.full.wallMs.toFixed(0)} / ${series.incremental.wallMs.toFixed(0)} ms`, `full / incremental; keys in state at the end ${series.incremental.keys ?? '—'}`]);
  }
  return rows;
}

export function printRecoveryRows(rows) {
  console.log(`\n${'fault tolerance'.padEnd(64)} ${'figure'.padStart(20)}   notes`);
  for (const [label, figure, note] of rows) console.log(`${label.padEnd(64)} ${String(figure).padStart(20)}   ${note}`);
}

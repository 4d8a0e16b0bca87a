/**
 * The Faults panel: every fault the canvas offers by direct manipulation, from the keyboard —
 * kill or slow down a subtask, kill a TaskManager, drain one for maintenance (or return it to
 * service), fail the next checkpoint in a region, rescale the selected operator — and
 * the log of faults injected in this run with the cluster's answer (a refusal shows its
 * message here and as a toast).
 */
import { useMemo, useState } from 'react';
import type { Fault } from '../../../engine/runtime/telemetry';
import { formatVirtualTime } from '../../model/runFormat';
import { useApp, useAppStore } from '../../store/appStore';
import { runRegionsOf } from '../../store/derived';
import { injectFromUi, reportFailure } from '../report';
import { drainFromUi, drainTitle } from './drainAction';
import { describeFault } from './faultLog';

const FACTORS = [2, 4, 10, 50];
const OUTCOME_MARK = { pending: '…', applied: '✓', refused: '✕' } as const;

function FaultLog() {
  const log = useApp((s) => s.runFaults);
  if (log.length === 0) return <p className="dock__empty" data-testid="fault-log-empty">No fault injected yet in this run.</p>;
  return (
    <ol className="fault-log" data-testid="fault-log">
      {[...log].reverse().map((e) => (
        <li key={e.id} className={`fault-log__entry is-${e.outcome}`} data-testid="fault-log-entry" data-outcome={e.outcome} data-kind={e.fault.kind}>
          <span className="mono">{formatVirtualTime(e.virtualTimeMs)}</span>
          <span aria-label={e.outcome}>{OUTCOME_MARK[e.outcome]}</span>
          <span>{e.label}</span>
          {e.message && <span className="fault-log__message">refused: {e.message}</span>}
        </li>
      ))}
    </ol>
  );
}

export function FaultsPanel() {
  const store = useAppStore();
  const job = useApp((s) => s.runJob);
  const index = useApp((s) => s.runIndex);
  const taskManagers = useApp((s) => s.runMetrics?.taskManagers);
  const live = useApp((s) => s.runActive && ['running', 'paused', 'restarting'].includes(s.runStatus.state));
  const redeployable = useApp((s) => s.runActive && ['running', 'paused'].includes(s.runStatus.state));
  const operators = job?.operators ?? [];
  const [operator, setOperator] = useState('');
  const [subtask, setSubtask] = useState(0);
  const [factor, setFactor] = useState(10);
  const [region, setRegion] = useState(1);
  const [latency, setLatency] = useState(300);
  const [target, setTarget] = useState(0);
  const op = operators.find((o) => o.id === operator) ?? operators[0];
  const parallelism = (op && index?.subtasks.get(op.id)?.length) || op?.parallelism || 1;
  const regions = useMemo(() => (job ? runRegionsOf(job) : null), [job]);
  const regionIds = regions?.ok ? regions.regions.map((r) => r.id) : [];
  const inject = (fault: Fault) => injectFromUi(store, describeFault(fault, job), fault);
  const at = Math.min(subtask, parallelism - 1);
  const rescaleTo = target > 0 ? target : parallelism * 2;
  const rescale = () => {
    if (!op) return;
    const what = `Rescale ${op.name} to ${rescaleTo}`;
    const run = store.getState().queryRun(what, (api) => api.rescale(op.id, rescaleTo)).then(() => store.getState().toast(`${what}: done.`));
    reportFailure(store, what, run);
  };

  return (
    <div className="faults-panel" data-testid="faults-panel">
      <div className="faults-panel__controls">
        <fieldset className="faults-group">
          <legend>Subtask</legend>
          <select className="input select" data-testid="fault-operator" aria-label="Operator" value={op?.id ?? ''} onChange={(e) => setOperator(e.target.value)}>
            {operators.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
          </select>
          <select className="input select" data-testid="fault-subtask" aria-label="Subtask" value={at} onChange={(e) => setSubtask(Number(e.target.value))}>
            {Array.from({ length: parallelism }, (_, i) => <option key={i} value={i}>#{i}</option>)}
          </select>
          <button type="button" className="btn btn--danger" data-testid="fault-kill-task" disabled={!live || !op}
            onClick={() => op && inject({ kind: 'kill-task', operator: op.id, subtask: at })}>Kill task</button>
          <select className="input select" data-testid="fault-factor" aria-label="Slow-down factor" value={factor} onChange={(e) => setFactor(Number(e.target.value))}>
            {FACTORS.map((f) => <option key={f} value={f}>×{f}</option>)}
          </select>
          <button type="button" className="btn" data-testid="fault-slow-task" disabled={!live || !op}
            onClick={() => op && inject({ kind: 'slow-task', operator: op.id, subtask: at, factor })}>Slow down</button>
          <button type="button" className="btn" data-testid="fault-restore-speed" disabled={!live || !op}
            onClick={() => op && inject({ kind: 'slow-task', operator: op.id, subtask: at, factor: 1 })}>Restore speed</button>
        </fieldset>
        <fieldset className="faults-group">
          <legend>Rescale</legend>
          <input className="input" type="number" min={1} max={128} data-testid="fault-parallelism" aria-label={`New parallelism of ${op?.name ?? 'the operator'}`}
            value={rescaleTo} onChange={(e) => setTarget(Math.max(1, Math.floor(Number(e.target.value) || 1)))} style={{ width: 64 }} />
          <button type="button" className="btn" data-testid="fault-rescale" disabled={!live || !op}
            title="Stop with a checkpoint, reassign key-group ranges, restore at the new parallelism" onClick={rescale}>Rescale {op?.name ?? ''}</button>
        </fieldset>
        <fieldset className="faults-group">
          <legend>TaskManagers</legend>
          {(taskManagers ?? []).map((tm) => (
            <button key={tm.index} type="button" className="btn btn--danger" data-testid={`fault-kill-tm-${tm.index}`} disabled={!live || !tm.alive}
              title={tm.alive ? `Terminate TaskManager ${tm.index} (${tm.subtasks.length} subtasks)` : 'Lost'}
              onClick={() => inject({ kind: 'kill-taskmanager', taskManager: tm.index })}>
              {tm.alive ? '✕' : '☠'} TM {tm.index}
            </button>
          ))}
          {(taskManagers ?? []).length === 0 && <span className="muted">Waiting for the cluster…</span>}
        </fieldset>
        <fieldset className="faults-group">
          <legend>Maintenance</legend>
          {(taskManagers ?? []).map((tm) => (
            <button key={tm.index} type="button" className="btn" data-testid={`fault-${tm.drained ? 'undrain' : 'drain'}-tm-${tm.index}`}
              disabled={!redeployable || !tm.alive} title={drainTitle(tm.index, tm.drained === true)} onClick={() => drainFromUi(store, tm.index, tm.drained)}>
              {tm.drained ? `↩ Return TM ${tm.index}` : `⏏ Drain TM ${tm.index}`}
            </button>
          ))}
        </fieldset>
        <fieldset className="faults-group">
          <legend>JobManager</legend>
          <button type="button" className="btn btn--danger" data-testid="fault-kill-jobmanager" disabled={!live}
            title="Terminate the JobManager worker; a new leader adopts the running TaskManagers"
            onClick={() => inject({ kind: 'kill-jobmanager' })}>Kill JobManager</button>
          <button type="button" className="btn" data-testid="fault-coordination-down" disabled={!live}
            title="HA records go to the file store only; a new leader would recover from it"
            onClick={() => inject({ kind: 'coordination-store-down' })}>Coordination store down</button>
          <button type="button" className="btn" data-testid="fault-coordination-up" disabled={!live}
            onClick={() => inject({ kind: 'coordination-store-up' })}>Coordination store up</button>
          <select className="input select" data-testid="fault-coordination-latency" aria-label="Coordination store latency per call"
            value={latency} onChange={(e) => setLatency(Number(e.target.value))}>
            <option value={0}>answers at once</option>
            <option value={50}>50 ms per call</option>
            <option value={300}>300 ms per call</option>
            <option value={1500}>1500 ms: times out</option>
          </select>
          <button type="button" className="btn" data-testid="fault-coordination-slow" disabled={!live}
            title="Every coordination-store call answers this late (wall time only); beyond 1000 ms a call counts as failed and HA goes on with the file store"
            onClick={() => inject({ kind: 'coordination-store-slow', latencyMs: latency })}>Set store latency</button>
        </fieldset>
        <fieldset className="faults-group">
          <legend>Checkpoints</legend>
          <select className="input select" data-testid="fault-region" aria-label="Region" value={region} onChange={(e) => setRegion(Number(e.target.value))}>
            {regionIds.map((r) => <option key={r} value={r}>region {r}</option>)}
          </select>
          <button type="button" className="btn" data-testid="fault-fail-checkpoint" disabled={!live || regionIds.length === 0}
            onClick={() => inject({ kind: 'fail-checkpoint', region })}>Fail next checkpoint</button>
        </fieldset>
      </div>
      <h3 className="panel-heading faults-panel__log-heading">Injected faults</h3>
      <FaultLog />
    </div>
  );
}

/**
 * The cluster: the JobManager (leader, epoch, HA stores; JobManagerCard.tsx), then each TaskManager with its slots, alive, lost or drained for maintenance, the
 * subtasks it runs (with their state), a button that kills it (a real worker termination in
 * the engine) and one that drains it (its subtasks move elsewhere via a checkpoint) or
 * returns it to service.
 */
import type { SubtaskMetrics, TaskManagerInfo } from '../../engine/runtime/telemetry';
import { useApp, useAppStore } from '../store/appStore';
import type { AppState } from '../store/types';
import { Icon } from '../toolbar/Icon';
import { drainFromUi, drainTitle } from './faults/drainAction';
import { injectFromUi } from './report';
import { JobManagerCard } from './JobManagerCard';

const canInject = (s: AppState) => s.runActive && ['running', 'paused', 'restarting'].includes(s.runStatus.state);

const STATE_MARK: Record<SubtaskMetrics['state'], string> = { created: '…', running: '▶', finished: '✓', failed: '✕', canceled: '■', restarting: '↻', restoring: '⤓' };

function TaskManagerCard({ tm }: { tm: TaskManagerInfo }) {
  const store = useAppStore();
  const job = useApp((s) => s.runJob);
  const index = useApp((s) => s.runIndex);
  const live = useApp(canInject);
  const redeployable = useApp((s) => s.runActive && ['running', 'paused'].includes(s.runStatus.state));
  const name = (id: string) => job?.operators.find((o) => o.id === id)?.name ?? id;
  const drained = tm.drained === true;
  const state = !tm.alive ? 'lost' : drained ? 'drained' : 'alive';
  return (
    <li className={`tm${tm.alive ? '' : ' is-lost'}${drained ? ' is-drained' : ''}`} data-testid={`taskmanager-${tm.index}`} data-alive={tm.alive} data-drained={drained}>
      <header className="tm__header">
        <Icon name="cluster" />
        <h3 className="tm__name">TaskManager {tm.index}</h3>
        <span className={`tm__state tm__state--${state}`} data-testid={`taskmanager-state-${tm.index}`}>
          {state === 'lost' ? '✕ lost' : state === 'drained' ? '⏏ drained for maintenance' : '● alive'}
        </span>
        <span className="muted">{tm.slots} {tm.slots === 1 ? 'slot' : 'slots'} · {tm.subtasks.length} subtasks</span>
        <button
          type="button"
          className="btn tm__drain"
          data-testid={`${drained ? 'undrain' : 'drain'}-taskmanager-${tm.index}`}
          disabled={!tm.alive || !redeployable}
          title={drainTitle(tm.index, drained)}
          onClick={() => drainFromUi(store, tm.index, drained)}
        >
          {drained ? '↩ Return to service' : '⏏ Drain'}
        </button>
        <button
          type="button"
          className="btn btn--danger tm__kill"
          data-testid={`kill-taskmanager-${tm.index}`}
          disabled={!tm.alive || !live}
          title={tm.alive ? 'Terminate this TaskManager\'s worker now' : 'This TaskManager is lost'}
          onClick={() => injectFromUi(store, `Kill TaskManager ${tm.index}`, { kind: 'kill-taskmanager', taskManager: tm.index })}
        >
          <Icon name="skull" /> Kill TaskManager
        </button>
      </header>
      {drained && tm.subtasks.length === 0 && (
        <p className="tm__idle" data-testid={`taskmanager-idle-${tm.index}`}>Up and idle: no subtask is placed here until it returns to service.</p>
      )}
      <ul className="tm__subtasks">
        {tm.subtasks.map((ref) => {
          const m = index?.subtasks.get(ref.operatorId)?.find((s) => s.index === ref.index);
          const state = m?.state ?? 'created';
          return (
            <li key={`${ref.operatorId}#${ref.index}`} className={`tm__subtask tm__subtask--${state}`} title={`${name(ref.operatorId)} subtask ${ref.index}: ${state}, attempt ${m?.attempt ?? 0}`} data-attempt={m?.attempt ?? 0}>
              <span aria-hidden="true">{STATE_MARK[state]}</span> {name(ref.operatorId)} <span className="mono">#{ref.index}</span>
            </li>
          );
        })}
      </ul>
    </li>
  );
}

export function ClusterPanel() {
  const taskManagers = useApp((s) => s.runMetrics?.taskManagers);
  return (
    <div className="cluster-panel" data-testid="cluster-panel">
      <div className="jm-row"><JobManagerCard /></div>
      {!taskManagers || taskManagers.length === 0 ? (
        <p className="dock__empty">The cluster reports its TaskManagers once it is up.</p>
      ) : (
        <ul className="tm-list">{taskManagers.map((tm) => <TaskManagerCard key={tm.index} tm={tm} />)}</ul>
      )}
    </div>
  );
}

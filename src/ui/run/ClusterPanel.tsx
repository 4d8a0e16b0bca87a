/**
 * The cluster: each TaskManager with its slots, alive or lost, the subtasks it runs (with
 * their state), and a button that kills it (a real worker termination in the engine).
 */
import type { SubtaskMetrics, TaskManagerInfo } from '../../engine/runtime/telemetry';
import { useApp, useAppStore } from '../store/appStore';
import type { AppState } from '../store/types';
import { Icon } from '../toolbar/Icon';
import { injectFromUi } from './report';

const canInject = (s: AppState) => s.runActive && ['running', 'paused', 'restarting'].includes(s.runStatus.state);

const STATE_MARK: Record<SubtaskMetrics['state'], string> = { created: '…', running: '▶', finished: '✓', failed: '✕', canceled: '■', restarting: '↻', restoring: '⤓' };

function TaskManagerCard({ tm }: { tm: TaskManagerInfo }) {
  const store = useAppStore();
  const job = useApp((s) => s.runJob);
  const index = useApp((s) => s.runIndex);
  const live = useApp(canInject);
  const name = (id: string) => job?.operators.find((o) => o.id === id)?.name ?? id;
  return (
    <li className={`tm${tm.alive ? '' : ' is-lost'}`} data-testid={`taskmanager-${tm.index}`} data-alive={tm.alive}>
      <header className="tm__header">
        <Icon name="cluster" />
        <h3 className="tm__name">TaskManager {tm.index}</h3>
        <span className={`tm__state ${tm.alive ? 'tm__state--alive' : 'tm__state--lost'}`}>{tm.alive ? '● alive' : '✕ lost'}</span>
        <span className="muted">{tm.slots} {tm.slots === 1 ? 'slot' : 'slots'} · {tm.subtasks.length} subtasks</span>
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
      <ul className="tm__subtasks">
        {tm.subtasks.map((ref) => {
          const m = index?.subtasks.get(ref.operatorId)?.find((s) => s.index === ref.index);
          const state = m?.state ?? 'created';
          return (
            <li key={`${ref.operatorId}#${ref.index}`} className={`tm__subtask tm__subtask--${state}`} title={`${name(ref.operatorId)} subtask ${ref.index}: ${state}`}>
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
      {!taskManagers || taskManagers.length === 0 ? (
        <p className="dock__empty">The cluster reports its TaskManagers once it is up.</p>
      ) : (
        <ul className="tm-list">{taskManagers.map((tm) => <TaskManagerCard key={tm.index} tm={tm} />)}</ul>
      )}
    </div>
  );
}

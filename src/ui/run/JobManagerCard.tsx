/**
 * The JobManager in the Cluster tab (JobManager HA, DESIGN.md §6): who leads and with which
 * epoch, whether the coordination store is up, which store the last takeover recovered from and
 * why, snapshot writes, leader changes with their wall time, and stale commands refused
 * (fencing). Its buttons kill the JobManager (a real worker termination; a successor adopts the
 * running TaskManagers) and take the coordination store down or bring it back.
 */
import { useAppStore, useApp } from '../store/appStore';
import { Icon } from '../toolbar/Icon';
import { useHaStatus } from './ha/useHaStatus';
import { injectFromUi } from './report';

function storeName(kind: string | undefined): string {
  return kind === 'file' ? 'the file store (IndexedDB)' : kind === 'coordination' ? 'the coordination store' : 'none';
}

export function JobManagerCard() {
  const store = useAppStore();
  const ha = useHaStatus();
  const live = useApp((s) => s.runActive && ['running', 'paused', 'restarting'].includes(s.runStatus.state));
  const last = ha?.leaderChanges.at(-1);
  const lastWall = ha?.takeovers.at(-1);
  const coordinationUp = ha?.coordinationUp ?? true;
  const state = ha?.failingOver ? 'failing over' : ha === null ? 'starting' : 'leading';
  return (
    <section className="tm jm-card" data-testid="jobmanager-card" data-leader={ha?.leader ?? ''} data-epoch={ha?.epoch ?? 0}
      data-coordination={coordinationUp ? 'up' : 'down'} aria-label="JobManager">
      <header className="tm__header">
        <Icon name="cluster" />
        <h3 className="tm__name">JobManager</h3>
        <span className={`tm__state jm-card__state jm-card__state--${state.replace(' ', '-')}`} data-testid="jobmanager-leader">
          {ha === null ? '…' : ha.failingOver ? '↻ failing over…' : `♛ ${ha.leader} · epoch ${ha.epoch}`}
        </span>
        <button type="button" className="btn btn--danger" data-testid="kill-jobmanager" disabled={!live || ha?.failingOver === true}
          title="Terminate the JobManager worker at the next round boundary; a new leader adopts the running TaskManagers"
          onClick={() => injectFromUi(store, 'Kill the JobManager', { kind: 'kill-jobmanager' })}>
          <Icon name="skull" /> Kill JobManager
        </button>
      </header>
      <dl className="jm-card__facts">
        <dt>Coordination store</dt>
        <dd data-testid="jobmanager-coordination">
          <span className={coordinationUp ? 'jm-card__up' : 'jm-card__down'}>{coordinationUp ? '● up' : '✕ down'}</span>
          {coordinationUp && (ha?.coordinationLatencyMs ?? 0) > 0 && (
            <span className="jm-card__slow" data-testid="jobmanager-coordination-latency">
              {' '}· slow, {ha?.coordinationLatencyMs} ms per call{(ha?.coordinationLatencyMs ?? 0) > 1000 ? ' (times out: file store only)' : ''}
            </span>
          )}{' '}
          <button type="button" className="btn btn--small" data-testid={coordinationUp ? 'coordination-store-down' : 'coordination-store-up'} disabled={!live}
            onClick={() => injectFromUi(store, coordinationUp ? 'Take the coordination store down' : 'Bring the coordination store back',
              { kind: coordinationUp ? 'coordination-store-down' : 'coordination-store-up' })}>
            {coordinationUp ? 'Take down' : 'Bring back'}
          </button>
        </dd>
        <dt>Last takeover</dt>
        <dd data-testid="jobmanager-last-takeover">
          {last === undefined ? 'none yet' : `${last.leader} recovered from ${storeName(last.recoveredFrom)}${last.reason ? ` — ${last.reason}` : ''}; ${last.keptRunning ?? 0} subtasks kept running${lastWall ? `, ${Math.round(lastWall.wallMs)} ms wall` : ''}`}
        </dd>
        <dt>Snapshot writes (this leader)</dt>
        <dd data-testid="jobmanager-snapshot-writes">
          {ha?.snapshotWrites ?? 0}{ha?.lastSnapshot ? ` · last #${ha.lastSnapshot.sequence} at ${ha.lastSnapshot.virtualTimeMs} ms to ${ha.lastSnapshot.stores.join(' + ')}` : ''}
        </dd>
        <dt>Leader changes</dt>
        <dd data-testid="jobmanager-leader-changes">{ha?.leaderChanges.length ?? 0}</dd>
        <dt>Stale commands refused</dt>
        <dd data-testid="jobmanager-stale-refused">{ha?.staleRejected ?? 0}</dd>
      </dl>
    </section>
  );
}

/**
 * One operator's subtasks in the inspected checkpoint: where each runs, which checkpoint it
 * restores from, its key-group range, rows written vs re-referenced, source offsets, timers,
 * operator state, the key-group bars, and on demand the key-group table.
 */
import { Fragment, useState } from 'react';
import type { OperatorDetail, SubtaskDetail } from '../../../engine/checkpoint/inspect';
import { formatExact } from '../../model/runFormat';
import { formatBytes, formatRange } from '../state/stateFormat';
import { KeyGroupBars, versionText } from './KeyGroupBars';

/** Key groups listed per subtask before "and N more". */
const KEY_GROUPS_LISTED = 256;

function extras(s: SubtaskDetail): string {
  const parts: string[] = [];
  if (s.sourceOffsets !== undefined) parts.push(`offsets ${s.sourceOffsets.map((p) => `p${p.partition}@${p.offset}`).join(' ')}`);
  if (s.timers !== undefined) parts.push(`${formatExact(s.timers)} timers`);
  if (s.operatorState !== undefined) parts.push(`operator state ${s.operatorState.fields.join(', ')} (${formatExact(s.operatorState.jsonChars)} chars)`);
  if (s.rescaledFrom !== undefined) parts.push(`restores from ${s.rescaledFrom} former subtasks`);
  if (s.finished) parts.push('finished');
  return parts.join(' · ');
}

function KeyGroupTable({ subtask, checkpointId }: { subtask: SubtaskDetail; checkpointId: number }) {
  const listed = subtask.keyGroups.slice(0, KEY_GROUPS_LISTED);
  return (
    <table className="data-table data-table--numeric inspector-kgs" data-testid={`inspector-key-groups-${subtask.index}`}>
      <caption className="visually-hidden">Key groups of subtask {subtask.index}</caption>
      <thead><tr><th scope="col">key group</th><th scope="col">rows</th><th scope="col">written</th><th scope="col">bytes</th><th scope="col">shard version</th></tr></thead>
      <tbody>
        {listed.map((g) => (
          <tr key={g.keyGroup} data-origin={g.origin} data-testid="inspector-key-group-row">
            <td>{g.keyGroup}</td><td>{formatExact(g.rows)}</td><td>{formatExact(g.writtenRows)}</td><td>{g.bytes === undefined ? '—' : formatBytes(g.bytes)}</td>
            <td className={`inspector-origin inspector-origin--${g.origin}`}>{versionText(g, checkpointId)}</td>
          </tr>
        ))}
        {subtask.keyGroups.length > listed.length && (
          <tr><td colSpan={5} className="muted">and {formatExact(subtask.keyGroups.length - listed.length)} more key groups (Export JSON has them all)</td></tr>
        )}
      </tbody>
    </table>
  );
}

export function OperatorSubtasks({ op, checkpointId }: { op: OperatorDetail; checkpointId: number }) {
  const [shown, setShown] = useState<number | null>(null);
  const maxRows = Math.max(0, ...op.subtasks.flatMap((s) => s.keyGroups.map((g) => g.rows)));
  return (
    <table className="data-table inspector-subtasks" data-testid={`inspector-subtasks-${op.operatorId}`}>
      <caption className="visually-hidden">Subtasks of {op.name} in checkpoint {checkpointId}</caption>
      <thead>
        <tr>
          <th scope="col">subtask</th><th scope="col">TaskManager</th><th scope="col">restores from</th>
          {op.keyed && <><th scope="col">key groups</th><th scope="col">rows</th><th scope="col">written</th><th scope="col">re-referenced</th><th scope="col">bytes</th><th scope="col">by key group</th></>}
        </tr>
      </thead>
      <tbody>
        {op.subtasks.map((s) => (
          <Fragment key={s.index}>
            <tr data-testid={`inspector-subtask-${op.operatorId}-${s.index}`} data-rows={s.rows} data-written={s.writtenRows}>
              <td>#{s.index}</td>
              <td>{s.taskManager ?? '—'}</td>
              <td>
                {s.snapshotId === 0 ? 'the beginning' : s.snapshotId === checkpointId ? 'this checkpoint' : `checkpoint ${s.snapshotId}`}
                {extras(s) !== '' && <div className="inspector-extras">{extras(s)}</div>}
              </td>
              {op.keyed && (
                <>
                  <td>
                    <button type="button" className="btn btn--link mono" aria-expanded={shown === s.index} data-testid={`inspector-kg-toggle-${op.operatorId}-${s.index}`}
                      onClick={() => setShown(shown === s.index ? null : s.index)}>
                      {shown === s.index ? '▾' : '▸'} {s.keyGroupRange ? formatRange(s.keyGroupRange.start, s.keyGroupRange.end) : '—'} ({formatExact(s.keyGroups.length)})
                    </button>
                  </td>
                  <td className="mono">{formatExact(s.rows)}</td>
                  <td className="mono">{formatExact(s.writtenRows)}</td>
                  <td className="mono">{formatExact(s.referencedRows)}</td>
                  <td className="mono">{s.bytes === undefined ? '—' : formatBytes(s.bytes)}</td>
                  <td><KeyGroupBars subtask={s} checkpointId={checkpointId} maxRows={maxRows} /></td>
                </>
              )}
            </tr>
            {shown === s.index && (
              <tr className="inspector-kg-detail"><td colSpan={op.keyed ? 9 : 3}><KeyGroupTable subtask={s} checkpointId={checkpointId} /></td></tr>
            )}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The confirmation before restoring an edited job from a saved run (engine/cluster/
 * restoreEdited.ts): one row per operator with how it takes the saved state — matched by
 * its stable id, proposed by its unique name, new (starts empty), dropped (saved state nobody
 * takes) or ambiguous (refused) — with the saved id ↔ new id, and parallelism changes restored
 * like a rescale. Name-assisted rows and dropped state each need a tick (Flink's
 * allowNonRestoredState); refusals say what to do and keep Restore disabled.
 */
import { useState } from 'react';
import type { RestoreMapping, RestoreMappingRow, RestoreOutcome } from '../../workers/clusterApi';
import { Dialog } from '../dialogs/Dialog';

export interface RestoreConsent {
  acceptNameMapping: boolean;
  allowNonRestoredState: boolean;
}

interface Props {
  mapping: RestoreMapping;
  checkpointId: number;
  busy: boolean;
  problem: string | null;
  onConfirm(consent: RestoreConsent): void;
  onClose(): void;
}

const OUTCOME_LABEL: Record<RestoreOutcome, string> = {
  matched: 'by id', 'by-name': 'by name', new: 'new, empty', dropped: 'dropped', ambiguous: 'ambiguous',
};

const shortId = (id: string | undefined): string => (id === undefined ? '—' : id.length > 16 ? `${id.slice(0, 12)}…` : id);

function detail(row: RestoreMappingRow): string {
  const parts: string[] = [];
  if (row.rescaled !== undefined) parts.push(`parallelism ${row.rescaled.from} → ${row.rescaled.to}: restored like a rescale`);
  if (row.outcome === 'by-name') parts.push(`id changed; its uid will be pinned to the saved id${row.savedHasState === true ? '' : ' (it kept no state)'}`);
  if (row.outcome === 'dropped') parts.push(row.savedHasState === true ? 'its saved state is left behind' : 'kept no state');
  if (row.note !== undefined) parts.push(row.note);
  return parts.join('; ');
}

function MappingRow({ row }: { row: RestoreMappingRow }) {
  const key = row.operatorId ?? `saved-${row.savedOperatorId ?? ''}`;
  return (
    <tr className={`restore-map__row restore-map__row--${row.outcome}`} data-testid={`restore-row-${key}`} data-outcome={row.outcome}>
      <td>
        <span className="restore-map__name">{row.name}</span>
        <code className="restore-map__canvas">{row.operatorId ?? row.savedOperatorId} · {row.kind}</code>
      </td>
      <td><span className={`restore-map__badge restore-map__badge--${row.outcome}`}>{OUTCOME_LABEL[row.outcome]}</span></td>
      <td className="restore-map__ids">
        <code title={row.savedStableId}>{shortId(row.savedStableId)}</code>
        <span aria-hidden="true"> ↔ </span>
        <code title={row.stableId}>{shortId(row.outcome === 'dropped' ? undefined : row.stableId)}</code>
      </td>
      <td className="restore-map__detail">{detail(row)}</td>
    </tr>
  );
}

export function RestoreEditedDialog({ mapping, checkpointId, busy, problem, onConfirm, onClose }: Props) {
  const [acceptNames, setAcceptNames] = useState(false);
  const [allowDrop, setAllowDrop] = useState(false);
  const byName = mapping.rows.filter((r) => r.outcome === 'by-name' && r.savedHasState === true).length;
  const droppedWithState = mapping.rows.filter((r) => r.outcome === 'dropped' && r.savedHasState === true).length;
  const refused = mapping.refusals.length > 0;
  const ready = !refused && (!mapping.needsNameConsent || acceptNames) && (!mapping.needsDropConsent || allowDrop);
  return (
    <Dialog testId="restore-edited-dialog" title={`Restore the edited job from checkpoint ${checkpointId}`} onClose={onClose} wide>
      <p className="dialog__intro">
        How each operator takes the saved state. Operators are matched by their state id (from the uid, or a hash that
        ignores parallelism, names, partitioners and downstream edits); where that changed, by a name that is unique on
        both sides.
      </p>
      <table className="restore-map" data-testid="restore-mapping">
        <thead>
          <tr><th>Operator</th><th>Takes state</th><th>Saved id ↔ id</th><th /></tr>
        </thead>
        <tbody>{mapping.rows.map((row) => <MappingRow key={`${row.outcome}-${row.operatorId ?? row.savedOperatorId ?? ''}`} row={row} />)}</tbody>
      </table>
      {refused && (
        <ul className="restore-map__refusals" role="alert" data-testid="restore-refusals">
          {mapping.refusals.map((r, i) => <li key={`${r.code}-${i}`} data-code={r.code}>{r.message}</li>)}
        </ul>
      )}
      {!refused && mapping.needsNameConsent && (
        <label className="restore-map__consent">
          <input type="checkbox" data-testid="restore-accept-names" checked={acceptNames} onChange={(e) => setAcceptNames(e.target.checked)} />
          Take the saved state by name for {byName} {byName === 1 ? 'operator' : 'operators'}, and pin {byName === 1 ? 'its uid' : 'their uids'} to the saved {byName === 1 ? 'id' : 'ids'}
        </label>
      )}
      {!refused && mapping.needsDropConsent && (
        <label className="restore-map__consent">
          <input type="checkbox" data-testid="restore-allow-drop" checked={allowDrop} onChange={(e) => setAllowDrop(e.target.checked)} />
          Leave the saved state of {droppedWithState} {droppedWithState === 1 ? 'operator' : 'operators'} behind (allow non-restored state)
        </label>
      )}
      {problem !== null && <p className="dialog__error" role="alert" data-testid="restore-problem">{problem}</p>}
      <div className="dialog__actions">
        <button type="button" className="btn" onClick={onClose}>Cancel</button>
        <button type="button" className="btn btn--primary" data-testid="restore-confirm" disabled={!ready || busy} data-autofocus
          onClick={() => onConfirm({ acceptNameMapping: acceptNames, allowNonRestoredState: allowDrop })}>
          Restore
        </button>
      </div>
    </Dialog>
  );
}

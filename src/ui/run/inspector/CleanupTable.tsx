/**
 * Retention and cleanup of state versions in the inspector: the latest cleanups (one per
 * completed checkpoint), each with the versions, rows and bytes the keyed backends folded
 * away and what they retain, per operator on demand. Figures from `checkpoints().cleanups`.
 */
import { Fragment, useState } from 'react';
import type { StateCleanup } from '../../../engine/checkpoint/inspectRetention';
import { formatExact, formatVirtualTime } from '../../model/runFormat';
import { formatBytes } from '../state/stateFormat';

/** Cleanups listed (the newest). */
const LISTED = 8;

function bytes(n: number | undefined): string {
  return n === undefined ? '—' : formatBytes(n);
}

export function CleanupTable({ cleanups, name }: { cleanups: readonly StateCleanup[]; name: (operatorId: string) => string }) {
  const [open, setOpen] = useState<number | null>(null);
  if (cleanups.length === 0) {
    return <p className="muted" data-testid="inspector-cleanups-empty">No cleanup yet: one runs after each completed checkpoint of a job with keyed state.</p>;
  }
  const listed = [...cleanups].reverse().slice(0, LISTED);
  return (
    <table className="data-table data-table--numeric inspector-cleanups" data-testid="inspector-cleanups">
      <caption className="inspector-caption">State-version cleanups (the newest {listed.length})</caption>
      <thead>
        <tr>
          <th scope="col">folded before</th><th scope="col">at</th><th scope="col">versions released</th><th scope="col">rows released</th>
          <th scope="col">bytes released</th><th scope="col">versions retained</th><th scope="col">rows retained</th>
        </tr>
      </thead>
      <tbody>
        {listed.map((c, i) => (
          <Fragment key={`${c.before}@${c.atMs}`}>
            <tr data-testid="inspector-cleanup-row" data-before={c.before} data-versions-released={c.totals.versionsReleased} data-rows-released={c.totals.rowsReleased}>
              <td>
                <button type="button" className="btn btn--link mono" aria-expanded={open === i} onClick={() => setOpen(open === i ? null : i)}>
                  {open === i ? '▾' : '▸'} {c.before}
                </button>
              </td>
              <td>{formatVirtualTime(c.atMs)}</td>
              <td>{formatExact(c.totals.versionsReleased)}</td><td>{formatExact(c.totals.rowsReleased)}</td><td>{bytes(c.totals.bytesReleased)}</td>
              <td>{formatExact(c.totals.versionsRetained)}</td><td>{formatExact(c.totals.rowsRetained)}</td>
            </tr>
            {open === i && c.operators.map((o) => (
              <tr key={o.operatorId} className="inspector-cleanup-operator">
                <td colSpan={2}>{name(o.operatorId)} <span className="muted">({o.subtasks} subtasks)</span></td>
                <td>{formatExact(o.versionsReleased)}</td><td>{formatExact(o.rowsReleased)}</td><td>{bytes(o.bytesReleased)}</td>
                <td>{formatExact(o.versionsRetained)}</td><td>{formatExact(o.rowsRetained)}</td>
              </tr>
            ))}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}

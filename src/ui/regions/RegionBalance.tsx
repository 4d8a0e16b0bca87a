/** The regions preview's line on source partitions per region (regionBalance.ts). */
import type { BalanceNote } from './regionBalance';

export function RegionBalance({ note }: { note: BalanceNote }) {
  return (
    <p className={`regions-balance ${note.balanced ? 'is-balanced' : 'is-unbalanced'}`} data-testid="regions-balance" data-balanced={note.balanced}>
      <span aria-hidden="true">{note.balanced ? '✓ ' : '⚠ '}</span>
      <strong>{note.text}</strong>
      {note.hint !== undefined && <span className="regions-balance__hint"> {note.hint}</span>}
    </p>
  );
}

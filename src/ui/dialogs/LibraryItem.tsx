/** One saved job in the library dialog: open, rename in place (Enter/Escape), delete with confirmation. */
import { useState } from 'react';
import type { SavedJobSummary } from '../library/jobsLibrary';

interface Props {
  job: SavedJobSummary;
  isOpen: boolean;
  onOpen(): void;
  onRename(name: string): Promise<boolean>;
  onDelete(): void;
}

function updatedText(ms: number): string {
  const date = new Date(ms);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? `today ${date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}` : date.toLocaleDateString();
}

export function LibraryItem({ job, isOpen, onOpen, onRename, onDelete }: Props) {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const commitRename = async () => {
    if (renaming === null) return;
    if (renaming.trim() === '' || renaming === job.name) {
      setRenaming(null);
      return;
    }
    if (await onRename(renaming.trim())) setRenaming(null);
  };
  return (
    <li className={`library-item${isOpen ? ' is-open' : ''}`} data-testid="library-item" data-job-id={job.id}>
      <div className="library-item__main">
        {renaming === null ? (
          <button type="button" className="library-item__name" data-testid="library-open" onClick={onOpen} title="Open this job">
            {job.name}
          </button>
        ) : (
          <input
            className="input"
            data-testid="library-rename-input"
            aria-label={`New name for ${job.name}`}
            value={renaming}
            autoFocus
            onChange={(e) => setRenaming(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void commitRename();
              if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                setRenaming(null);
              }
            }}
            onBlur={() => void commitRename()}
          />
        )}
        <span className="library-item__meta">
          {job.operators} {job.operators === 1 ? 'operator' : 'operators'} · updated {updatedText(job.updatedAt)}
          {isOpen && <span className="library-item__badge">open</span>}
        </span>
      </div>
      <div className="library-item__actions">
        {confirming ? (
          <>
            <span className="library-item__confirm">Delete “{job.name}”?</span>
            <button type="button" className="btn btn--danger" data-testid="library-delete-confirm" onClick={onDelete} autoFocus>Delete</button>
            <button type="button" className="btn" onClick={() => setConfirming(false)}>Cancel</button>
          </>
        ) : (
          <>
            <button type="button" className="btn" data-testid="library-rename" aria-label={`Rename ${job.name}`} onClick={() => setRenaming(job.name)}>Rename</button>
            <button type="button" className="btn" data-testid="library-delete" aria-label={`Delete ${job.name}`} onClick={() => setConfirming(true)}>Delete</button>
          </>
        )}
      </div>
    </li>
  );
}

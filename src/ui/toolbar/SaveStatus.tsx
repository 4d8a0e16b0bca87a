/** Whether the open job is safely in the library: saved, saving, unsaved, or failed. */
import { useApp } from '../store/appStore';
import type { SaveStatus as Status } from '../store/types';

const TEXT: Record<Status, string> = {
  idle: 'Not saved yet',
  pending: 'Unsaved changes',
  saving: 'Saving…',
  saved: 'Saved',
  error: 'Not saved',
};

export function SaveStatus() {
  const status = useApp((s) => s.saveStatus);
  const savedAt = useApp((s) => s.savedAt);
  const title = status === 'saved' && savedAt !== null
    ? `Saved to the library at ${new Date(savedAt).toLocaleTimeString()}`
    : status === 'error' ? 'The last save failed; your job is still open. Press Ctrl+S to retry, or Export it.' : undefined;
  return (
    <span className={`save-status save-status--${status}`} data-testid="save-status" role="status" title={title}>
      {TEXT[status]}
    </span>
  );
}

/** Shows the share link when the clipboard refused it, ready to copy by hand. */
import { Dialog } from './Dialog';

export function ShareLinkDialog({ url, onClose }: { url: string; onClose(): void }) {
  return (
    <Dialog testId="share-link-dialog" title="Share link" onClose={onClose} wide>
      <p className="dialog__intro">
        The browser did not allow copying to the clipboard. Copy the link below (Ctrl+C / ⌘C): it holds the whole job,
        and opening it shows the job without running anything.
      </p>
      <input
        className="input input--mono"
        data-testid="share-link-input"
        aria-label="Share link"
        readOnly
        value={url}
        data-autofocus
        onFocus={(e) => e.currentTarget.select()}
      />
      <div className="dialog__actions">
        <button type="button" className="btn btn--primary" onClick={onClose}>Done</button>
      </div>
    </Dialog>
  );
}

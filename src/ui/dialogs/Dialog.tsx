/**
 * A modal dialog on the native <dialog> element (focus trap, Escape and inert background for
 * free). Clicking the backdrop or Escape closes it through `onClose`, so the store decides.
 * The control marked `data-autofocus` gets the focus when it opens.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

interface Props {
  testId: string;
  title: string;
  onClose(): void;
  children: ReactNode;
  wide?: boolean;
  /** Extra class for layout (e.g. the command palette). */
  className?: string;
  /** Hide the visible title bar (the title still names the dialog). */
  bare?: boolean;
}

export function Dialog({ testId, title, onClose, children, wide, className, bare }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // React's autoFocus runs before showModal, which then focuses the first control; prefer ours.
    dialog?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={['dialog', wide ? 'dialog--wide' : '', className ?? ''].filter(Boolean).join(' ')}
      data-testid={testId}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="dialog__frame">
        <header className={`dialog__header${bare ? ' visually-hidden' : ''}`}>
          <h2 id={titleId} className="dialog__title">{title}</h2>
          <button type="button" className="btn btn--icon dialog__close" aria-label="Close" onClick={onClose}>×</button>
        </header>
        <div className="dialog__body">{children}</div>
      </div>
    </dialog>
  );
}

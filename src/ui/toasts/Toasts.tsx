/** Short messages at the bottom right; errors stay longer and are announced assertively. */
import { useEffect } from 'react';
import { useApp, useAppStore } from '../store/appStore';
import type { Toast } from '../store/types';

function ToastItem({ toast }: { toast: Toast }) {
  const store = useAppStore();
  useEffect(() => {
    const timer = setTimeout(() => store.getState().dismissToast(toast.id), toast.kind === 'error' ? 9000 : 4000);
    return () => clearTimeout(timer);
  }, [store, toast]);
  return (
    <div className={`toast toast--${toast.kind}`} data-testid="toast" data-kind={toast.kind} role={toast.kind === 'error' ? 'alert' : 'status'}>
      <span className="toast__message">{toast.message}</span>
      <button type="button" className="btn btn--icon toast__close" aria-label="Dismiss" onClick={() => store.getState().dismissToast(toast.id)}>×</button>
    </div>
  );
}

export function Toasts() {
  const toasts = useApp((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => <ToastItem key={t.id} toast={t} />)}
    </div>
  );
}

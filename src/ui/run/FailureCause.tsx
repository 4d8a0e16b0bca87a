/**
 * Why the run failed: the outermost message in the run bar; click (or Enter) expands the
 * whole cause chain, outermost first, with operator names, subtasks and TaskManagers.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { causeChain, whereOf } from '../model/failure';
import { useApp } from '../store/appStore';

export function FailureCause() {
  const failure = useApp((s) => s.runStatus.failure);
  const job = useApp((s) => s.runJob);
  const [open, setOpen] = useState(false);
  const id = useId();
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  if (!failure) return null;
  const where = whereOf(job, failure);
  const chain = causeChain(failure, job);
  return (
    <div className="run-failure" ref={box}>
      <button
        type="button"
        className="run-failure__summary"
        data-testid="run-failure"
        data-code={failure.code}
        aria-expanded={open}
        aria-controls={id}
        title={`${failure.message}${where ? ` — ${where}` : ''}\nClick for the cause chain.`}
        onClick={() => setOpen(!open)}
      >
        <span className="run-failure__mark" aria-hidden="true">!</span>
        <span className="run-failure__text">{failure.message}</span>
        <span aria-hidden="true">{open ? '▴' : '▾'}</span>
      </button>
      {open && (
        <div className="run-failure__details" id={id} data-testid="run-failure-details" role="region" aria-label="Cause chain">
          <h2 className="panel-heading">Cause chain, outermost first</h2>
          <ol className="cause-chain">
            {chain.map((row, i) => (
              <li key={i} className="cause-chain__item" data-testid="run-failure-cause" data-code={row.code}>
                <span className="cause-chain__message">{i > 0 && <span className="cause-chain__by">caused by </span>}{row.message}</span>
                <span className="cause-chain__meta">
                  <code>{row.code}</code>
                  {row.where && <span>{row.where}</span>}
                </span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}

/**
 * The validation panel: every problem of the open job with its message, JSON path and the
 * operator or edge it belongs to. Clicking one selects that operator or edge and centres
 * the canvas on it.
 */
import { useServices } from '../app/services';
import { ownerOf } from '../model/errorIndex';
import { useApp, useAppStore } from '../store/appStore';
import { useValidation } from '../store/useDerived';
import type { ValidationError } from '../../engine';

function ProblemItem({ error }: { error: ValidationError }) {
  const services = useServices();
  const job = useApp((s) => s.job);
  const owner = ownerOf(job, error);
  const focus = () => {
    const s = services.store.getState();
    if (owner?.type === 'operator') {
      s.select([owner.id]);
      services.canvas.current?.centreOn({ operatorId: owner.id });
    } else if (owner?.type === 'edge') {
      s.select([], owner.id);
      services.canvas.current?.centreOn({ edgeId: owner.id });
    } else {
      s.clearSelection();
    }
  };
  return (
    <li>
      <button type="button" className="problem" data-testid="validation-item" data-path={error.path} data-code={error.code} onClick={focus}>
        <span className="problem__mark" aria-hidden="true">!</span>
        <span className="problem__message">{error.message}</span>
        <span className="problem__where">
          {error.id !== undefined && <span className="problem__id">{error.id}</span>}
          <code className="problem__path">{error.path}</code>
        </span>
      </button>
    </li>
  );
}

export function ValidationPanel() {
  const { errors } = useValidation();
  const open = useApp((s) => s.validationOpen);
  const store = useAppStore();
  const count = errors.length;
  return (
    <section className={`app__validation validation${open ? '' : ' is-collapsed'}`} data-testid="validation-panel" aria-labelledby="validation-title">
      <header className="validation__header">
        <h2 className="panel-heading" id="validation-title">Problems</h2>
        <span className={`count-badge${count > 0 ? ' count-badge--error' : ''}`} data-testid="validation-count" aria-label={`${count} problems`}>
          {count}
        </span>
        <button
          type="button"
          className="btn btn--icon validation__toggle"
          data-testid="validation-toggle"
          aria-expanded={open}
          aria-controls="validation-body"
          aria-label={open ? 'Collapse the problems panel' : 'Expand the problems panel'}
          title={open ? 'Collapse' : 'Expand'}
          onClick={() => store.getState().setValidationOpen(!open)}
        >
          {open ? '▾' : '▴'}
        </button>
      </header>
      {!open ? null : count === 0 ? (
        <p className="validation__ok" id="validation-body" data-testid="validation-ok">
          <span aria-hidden="true">✓</span> No problems. The job is valid.
        </p>
      ) : (
        <ul className="validation__list" id="validation-body">
          {errors.map((error, i) => <ProblemItem key={`${error.path}|${error.code}|${i}`} error={error} />)}
        </ul>
      )}
    </section>
  );
}

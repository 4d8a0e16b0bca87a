/**
 * The right-hand inspector: job settings, one operator, one edge, or a multiple selection.
 * While a run is active every field is disabled (the running job is read-only) with a note.
 */
import { useApp } from '../store/appStore';
import { EdgeInspector } from './EdgeInspector';
import { JobSettings } from './JobSettings';
import { MultiSelection } from './MultiSelection';
import { OperatorInspector } from './OperatorInspector';

export function Inspector() {
  const operators = useApp((s) => s.selectedOperators);
  const edge = useApp((s) => s.selectedEdge);
  const running = useApp((s) => s.runActive);
  let content;
  if (operators.length === 1 && operators[0] !== undefined) content = <OperatorInspector id={operators[0]} />;
  else if (operators.length > 1) content = <MultiSelection ids={operators} />;
  else if (edge !== null) content = <EdgeInspector id={edge} />;
  else content = <JobSettings />;
  return (
    <aside className="app__inspector inspector" aria-label="Inspector" data-testid="inspector">
      {running && (
        <p className="inspector__readonly" data-testid="inspector-readonly">
          A run is active, so the job is read-only. Stop the run to edit it.
        </p>
      )}
      <fieldset className="inspector__fieldset" disabled={running}>
        {content}
      </fieldset>
    </aside>
  );
}

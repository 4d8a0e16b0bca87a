/** The right-hand inspector: job settings, one operator, one edge, or a multiple selection. */
import { useApp } from '../store/appStore';
import { EdgeInspector } from './EdgeInspector';
import { JobSettings } from './JobSettings';
import { MultiSelection } from './MultiSelection';
import { OperatorInspector } from './OperatorInspector';

export function Inspector() {
  const operators = useApp((s) => s.selectedOperators);
  const edge = useApp((s) => s.selectedEdge);
  let content;
  if (operators.length === 1 && operators[0] !== undefined) content = <OperatorInspector id={operators[0]} />;
  else if (operators.length > 1) content = <MultiSelection ids={operators} />;
  else if (edge !== null) content = <EdgeInspector id={edge} />;
  else content = <JobSettings />;
  return (
    <aside className="app__inspector inspector" aria-label="Inspector" data-testid="inspector">
      {content}
    </aside>
  );
}
